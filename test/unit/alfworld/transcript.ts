// Records and replays ALFWorld transcripts (seed → commands → observations) for the golden tests.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Env } from '../../../core/envs/env'
import {
  createAlfworldEnv,
  createAlfworldEnvFromGameFile,
  type AlfworldOptionsInput
} from '../../../core/envs/alfworld'

const here = path.dirname(fileURLToPath(import.meta.url))
export const GOLDEN_DIR = path.join(here, 'golden')
export const FIXTURES_DIR = findFixtures(path.resolve(here, '../../..'))

/** shared/fixtures/alfworld-real beside the checkout, or beside a folder above it (git worktrees). */
function findFixtures(repo: string): string {
  const rel = 'shared/fixtures/alfworld-real'
  for (let dir = path.dirname(repo); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, rel))) return path.join(dir, rel)
    if (path.dirname(dir) === dir) return path.join(path.dirname(repo), rel)
  }
}

export type TranscriptSpec = {
  name: string
  /** Generated worlds with these options, or a fixture game (folder name under FIXTURES_DIR). */
  options?: AlfworldOptionsInput
  fixture?: string
  seed: number
  /** Commands played before the expert's plan and after it. */
  before: string[]
  after: string[]
}

export type TranscriptStep = {
  action: string
  observation: string
  admissibleActions: string[]
  reward: number
  done: boolean
  won: boolean
  actionIsValid: boolean
}

export type Transcript = {
  spec: TranscriptSpec
  task: string
  taskType: string
  initialObservation: string
  initialAdmissible: string[]
  steps: TranscriptStep[]
}

export function envFor(spec: TranscriptSpec): Env {
  if (spec.fixture)
    return createAlfworldEnvFromGameFile(path.join(FIXTURES_DIR, spec.fixture, 'game.tw-pddl'))
  return createAlfworldEnv(spec.options ?? {})
}

function stepRecord(env: Env, action: string): TranscriptStep {
  const r = env.step(action)
  return {
    action,
    observation: r.observation,
    admissibleActions: r.admissibleActions,
    reward: r.reward,
    done: r.done,
    won: r.info.won,
    actionIsValid: r.info.actionIsValid
  }
}

/** Plays spec.before, then the expert's plan from that state, then spec.after. */
export function recordTranscript(spec: TranscriptSpec): Transcript {
  const env = envFor(spec)
  const reset = env.reset(spec.seed)
  const steps: TranscriptStep[] = []
  for (const a of spec.before) steps.push(stepRecord(env, a))
  for (const sg of env.expert?.() ?? []) for (const a of sg.actions) steps.push(stepRecord(env, a))
  for (const a of spec.after) steps.push(stepRecord(env, a))
  return {
    spec,
    task: reset.task,
    taskType: reset.info.taskType ?? '',
    initialObservation: reset.observation,
    initialAdmissible: reset.admissibleActions,
    steps
  }
}

/** Replays the recorded commands (not the expert) and returns what the env prints now. */
export function replayTranscript(t: Transcript): Transcript {
  const env = envFor(t.spec)
  const reset = env.reset(t.spec.seed)
  return {
    spec: t.spec,
    task: reset.task,
    taskType: reset.info.taskType ?? '',
    initialObservation: reset.observation,
    initialAdmissible: reset.admissibleActions,
    steps: t.steps.map((s) => stepRecord(env, s.action))
  }
}

export const GOLDEN_SPECS: TranscriptSpec[] = [
  {
    name: 'pick-train',
    options: { taskTypes: ['pick_and_place_simple'] },
    seed: 11,
    before: ['look', 'inventory', 'fly to the moon'],
    after: ['look']
  },
  {
    name: 'look-train',
    options: { taskTypes: ['look_at_obj_in_light'] },
    seed: 12,
    before: ['help'],
    after: []
  },
  {
    name: 'clean-train',
    options: { taskTypes: ['pick_clean_then_place_in_recep'] },
    seed: 13,
    before: [],
    after: ['inventory']
  },
  {
    name: 'heat-train',
    options: { taskTypes: ['pick_heat_then_place_in_recep'] },
    seed: 14,
    before: ['go to microwave 1', 'open microwave 1', 'close microwave 1'],
    after: []
  },
  {
    name: 'cool-train',
    options: { taskTypes: ['pick_cool_then_place_in_recep'] },
    seed: 15,
    before: ['go to fridge 1', 'open fridge 1'],
    after: []
  },
  {
    name: 'pick2-train',
    options: { taskTypes: ['pick_two_obj_and_place'] },
    seed: 16,
    before: [],
    after: []
  },
  {
    name: 'heat-legacy',
    options: { grammar: 'legacy', taskTypes: ['pick_heat_then_place_in_recep'] },
    seed: 17,
    before: ['help', 'go to countertop 1'],
    after: []
  },
  { name: 'any-unseen', options: { split: 'valid_unseen' }, seed: 18, before: ['look'], after: [] },
  {
    name: 'fixture-look',
    fixture: 'look_at_obj_in_light-Book-None-DeskLamp-302__trial_T20190909_085137_911990',
    seed: 0,
    before: ['go to desk 1', 'examine desk 1', 'go to sidetable 2', 'examine desklamp 1'],
    after: ['examine desklamp 1', 'inventory']
  }
]
