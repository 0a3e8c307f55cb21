// Real environment episodes of a uniform-random agent, grouped by task as a GRPO iteration stores
// them: store tests that need repeated tasks with differing trajectories.
import type { ExperimentConfig } from '../../core/api/config'
import { createEnvForExperiment } from '../../core/envs/registry'
import { createRng } from '../../core/rng'
import {
  finalStateStep,
  type EpisodeRecord,
  type RolloutBatch,
  type StepRecord
} from '../../core/store/records'

/** A uniform-random episode of the env on `seed`, with LM-like log-probs and advantages. */
export function randomEpisode(
  config: ExperimentConfig,
  seed: number,
  rngSeed: number
): EpisodeRecord {
  const env = createEnvForExperiment(config)
  const rng = createRng(rngSeed)
  const reset = env.reset(seed)
  const steps: StepRecord[] = []
  let cur = {
    observation: reset.observation,
    admissibleActions: reset.admissibleActions,
    view: reset.view as unknown
  }
  let ret = 0
  for (let t = 0; t < env.maxSteps; t++) {
    const action = cur.admissibleActions[rng.int(cur.admissibleActions.length)] ?? ''
    const res = env.step(action)
    steps.push({
      t,
      ...cur,
      action,
      reward: res.reward,
      done: res.done,
      logProb: Math.log(rng.next()),
      advantage: rng.next() - 0.5
    })
    ret += res.reward
    cur = { observation: res.observation, admissibleActions: res.admissibleActions, view: res.view }
    if (res.done) break
  }
  steps.push(finalStateStep(steps.length, cur))
  return {
    phase: 'train',
    memberIndex: 0,
    env: config.env,
    task: reset.task,
    seed,
    blueprint: null,
    return: ret,
    success: false,
    length: steps.length - 1,
    steps
  }
}

/** Groups of `size` random episodes per task seed, as a GRPO iteration stores them. */
export function batchOf(
  config: ExperimentConfig,
  iteration: number,
  seeds: number[],
  size: number
): RolloutBatch {
  return {
    iteration,
    groups: seeds.map((seed) => {
      const episodes = Array.from({ length: size }, (_, m) => ({
        ...randomEpisode(config, seed, iteration * 1000 + seed * 10 + m),
        memberIndex: m
      }))
      return { level: 'flat' as const, taskSeed: seed, task: episodes[0]!.task, episodes }
    }),
    loose: []
  }
}
