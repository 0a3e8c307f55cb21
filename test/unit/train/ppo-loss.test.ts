// The PPO-clipped loss on hand-made ratios and advantages: value, clip fraction and gradients.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { klPenalty, meanEntropy, ppoLoss } from '../../../core/train/ppo-loss'
import { minibatchIndices } from '../../../core/train/policy-update'
import { createRng } from '../../../core/rng'

const EPS = 0.2
const COEF = 0.01

// Per sample: advantage, ratio = π/π_old, and d(surrogate)/d(logp) = r·A when unclipped, 0 when clipped.
const cases = [
  { why: 'A > 0, r > 1 + ε: clipped', adv: 2, ratio: 1.5, surrogate: 1.2 * 2, dSurr: 0 },
  { why: 'A < 0, r < 1 − ε: clipped', adv: -1, ratio: 0.5, surrogate: 0.8 * -1, dSurr: 0 },
  { why: 'A > 0, r inside: unclipped', adv: 2, ratio: 1.1, surrogate: 1.1 * 2, dSurr: 1.1 * 2 },
  { why: 'A < 0, r inside: unclipped', adv: -1, ratio: 0.9, surrogate: -0.9, dSurr: -0.9 },
  // The pessimistic bound: the clip never hides a ratio that makes the objective worse.
  { why: 'A > 0, r < 1 − ε: unclipped', adv: 1, ratio: 0.5, surrogate: 0.5, dSurr: 0.5 },
  { why: 'A < 0, r > 1 + ε: unclipped', adv: -1, ratio: 1.5, surrogate: -1.5, dSurr: -1.5 }
]
const oldLogps = [-1, -2, -0.5, -1.5, -3, -0.7]
const n = cases.length

function lossOf(logp: tf.Tensor, entropy: tf.Tensor, pick: 'loss' | 'clipFraction' = 'loss') {
  const out = ppoLoss({
    logp: logp as tf.Tensor1D,
    oldLogp: tf.tensor1d(oldLogps),
    advantages: tf.tensor1d(cases.map((c) => c.adv)),
    entropy: entropy as tf.Scalar,
    clipEpsilon: EPS,
    entropyCoef: COEF
  })
  return out[pick]
}

const logpTensor = () =>
  tf.tensor1d(cases.map((c, i) => (oldLogps[i] as number) + Math.log(c.ratio)))
const scalarOf = (t: tf.Tensor): number => t.dataSync()[0] as number

describe('ppoLoss', () => {
  it('is −mean of the clipped surrogate minus the entropy bonus', () => {
    const meanSurrogate = cases.reduce((s, c) => s + c.surrogate, 0) / n
    expect(scalarOf(lossOf(logpTensor(), tf.scalar(1.3)))).toBeCloseTo(
      -meanSurrogate - COEF * 1.3,
      5
    )
  })

  it('passes no gradient through clipped samples and r·A through the others', () => {
    const [dLogp] = tf.grads((logp: tf.Tensor) => lossOf(logp, tf.scalar(1.3)) as tf.Scalar)([
      logpTensor()
    ]) as [tf.Tensor]
    const got = Array.from(dLogp.dataSync())
    cases.forEach((c, i) => {
      expect({ why: c.why, grad: got[i] }).toEqual({
        why: c.why,
        grad: expect.closeTo(-c.dSurr / n, 5)
      })
    })
  })

  it('reports the share of ratios outside 1 ± ε as the clip fraction', () => {
    const outside = cases.filter((c) => Math.abs(c.ratio - 1) > EPS).length
    expect(scalarOf(lossOf(logpTensor(), tf.scalar(0), 'clipFraction'))).toBeCloseTo(outside / n, 6)
    const sameAsOld = lossOf(tf.tensor1d(oldLogps), tf.scalar(0), 'clipFraction')
    expect(scalarOf(sameAsOld)).toBe(0)
  })

  it('rewards entropy: the loss falls by the coefficient per nat', () => {
    const [dEntropy] = tf.grads((h: tf.Tensor) => lossOf(logpTensor(), h) as tf.Scalar)([
      tf.scalar(1.3)
    ]) as [tf.Tensor]
    expect(scalarOf(dEntropy)).toBeCloseTo(-COEF, 6)
    const withBonus = scalarOf(lossOf(logpTensor(), tf.scalar(1.3)))
    const without = scalarOf(lossOf(logpTensor(), tf.scalar(0)))
    expect(withBonus - without).toBeCloseTo(-COEF * 1.3, 5)
  })

  it('at ratio 1 is the plain policy gradient −mean(A)·∇logp', () => {
    const [dLogp] = tf.grads((logp: tf.Tensor) => lossOf(logp, tf.scalar(0)) as tf.Scalar)([
      tf.tensor1d(oldLogps)
    ]) as [tf.Tensor]
    expect(Array.from(dLogp.dataSync())).toEqual(cases.map((c) => expect.closeTo(-c.adv / n, 6)))
  })
})

describe('meanEntropy', () => {
  it('is the mean over rows of −Σ p·log p (positive, log k when uniform)', () => {
    const uniform = tf.logSoftmax(tf.zeros([1, 4])) as tf.Tensor2D
    expect(scalarOf(meanEntropy(uniform))).toBeCloseTo(Math.log(4), 5)
    const rows = tf.log(
      tf.tensor2d([
        [0.25, 0.25, 0.25, 0.25],
        [0.7, 0.1, 0.1, 0.1]
      ])
    ) as tf.Tensor2D
    const peaked = -(0.7 * Math.log(0.7) + 3 * 0.1 * Math.log(0.1))
    expect(scalarOf(meanEntropy(rows))).toBeCloseTo((Math.log(4) + peaked) / 2, 5)
  })
})

describe('klPenalty (k3 estimator)', () => {
  it('is 0 when the policy equals the reference, and exp(d) − d − 1 per sample otherwise', () => {
    const same = klPenalty(tf.tensor1d([-1, -2, -0.5]), tf.tensor1d([-1, -2, -0.5]))
    expect(same.dataSync()[0]).toBeCloseTo(0, 7)
    // ref − logp = 0.5 and −0.5
    const kl = klPenalty(tf.tensor1d([-1, -1]), tf.tensor1d([-0.5, -1.5]))
    const expected = (Math.exp(0.5) - 0.5 - 1 + Math.exp(-0.5) + 0.5 - 1) / 2
    expect(kl.dataSync()[0]).toBeCloseTo(expected, 6)
    expect(expected).toBeGreaterThan(0)
  })
})

describe('minibatchIndices', () => {
  it('splits a seeded shuffle into near-equal parts that cover every sample once', () => {
    const parts = minibatchIndices(11, 3, createRng(4))
    expect(parts.map((p) => p.length)).toEqual([3, 4, 4])
    expect([...parts.flatMap((p) => Array.from(p))].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 11 }, (_, i) => i)
    )
    expect(minibatchIndices(11, 3, createRng(4))).toEqual(parts)
    expect(minibatchIndices(2, 5, createRng(4))).toHaveLength(2)
  })
})
