// Sokoban env options (defaults = verl-agent's Sokoban config), validated with zod.
import { z } from 'zod'

const roomSide = z.int().min(4).max(20)

export const sokobanOptionsSchema = z
  .object({
    /** [rows, cols], border walls included. */
    dimRoom: z.tuple([roomSide, roomSide]).default([6, 6]),
    numBoxes: z.int().min(1).max(10).default(1),
    /** Counted steps before `done` is forced (verl-agent env.max_steps). */
    maxSteps: z.int().min(1).max(10_000).default(15),
    /** Reverse-play DFS depth (ttl). Below 3 no box can ever be pulled, so no room exists. */
    searchDepth: z.int().min(3).max(1000).default(30),
    pChangeDirections: z.number().min(0).max(1).default(0.35),
    /** 'verl': verl-agent's " # \t" cells; 'ragen': RAGEN's compact one-character cells. */
    textMode: z.enum(['verl', 'ragen']).default('verl'),
    /**
     * 'push4': verl-agent's up/down/left/right (gym actions 1–4, push or walk). 'full9': gym-sokoban's
     * 'no operation', 'push …' and 'move …' (a move never pushes); same rewards and step limit.
     */
    actions: z.enum(['push4', 'full9']).default('push4')
  })
  .strict()

export type SokobanOptions = z.infer<typeof sokobanOptionsSchema>
export type SokobanOptionsInput = z.input<typeof sokobanOptionsSchema>
