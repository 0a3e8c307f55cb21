// The LM's PPO update on recorded decisions: ratio 1 before the first step when the record came from
// the same weights, the sign of the update, clipping, the KL to a reference, forced tokens, and no
// tensor leak.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LmTrajectory } from '../../../core/agent/lm/record'
import {
  createTransformerLM,
  transformerFromWeights,
  type TransformerLM
} from '../../../core/agent/models/transformer'
import { createRng } from '../../../core/rng'
import { lmPolicyUpdate, type LmUpdateOptions } from '../../../core/train/lm/ppo'
import type { LmSample } from '../../../core/train/lm/token-batch'
import {
  chunkLogits,
  cpuReady,
  decisionLogProbs,
  maskedLogProbs,
  randomTrajectory,
  recordLogProbs,
  TINY_LM
} from '../../helpers/lm-trajectories'

beforeAll(cpuReady)

const OPTIONS: LmUpdateOptions = {
  clipEpsilon: 0.2,
  klCoef: 0.01,
  entropyCoef: 0.01,
  ppoEpochs: 1,
  minibatches: 2,
  maxGradNorm: 1
}

/** Every decision of the trajectories, with seeded advantages in [−1, 1]. */
function samplesOf(trajectories: LmTrajectory[], seed: number): LmSample[] {
  const rng = createRng(seed)
  return trajectories.flatMap((trajectory) =>
    trajectory.decisions.map((_, decision) => ({
      trajectory,
      decision,
      advantage: rng.uniform(-1, 1)
    }))
  )
}

/** Trajectories at mixed temperatures with log-probs recorded from the model. */
function recorded(model: TransformerLM, seeds: number[]): LmTrajectory[] {
  const temps = [1, 0.7, 1.3]
  return seeds.map((s, i) => recordLogProbs(model, randomTrajectory(s, temps[i % 3])))
}

