// Reference agents that only evaluate: the environment's expert (an upper bound, and the source of
// subgoal-annotated demonstrations) and a uniform-random agent (the lower bound).
import {
  createAlfworldDemonstrator,
  createSokobanDemonstrator,
  createWebshopDemonstrator,
  runDemonstrator,
  type Demonstrator
} from '../agent/demonstrators'
import type { ExperimentConfig } from '../api/config'
import type { Env } from '../envs/env'
import { createEnvForExperiment, taskMetricKey } from '../envs/registry'
import { finalStateStep, type EpisodeRecord, type StepRecord } from '../store/records'
import { evalSeeds } from './grpo'
import { createRng, type Rng } from '../rng'
import { drainSink, type TrainingOutcome, type TrainingSink } from './sink'

const BATCH = 64

/** The searching demonstrator of an environment: acts only on what the agent observes. */
export function demonstratorFor(env: ExperimentConfig['env']): Demonstrator {
  switch (env) {
    case 'alfworld':
      return createAlfworldDemonstrator()
    case 'webshop':
      return createWebshopDemonstrator()
    case 'sokoban':
      return createSokobanDemonstrator()
  }
}

type Agent = {
  begin(env: Env): string[] | null
  act(
    admissible: string[],
    t: number
  ): { action: string; subgoalIndex: number | null; subDone: boolean } | null
}

function expertAgent(): Agent {
  let plan: { subgoal: number; action: string; last: boolean }[] = []
  return {
    begin(env) {
      const subgoals = env.expert?.() ?? []
      plan = subgoals.flatMap((s, i) =>
        s.actions.map((action, k) => ({ subgoal: i, action, last: k === s.actions.length - 1 }))
      )
      return subgoals.map((s) => s.subgoal)
    },
    act(_admissible, t) {
      const p = plan[t]
      return p ? { action: p.action, subgoalIndex: p.subgoal, subDone: p.last } : null
    }
  }
}

function randomAgent(rng: Rng): Agent {
  return {
    begin: () => null,
    act: (admissible) => ({
      action: admissible[rng.int(admissible.length)] ?? '',
      subgoalIndex: null,
      subDone: false
    })
  }
}

function runEpisode(
  env: Env,
  agent: Agent,
  seed: number,
  memberIndex: number,
  config: ExperimentConfig
): EpisodeRecord & { taskType?: string } {
  const reset = env.reset(seed)
  const blueprint = agent.begin(env)
  const steps: StepRecord[] = []
  let cur = {
    observation: reset.observation,
    admissibleActions: reset.admissibleActions,
    view: reset.view as unknown
  }
  let ret = 0
  let won = false
  let taskType = typeof reset.info.taskType === 'string' ? reset.info.taskType : undefined
  for (let t = 0; t < env.maxSteps; t++) {
    const choice = agent.act(cur.admissibleActions, t)
    if (!choice) break
    const res = env.step(choice.action)
    steps.push({
      t,
      ...cur,
      action: choice.action,
      reward: res.reward,
      done: res.done,
      subgoalIndex: choice.subgoalIndex,
      subDone: choice.subDone
    })
    ret += res.reward
    won = res.info.won
    if (typeof res.info.taskType === 'string') taskType = res.info.taskType
    cur = { observation: res.observation, admissibleActions: res.admissibleActions, view: res.view }
    if (res.done) break
  }
  const length = steps.length
  steps.push(finalStateStep(length, cur))
  return {
    phase: 'eval',
    memberIndex,
    env: config.env,
    task: reset.task || `${config.env} seed ${seed}`,
    seed,
    blueprint,
    return: ret,
    success: won,
    length,
    steps,
    ...(taskType ? { taskType } : {})
  }
}

/** One episode of the uniform-random agent drawing from `rngSeed` (store tests use these). */
export function randomEpisode(
  config: ExperimentConfig,
  seed: number,
  rngSeed: number
): EpisodeRecord & { taskType?: string } {
  return runEpisode(
    createEnvForExperiment(config),
    randomAgent(createRng(rngSeed)),
    seed,
    0,
    config
  )
}

/** Success rate of the uniform-random agent on `seeds` (the lower bound beside a trained policy). */
export function randomSuccessRate(config: ExperimentConfig, seeds: readonly number[]): number {
  const env = createEnvForExperiment(config)
  const agent = randomAgent(createRng(config.seed ^ 0xbad))
  let wins = 0
  seeds.forEach((seed, i) => {
    if (runEpisode(env, agent, seed, i, config).success) wins++
  })
  return seeds.length ? wins / seeds.length : 0
}

export async function runBaseline(
  config: ExperimentConfig,
  sink: TrainingSink,
  options: { signal?: AbortSignal } = {}
): Promise<TrainingOutcome> {
  sink.started({ backend: 'none', notes: [`${config.algo} agent: evaluation only, no tensors`] })
  const env = createEnvForExperiment(config)
  const agent =
    config.algo === 'expert' ? expertAgent() : randomAgent(createRng(config.seed ^ 0xbad))
  const play = (seed: number, memberIndex: number): EpisodeRecord & { taskType?: string } => {
    if (config.algo !== 'searcher') return runEpisode(env, agent, seed, memberIndex, config)
    const { subgoals: _subgoals, ...ep } = runDemonstrator(env, demonstratorFor(config.env), seed)
    return { ...ep, env: config.env, memberIndex }
  }
  const seeds = evalSeeds(config)
  const byType = new Map<string, { n: number; wins: number }>()
  let wins = 0
  let returns = 0
  let lengths = 0
  let done = 0
  for (let start = 0; start < seeds.length; start += BATCH) {
    if (options.signal?.aborted) break
    const loose = seeds.slice(start, start + BATCH).map((seed, i) => {
      const ep = play(seed, start + i)
      wins += ep.success ? 1 : 0
      returns += ep.return
      lengths += ep.length
      if (ep.taskType) {
        const s = byType.get(ep.taskType) ?? { n: 0, wins: 0 }
        s.n++
        s.wins += ep.success ? 1 : 0
        byType.set(ep.taskType, s)
      }
      const { taskType: _taskType, ...record } = ep
      return record
    })
    done += loose.length
    sink.rollouts({ iteration: 0, groups: [], loose })
    sink.progress(done, seeds.length, 'eval')
    await drainSink(sink)
  }
  const values: Record<string, number> = {
    'eval/success_rate': done ? wins / done : 0,
    'eval/mean_return': done ? returns / done : 0,
    'eval/mean_length': done ? lengths / done : 0,
    'eval/episodes': done
  }
  for (const [type, s] of byType) {
    values[`eval/success_rate/${taskMetricKey(config.env, type)}`] = s.wins / s.n
  }
  sink.metrics(0, values)
  return {
    status: done < seeds.length ? 'stopped' : 'completed',
    iterationsDone: 1,
    lastMetrics: values
  }
}
