// Real environment episodes of a uniform-random agent, grouped by task as a GRPO iteration stores
// them: store tests that need repeated tasks with differing trajectories.
import type { ExperimentConfig } from '../../core/api/config'
import { createRng } from '../../core/rng'
import type { EpisodeRecord, RolloutBatch } from '../../core/store/records'
import { randomEpisode as playRandomly } from '../../core/train/baselines'

/** A uniform-random episode of the env on `seed`, with LM-like log-probs and advantages. */
export function randomEpisode(
  config: ExperimentConfig,
  seed: number,
  rngSeed: number
): EpisodeRecord {
  const { taskType: _taskType, ...ep } = playRandomly(config, seed, rngSeed)
  const rng = createRng(rngSeed ^ 0x10ca1)
  const steps = ep.steps.map((s, t) =>
    t < ep.length ? { ...s, logProb: Math.log(rng.next()), advantage: rng.next() - 0.5 } : s
  )
  return { ...ep, phase: 'train', steps }
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
