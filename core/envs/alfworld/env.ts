// The ALFWorld Env: generated households or preloaded real game files, wrapped as verl-agent does
// (reward 10·won, done on win or after maxSteps counted steps, every step counted).
import { z } from 'zod'
import type { Env, EnvInfo, EnvReset, EnvStep, EnvView, ExpertSubgoal } from '../env'
import { AlfworldGame } from './engine'
import { solveAlfworld } from './expert'
import { ALFWORLD_TASK_TYPES, generateWorld } from './generator'
import { defaultGrammar, type AlfworldGrammar } from './grammar'
import type { AlfworldTaskType, World } from './types'

export const alfworldTaskTypeSchema = z.enum([
  'pick_and_place_simple',
  'look_at_obj_in_light',
  'pick_clean_then_place_in_recep',
  'pick_heat_then_place_in_recep',
  'pick_cool_then_place_in_recep',
  'pick_two_obj_and_place'
])

export const alfworldOptionsSchema = z
  .object({
    split: z.enum(['train', 'valid_seen', 'valid_unseen']).default('train'),
    /** Command grammar of generated worlds; real game files bring their own. */
    grammar: z.enum(['current', 'legacy']).default('current'),
    maxSteps: z.int().min(1).max(1000).default(50),
    /** Only these task types ([] = all six). */
    taskTypes: z.array(alfworldTaskTypeSchema).default([]),
    /** 'generated' worlds, or real ALFWorld game files ('files': dataDir, json_2.1.x layout). */
    source: z.enum(['generated', 'files']).default('generated'),
    dataDir: z.string().optional()
  })
  .strict()

export type AlfworldOptions = z.infer<typeof alfworldOptionsSchema>
export type AlfworldOptionsInput = z.input<typeof alfworldOptionsSchema>

/** A real game ready to play: its world and the grammar embedded in its file. */
export type AlfworldGameData = { world: World; grammar: AlfworldGrammar }

export const ALFWORLD_TASK_LABELS: Record<AlfworldTaskType, string> = {
  pick_and_place_simple: 'Pick',
  look_at_obj_in_light: 'Look',
  pick_clean_then_place_in_recep: 'Clean',
  pick_heat_then_place_in_recep: 'Heat',
  pick_cool_then_place_in_recep: 'Cool',
  pick_two_obj_and_place: 'Pick2'
}

/** verl-agent's per-task success metric key (a substring of the game-file path). */
export function alfworldMetricKey(taskType: AlfworldTaskType): string {
  return taskType === 'pick_and_place_simple' ? 'pick_and_place' : taskType
}

export const ALFWORLD_REWARD_WIN = 10

export type AlfworldEnv = Env & {
  /** The game being played (after reset), for tools and tests. */
  readonly game: AlfworldGame | null
}

export function createAlfworldEnv(
  input: AlfworldOptionsInput = {},
  games?: readonly AlfworldGameData[]
): AlfworldEnv {
  const options = alfworldOptionsSchema.parse(input)
  const wanted = options.taskTypes.length > 0 ? options.taskTypes : ALFWORLD_TASK_TYPES
  let pool: AlfworldGameData[] | null = null
  if (options.source === 'files' || games) {
    if (!games) {
      throw new Error(
        "ALFWorld source 'files' needs the games: use createAlfworldEnvFromData (node) or pass them in"
      )
    }
    pool = games.filter((g) => wanted.includes(g.world.taskType))
    if (pool.length === 0) throw new Error('no ALFWorld game of the requested task types')
  }
  const cache = new Map<number, AlfworldGame>()
  let game: AlfworldGame | null = null
  let steps = 0
  let done = false
  let won = false
  let lastObservation = ''

  const view = (g: AlfworldGame): EnvView => {
    const here = g.receptaclesAt(g.agentLoc).map((r) => g.recName(r))
    return {
      kind: 'alfworld',
      location: g.lastReceptacle >= 0 ? g.recName(g.lastReceptacle) : 'middle of the room',
      inventory: g.held >= 0 ? [g.objName(g.held)] : [],
      facing: here,
      task: g.world.task,
      taskType: g.world.taskType,
      step: steps,
      won
    }
  }
  const info = (g: AlfworldGame, valid: boolean): EnvInfo => ({
    won,
    actionIsValid: valid,
    taskType: g.world.taskType,
    taskLabel: ALFWORLD_TASK_LABELS[g.world.taskType],
    gamefile: g.world.source,
    step: steps
  })

  return {
    kind: 'alfworld',
    maxSteps: options.maxSteps,
    get game() {
      return game
    },
    reset(seed: number): EnvReset {
      if (pool) {
        const index = ((Math.trunc(seed) % pool.length) + pool.length) % pool.length
        let g = cache.get(index)
        if (!g) {
          const data = pool[index] as AlfworldGameData
          g = new AlfworldGame(data.world, data.grammar)
          cache.set(index, g)
        } else g.reset()
        game = g
      } else {
        const world = generateWorld({ split: options.split, seed, taskTypes: wanted })
        game = new AlfworldGame(world, defaultGrammar(options.grammar))
      }
      steps = 0
      done = false
      won = game.won()
      lastObservation = game.initialObservation()
      return {
        observation: lastObservation,
        admissibleActions: game.admissible().slice(),
        view: view(game),
        task: game.world.task,
        info: info(game, true)
      }
    },
    step(action: string): EnvStep {
      const g = game
      if (!g) throw new Error('ALFWorld env: step() before reset()')
      if (done) {
        return {
          observation: lastObservation,
          admissibleActions: g.admissible().slice(),
          view: view(g),
          reward: 0,
          done: true,
          info: info(g, false)
        }
      }
      const { feedback, valid } = g.play(typeof action === 'string' ? action : String(action))
      steps++
      won = g.won()
      done = won || steps >= options.maxSteps
      lastObservation = feedback
      return {
        observation: feedback,
        admissibleActions: g.admissible().slice(),
        view: view(g),
        reward: won ? ALFWORLD_REWARD_WIN : 0,
        done,
        info: info(g, valid)
      }
    },
    expert(): ExpertSubgoal[] {
      if (!game) return []
      return solveAlfworld(game) ?? []
    }
  }
}
