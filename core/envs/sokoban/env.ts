// The Sokoban Env: verl-agent's SokobanEnv (gym-sokoban push-or-move, 4 actions, action 0 =
// invalid) behind the shared Env interface, or gym-sokoban's 9 actions with `actions: 'full9'`.
import type { Env, EnvInfo, EnvObservation, EnvReset, EnvStep, ExpertSubgoal } from '../env'
import { NO_OPERATION, parseSokobanAction, pushActionName, sokobanActionNames } from './actions'
import { DIRECTIONS, moveOnly, pushOrMove, type SokobanDirection } from './dynamics'
import { generateSokobanRoom } from './generate'
import {
  cloneGrid,
  findPlayer,
  gridFromRoom,
  gridToRoom,
  targetCells,
  uncoveredTargets,
  type SokobanGrid,
  type SokobanRoom
} from './grid'
import { sokobanOptionsSchema, type SokobanOptions, type SokobanOptionsInput } from './options'
import { renderGridText } from './render'
import { solveSokoban } from './solver'

export const PENALTY_FOR_STEP = -0.1
export const REWARD_BOX_ON_TARGET = 1
export const PENALTY_BOX_OFF_TARGET = -1
export const REWARD_FINISHED = 10
export const EXPERT_SUBGOAL = 'push all boxes onto targets'

/** The Env plus Sokoban-only helpers (tests, tools, the UI). */
export type SokobanEnv = Env & {
  readonly kind: 'sokoban'
  readonly options: SokobanOptions
  /** Replaces the episode with a hand-made room (codes 0–6); the step counter restarts at 0. */
  loadRoom(room: readonly (readonly number[])[]): EnvReset
  /** The current rendered room (codes 0–6). */
  room(): SokobanRoom
  /** A copy of the current internal grid. */
  grid(): SokobanGrid
  /** One subgoal with the BFS-optimal actions from the current state; [] if none within depth 100. */
  expert(): ExpertSubgoal[]
}

type Episode = {
  grid: SokobanGrid
  targets: number[]
  player: number
  numEnvSteps: number
  boxesOnTarget: number
}

/** 'up' | 'down' | 'left' | 'right' (case-insensitive, trimmed) → 0–3 (= gym action 1–4), else −1. */
export function parseSokobanDirection(action: unknown): number {
  if (typeof action !== 'string') return -1
  return DIRECTIONS.indexOf(action.trim().toLowerCase() as SokobanDirection)
}

export function createSokobanEnv(options: SokobanOptionsInput = {}): SokobanEnv {
  const opts = sokobanOptionsSchema.parse(options)
  const actionNames = sokobanActionNames(opts.actions)
  let episode: Episode | null = null

  const current = (): Episode => {
    if (!episode) throw new Error('sokoban: call reset(seed) before step()')
    return episode
  }
  const observe = (ep: Episode): EnvObservation => ({
    observation: renderGridText(ep.grid, opts.textMode),
    admissibleActions: [...actionNames],
    view: { kind: 'sokoban', room: gridToRoom(ep.grid) }
  })
  // Field by field rather than `{ ...observe(ep), reward, ... }`: the spread made step() ~6× slower.
  const stepResult = (ep: Episode, reward: number, done: boolean, info: EnvInfo): EnvStep => ({
    observation: renderGridText(ep.grid, opts.textMode),
    admissibleActions: [...actionNames],
    view: { kind: 'sokoban', room: gridToRoom(ep.grid) },
    reward,
    done,
    info
  })
  const start = (grid: SokobanGrid, extra: Record<string, unknown>): EnvReset => {
    const targets = targetCells(grid)
    episode = {
      grid,
      targets,
      player: findPlayer(grid),
      numEnvSteps: 0,
      // verl-agent resets this to 0; generated rooms never start with a box on a target, so
      // counting gives the same 0 there and the right baseline for hand-made rooms.
      boxesOnTarget: targets.length - uncoveredTargets(grid, targets)
    }
    const info: EnvInfo = { won: false, actionIsValid: true, ...extra }
    return { ...observe(episode), task: '', info }
  }

  return {
    kind: 'sokoban',
    maxSteps: opts.maxSteps,
    options: opts,

    reset(seed: number): EnvReset {
      const generated = generateSokobanRoom(opts, seed)
      return start(generated.grid, { roomSeed: generated.roomSeed, reseeds: generated.reseeds })
    },

    loadRoom(room) {
      return start(gridFromRoom(room), {})
    },

    step(action: string): EnvStep {
      const ep = current()
      const id = parseSokobanAction(opts.actions, action)
      if (id < 0) {
        // verl-agent's action 0: nothing moves and the step counter does not advance.
        return stepResult(ep, PENALTY_FOR_STEP, false, {
          won: false,
          actionIsValid: false,
          actionIsEffective: false
        })
      }
      ep.numEnvSteps++
      const before = ep.player
      // gym ids: 0 no-op (counted, rewarded like any step), 1–4 push or walk, 5–8 walk only
      if (id > 4) ep.player = moveOnly(ep.grid, before, id - 5)
      else if (id !== NO_OPERATION) ep.player = pushOrMove(ep.grid, before, id - 1)

      // gym-sokoban `_calc_reward`, in its order of additions (−0.1 + 1 + 10 = 10.9 exactly).
      let reward = PENALTY_FOR_STEP
      const uncovered = uncoveredTargets(ep.grid, ep.targets)
      const boxesOnTarget = ep.targets.length - uncovered
      if (boxesOnTarget > ep.boxesOnTarget) reward += REWARD_BOX_ON_TARGET
      else if (boxesOnTarget < ep.boxesOnTarget) reward += PENALTY_BOX_OFF_TARGET
      const won = uncovered === 0
      if (won) reward += REWARD_FINISHED
      ep.boxesOnTarget = boxesOnTarget

      return stepResult(ep, reward, won || ep.numEnvSteps === opts.maxSteps, {
        won,
        actionIsValid: true,
        actionIsEffective: ep.player !== before
      })
    },

    expert(): ExpertSubgoal[] {
      const path = solveSokoban(current().grid)
      if (!path) return []
      const actions = path.map((d) => pushActionName(opts.actions, DIRECTIONS.indexOf(d)))
      return [{ subgoal: EXPERT_SUBGOAL, actions }]
    },

    room: () => gridToRoom(current().grid),
    grid: () => cloneGrid(current().grid)
  }
}