describe('lmPolicyUpdate', () => {
  it('has ratio 1 and no clipping on the first minibatch; the ratio moves after a step', () => {
    const model = createTransformerLM(TINY_LM, 1)
    const reference = transformerFromWeights(model.serialize())
    const samples = samplesOf(recorded(model, [10, 11, 12, 13, 14, 15]), 1)
    const stats = lmPolicyUpdate({
      model,
      reference,
      optimizer: tf.train.adam(0.01),
      samples,
      options: { ...OPTIONS, ppoEpochs: 2 },
      rng: createRng(2)
    })
    expect(stats.minibatches).toBe(4)
    expect(stats.firstRatioDeviation).toBeLessThan(1e-5)
    expect(stats.steps[0]!.clipFraction).toBe(0)
    expect(Math.abs(stats.steps[0]!.approxKl)).toBeLessThan(1e-5)
    // the second epoch reads the same decisions after two steps: the ratio is no longer 1
    expect(
      Math.max(stats.steps[2]!.ratioDeviation, stats.steps[3]!.ratioDeviation)
    ).toBeGreaterThan(1e-3)
    expect(stats.tokens).toBe(samples.length * 3)
    expect(stats.choiceTokens).toBe(samples.length * 2)
    expect(stats.steps[0]!.entropy).toBeGreaterThan(0)
    for (const key of ['loss', 'policyLoss', 'kl', 'gradNorm'] as const)
      expect(Number.isFinite(stats[key])).toBe(true)
    model.dispose()
    reference.dispose()
  })

  it("moves a decision's probability in the sign of its advantage", () => {
    const trajectory = randomTrajectory(20)
    const probability = (model: TransformerLM): number =>
      Math.exp(decisionLogProbs(model, trajectory, trajectory.decisions[0]!)[0]!)
    for (const advantage of [1, -1]) {
      const model = createTransformerLM(TINY_LM, 3)
      const samples = [{ trajectory: recordLogProbs(model, trajectory), decision: 0, advantage }]
      const before = probability(model)
      lmPolicyUpdate({
        model,
        reference: null,
        optimizer: tf.train.sgd(0.5),
        samples,
        options: { ...OPTIONS, klCoef: 0, entropyCoef: 0, minibatches: 1 },
        rng: createRng(1)
      })
      const after = probability(model)
      expect(Math.sign(after - before)).toBe(advantage)
      expect(Math.abs(after - before)).toBeGreaterThan(1e-3)
      model.dispose()
    }
  })

  it('clips once large steps have moved the policy', () => {
    const model = createTransformerLM(TINY_LM, 4)
    const stats = lmPolicyUpdate({
      model,
      reference: null,
      optimizer: tf.train.adam(0.05),
      samples: samplesOf(recorded(model, [30, 31, 32, 33]), 2),
      options: { ...OPTIONS, ppoEpochs: 4, maxGradNorm: 100 },
      rng: createRng(3)
    })
    expect(stats.steps[0]!.clipFraction).toBe(0)
    expect(Math.max(...stats.steps.slice(1).map((s) => s.clipFraction))).toBeGreaterThan(0)
    model.dispose()
  })

  it('has KL 0 to a reference with the same weights, and > 0 once the weights differ', () => {
    const model = createTransformerLM(TINY_LM, 5)
    const reference = transformerFromWeights(model.serialize())
    const stats = lmPolicyUpdate({
      model,
      reference,
      optimizer: tf.train.adam(0.02),
      samples: samplesOf(recorded(model, [40, 41, 42, 43]), 3),
      options: { ...OPTIONS, ppoEpochs: 2 },
      rng: createRng(4)
    })
    expect(Math.abs(stats.steps[0]!.kl)).toBeLessThan(1e-7)
    expect(stats.steps.at(-1)!.kl).toBeGreaterThan(1e-6)
    model.dispose()
    reference.dispose()
  })

  it("token-means the first step's metrics over the choice tokens (checked in float64)", () => {
    const model = createTransformerLM(TINY_LM, 9)
    const reference = createTransformerLM(TINY_LM, 10)
    const samples = samplesOf(recorded(model, [70, 71]), 9)
    // expected: entropy of each masked tempered distribution, k3 to the reference, −A at ratio 1
    let entropy = 0
    let kl = 0
    let surrogate = 0
    let n = 0
    for (const s of samples) {
      const d = s.trajectory.decisions[s.decision]!
      const chunk = s.trajectory.chunks[d.chunk]!
      const mine = chunkLogits(model, chunk)
      const ref = chunkLogits(reference, chunk)
      d.positions.forEach((p, j) => {
        const allowed = d.allowed[j]!
        if (allowed.length === 1) return
        const lp = maskedLogProbs(mine[p - 1]!, allowed, d.temperature)
        const rp = maskedLogProbs(ref[p - 1]!, allowed, d.temperature)
        for (const x of lp.values()) entropy -= Math.exp(x) * x
        const diff = rp.get(chunk[p]!)! - lp.get(chunk[p]!)!
        kl += Math.exp(diff) - diff - 1
        surrogate += s.advantage
        n++
      })
    }
    const stats = lmPolicyUpdate({
      model,
      reference,
      optimizer: tf.train.sgd(0.01),
      samples,
      options: { ...OPTIONS, minibatches: 1 },
      rng: createRng(10)
    })
    const first = stats.steps[0]!
    expect(first.choiceTokens).toBe(n)
    expect(first.entropy).toBeCloseTo(entropy / n, 4)
    expect(first.kl).toBeCloseTo(kl / n, 4)
    expect(first.kl).toBeGreaterThan(1e-3)
    expect(first.policyLoss).toBeCloseTo(-surrogate / n, 4)
    expect(first.loss).toBeCloseTo(
      first.policyLoss + OPTIONS.klCoef * first.kl - OPTIONS.entropyCoef * first.entropy,
      5
    )
    model.dispose()
    reference.dispose()
  })

  it('ignores forced tokens: changing their recorded log-prob changes nothing', () => {
    const run = (mutate: (t: LmTrajectory) => void) => {
      const model = createTransformerLM(TINY_LM, 6)
      const reference = createTransformerLM(TINY_LM, 7)
      const trajectories = recorded(model, [50, 51, 52])
      for (const t of trajectories) mutate(t)
      const stats = lmPolicyUpdate({
        model,
        reference,
        optimizer: tf.train.adam(0.01),
        samples: samplesOf(trajectories, 5),
        options: OPTIONS,
        rng: createRng(6)
      })
      const weights = model.serialize().data
      model.dispose()
      reference.dispose()
      return { stats, weights }
    }
    const forEachToken = (
      t: LmTrajectory,
      f: (single: boolean, lp: Float32Array, j: number) => void
    ) =>
      t.decisions.forEach((d) => d.allowed.forEach((a, j) => f(a.length === 1, d.tokenLogProbs, j)))
    const base = run(() => {})
    const forced = run((t) =>
      forEachToken(t, (single, lp, j) => {
        if (single) lp[j] = -2.5
      })
    )
    expect(forced.stats.loss).toBe(base.stats.loss)
    expect(forced.stats.clipFraction).toBe(base.stats.clipFraction)
    expect(Array.from(forced.weights)).toEqual(Array.from(base.weights))
    // the same change on choice tokens does change the update
    const choices = run((t) =>
      forEachToken(t, (single, lp, j) => {
        if (!single) lp[j] = (lp[j] as number) - 2.5
      })
    )
    expect(choices.stats.loss).not.toBe(base.stats.loss)
  })

  it('keeps the tensor count flat over repeated updates', () => {
    const model = createTransformerLM(TINY_LM, 8)
    const reference = transformerFromWeights(model.serialize())
    const optimizer = tf.train.adam(0.01)
    const samples = samplesOf(recorded(model, [60, 61, 62]), 7)
    const rng = createRng(8)
    const update = () =>
      lmPolicyUpdate({ model, reference, optimizer, samples, options: OPTIONS, rng })
    update() // the optimizer creates its slots on the first step
    const after1 = tf.memory().numTensors
    update()
    update()
    expect(tf.memory().numTensors).toBe(after1)
    model.dispose()
    reference.dispose()
    optimizer.dispose()
  })
})
