// The old log-prob of PPO is the sampling policy's: what the rollout stored for each action, and what
// the update uses as π_old before its first epoch, equal π(a | s) recomputed at the sampling temperature.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMlpPolicy } from '../../../core/agent/models/mlp-policy'
import {
  experimentConfigSchema,
  learningRateOf,
  type ExperimentConfig
} from '../../../core/api/config'
import type { EnvView } from '../../../core/envs/env'
import { createEnvForExperiment } from '../../../core/envs/registry'
import { createRng } from '../../../core/rng'
import { openDatabase, StoreWriter } from '../../../core/store'
import { selectBackend } from '../../../core/train/backend'
import { sampler, sokobanEncoder, trainFlatGrpo } from '../../../core/train/grpo'
import { policyUpdate } from '../../../core/train/policy-update'
import { rolloutLockstep } from '../../../core/train/rollout'
import { createStoreSink } from '../../../core/train/store-sink'
import { readStoredRun } from '../../helpers/stored-run'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
beforeAll(async () => {
  await selectBackend('auto')
})
afterAll(() => tmp.remove())

const SOKOBAN_ACTIONS = 4

const configAt = (temperature: number): ExperimentConfig =>
  experimentConfigSchema.parse({
    iterations: 1,
    seed: 3,
    groupsPerIteration: 2,
    groupSize: 4,
    evalEvery: 0,
    temperature,
    policy: { hidden: [32] }
  })

/** log π(a | view) at the config's sampling temperature, from a policy with the given weights seed. */
function recomputeLogProbs(
  config: ExperimentConfig,
  seed: number,
  rows: { view: EnvView; action: number }[]
): number[] {
  const encoder = sokobanEncoder(config)
  const policy = createMlpPolicy({
    inputSize: encoder.size,
    hidden: config.policy.hidden,
    numActions: SOKOBAN_ACTIONS,
    seed
  })
  const features = new Float32Array(rows.length * encoder.size)
  rows.forEach((r, i) => encoder.encode(r.view, features, i * encoder.size))
  const probs = policy.probs(features, rows.length, config.temperature)
  policy.dispose()
  return rows.map((r, i) => Math.log(probs[i * SOKOBAN_ACTIONS + r.action] as number))
}

describe.each([1, 0.7])('old log-probs at sampling temperature %s', (temperature) => {
  it('the stored step log_prob is log π_sampling(a | s) of the chosen action', async () => {
    const config = configAt(temperature)
    const file = tmp.file(`old-logp-${temperature}.db`)
    const db = openDatabase(file)
    const writer = new StoreWriter(db)
    const runId = writer.createRun(writer.createExperiment('logp', null, config), config)
    await trainFlatGrpo(config, createStoreSink(writer, runId))
    db.close()
    const acted = readStoredRun(file, runId)
      .episodes.filter((e) => e.phase === 'train' && e.iteration === 0)
      .flatMap((e) => e.steps.filter((s) => s.action !== ''))
    expect(acted.length).toBeGreaterThan(2 * 4)
    // Iteration 0 samples with the freshly initialised policy, whose weights come from the run seed.
    const expected = recomputeLogProbs(
      config,
      config.seed,
      acted.map((s) => ({ view: s.view as EnvView, action: s.admissible.indexOf(s.action) }))
    )
    expect(acted.map((s) => s.logProb)).toEqual(expected.map((x) => expect.closeTo(x, 4)))
  })

  it('the update starts from the log-probs the sampler recorded, so nothing is clipped in epoch 1', () => {
    const config = { ...configAt(temperature), ppoEpochs: 1, minibatches: 1 }
    const encoder = sokobanEncoder(config)
    const policy = createMlpPolicy({
      inputSize: encoder.size,
      hidden: config.policy.hidden,
      numActions: SOKOBAN_ACTIONS,
      seed: 11
    })
    const seeds = [101, 101, 202, 202]
    const envs = seeds.map(() => createEnvForExperiment(config))
    const traces = rolloutLockstep(
      envs,
      seeds,
      encoder,
      sampler(policy, createRng(5), config.temperature)
    )
    const recorded = traces.flatMap((t) => t.steps.flatMap((s) => (s.action ? [s.logProb] : [])))
    const count = recorded.length
    const features = new Float32Array(count * encoder.size)
    traces.flatMap((t) => t.features).forEach((f, i) => features.set(f, i * encoder.size))
    const advantages = traces.flatMap((t, i) => t.actions.map(() => (i % 2 === 0 ? 1 : -1)))
    const optimizer = tf.train.adam(learningRateOf(config))
    const update = policyUpdate(
      policy,
      optimizer,
      config,
      {
        features,
        actions: Int32Array.from(traces.flatMap((t) => t.actions)),
        advantages: Float32Array.from(advantages),
        oldLogProbs: Float32Array.from(recorded as number[]),
        count
      },
      { rng: createRng(9) }
    )
    optimizer.dispose()
    policy.dispose()
    expect(Array.from(update.oldLogProbs)).toEqual(
      recorded.map((x) => expect.closeTo(x as number, 4))
    )
    expect(update.clipFraction).toBe(0)
    // The ratio π/π_old is 1 on the first minibatch: π_old is the sampling policy itself.
    expect(update.firstRatioDeviation).toBeLessThan(1e-4)
  })
})
