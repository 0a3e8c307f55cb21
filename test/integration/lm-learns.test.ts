// A short real LM run must lift held-out success above its own warm start (issue 13's test): a
// small transformer cloned from a few BFS demonstrations, then flat GiGPO with verl-agent's update
// settings (entropy 0.001, advantages without std normalisation). The first evaluation runs before
// the first update, so it measures the warm start; every number here is fixed by the seed.
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema, type ExperimentConfigInput } from '../../core/api/config'
import { runExperiment } from '../../core/train/run'
import type { TrainingSink } from '../../core/train/sink'

type Point = { iteration: number; values: Record<string, number> }

async function evaluations(input: ExperimentConfigInput): Promise<Point[]> {
  const points: Point[] = []
  const sink: TrainingSink = {
    started: () => undefined,
    rollouts: () => undefined,
    metrics: (iteration, values) => points.push({ iteration, values }),
    progress: () => undefined,
    checkpoint: () => undefined
  }
  const outcome = await runExperiment(experimentConfigSchema.parse(input), sink)
  expect(outcome.status).toBe('completed')
  return points.filter((p) => p.values['eval/success_rate'] !== undefined)
}

/** Held-out success at the last evaluation beats the warm start's (the first) by > 0.1, greedy and
 * at T 0.4, and the random policy's by > 0.1. */
function expectRise(evals: Point[]): void {
  const first = evals[0]!.values
  const last = evals[evals.length - 1]!.values
  const curve = evals.map((p) => ({
    iteration: p.iteration,
    t04: p.values['eval/success_rate'],
    greedy: p.values['eval/greedy_success_rate']
  }))
  console.log(JSON.stringify({ random: last['eval/random_success_rate'], curve }))
  expect(evals.length).toBeGreaterThanOrEqual(3)
  expect(last['eval/success_rate']!).toBeGreaterThan(first['eval/success_rate']! + 0.1)
  expect(last['eval/greedy_success_rate']!).toBeGreaterThan(
    first['eval/greedy_success_rate']! + 0.1
  )
  expect(last['eval/success_rate']!).toBeGreaterThan(last['eval/random_success_rate']! + 0.1)
}

describe('the LM agent learns beyond its warm start', () => {
  it('Sokoban 6×6: GiGPO raises held-out success well above the cloned policy', async () => {
    const evals = await evaluations({
      env: 'sokoban',
      algo: 'gigpo',
      iterations: 40,
      seed: 0,
      groupsPerIteration: 8,
      groupSize: 8,
      learningRate: 1e-3,
      entropyCoef: 0.001,
      advantageNorm: 'mean',
      evalEvery: 20,
      evalEpisodes: 128,
      policy: {
        kind: 'lm',
        lm: { dModel: 32, layers: 1, heads: 2 },
        warmStart: { episodes: 16, epochs: 1, batchDecisions: 64 }
      }
    })
    expectRise(evals)
  }, 600_000)
})
