// Plays one episode with a demonstrator (or with the env's oracle, for comparison) and returns it as
// an EpisodeRecord with the subgoal of every step, plus the subgoals with their actions.
import type { Env, ExpertSubgoal } from '../../envs/env'
import { finalStateStep, type EpisodeRecord, type StepRecord } from '../../store/records'
import type { Demonstrator } from './types'

export type DemoEpisode = EpisodeRecord & {
  taskType?: string
  /** Subgoals in the order they were pursued, with the actions taken for each. */
  subgoals: ExpertSubgoal[]
}

function taskTypeOf(info: { taskType?: unknown }): string | undefined {
  return typeof info.taskType === 'string' ? info.taskType : undefined
}

/**
 * One episode of `demonstrator` on `env` from `seed`. A step's `subDone` is set afterwards: true on
 * the last action of each subgoal (the demonstrator only learns a search is over when it sees the
 * object).
 */
export function runDemonstrator(env: Env, demonstrator: Demonstrator, seed: number): DemoEpisode {
  const reset = env.reset(seed)
  demonstrator.begin(reset)
  const steps: StepRecord[] = []
  const subgoals: ExpertSubgoal[] = []
  let cur: { observation: string; admissibleActions: string[]; view: unknown } = reset
  let obs: Parameters<Demonstrator['act']>[0] = reset
  let ret = 0
  let won = false
  let taskType = taskTypeOf(reset.info)
  for (let t = 0; t < env.maxSteps; t++) {
    const choice = demonstrator.act(obs)
    if (subgoals.length <= choice.subgoalIndex)
      subgoals.push({ subgoal: choice.subgoal, actions: [] })
    subgoals[choice.subgoalIndex]?.actions.push(choice.action)
    const res = env.step(choice.action)
    steps.push({
      t,
      observation: cur.observation,
      admissibleActions: cur.admissibleActions,
      view: cur.view,
      action: choice.action,
      reward: res.reward,
      done: res.done,
      subgoalIndex: choice.subgoalIndex,
      subDone: false
    })
    ret += res.reward
    won = res.info.won
    taskType = taskTypeOf(res.info) ?? taskType
    cur = res
    obs = res
    if (res.done) break
  }
  steps.forEach((s, i) => {
    const next = steps[i + 1]
    s.subDone = next === undefined ? won : next.subgoalIndex !== s.subgoalIndex
  })
  const length = steps.length
  steps.push(finalStateStep(length, cur))
  return {
    phase: 'eval',
    memberIndex: 0,
    env: env.kind,
    task: reset.task || `${env.kind} seed ${seed}`,
    seed,
    blueprint: subgoals.map((s) => s.subgoal),
    return: ret,
    success: won,
    length,
    steps,
    subgoals,
    ...(taskType ? { taskType } : {})
  }
}

export type OracleEpisode = {
  seed: number
  taskType?: string
  success: boolean
  length: number
  return: number
  subgoals: ExpertSubgoal[]
}

/** The env's oracle (`env.expert()`, planned once after the reset) played from `seed`. */
export function runOracle(env: Env, seed: number): OracleEpisode {
  const reset = env.reset(seed)
  const subgoals = env.expert?.() ?? []
  let taskType = taskTypeOf(reset.info)
  let length = 0
  let ret = 0
  let won = false
  for (const action of subgoals.flatMap((s) => s.actions)) {
    const res = env.step(action)
    length++
    ret += res.reward
    won = res.info.won
    taskType = taskTypeOf(res.info) ?? taskType
    if (res.done) break
  }
  return { seed, success: won, length, return: ret, subgoals, ...(taskType ? { taskType } : {}) }
}
