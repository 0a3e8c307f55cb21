// Masked log-softmax for constrained decoding: a distribution over the allowed tokens only, with
// temperature, and the pick of chosen tokens' log-probabilities.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { MASKED } from '../../../core/agent/models/attention-layout'
import {
  allowedTokenMask,
  maskedLogSoftmax,
  pickLogProbs
} from '../../../core/agent/models/masked-log-softmax'
import { wasmReady } from './helpers'

await wasmReady()

const V = 12
const logitsOf = (seed: number): tf.Tensor2D => tf.randomNormal([3, V], 0, 2, 'float32', seed)

describe('maskedLogSoftmax', () => {
  it('sums to 1 over the allowed tokens and is about MASKED elsewhere', () => {
    const allowedIds = [[0, 3, 4], [11], [1, 2, 5, 6, 7, 8, 9, 10]]
    const logits = logitsOf(1)
    const allowed = allowedTokenMask(allowedIds, V)
    for (const temperature of [1, 0.5, 2.5]) {
      const lp = maskedLogSoftmax(logits, allowed, temperature)
      const values = lp.arraySync()
      const raw = logits.arraySync()
      values.forEach((row, k) => {
        const ids = allowedIds[k] as number[]
        const z = ids.map((i) => ((raw[k] as number[])[i] as number) / temperature)
        const lse = Math.log(z.reduce((p, x) => p + Math.exp(x), 0))
        let mass = 0
        row.forEach((v, i) => {
          if (ids.includes(i)) {
            mass += Math.exp(v)
            expect(Math.abs(v - (z[ids.indexOf(i)] as number) + lse)).toBeLessThan(1e-5)
          } else expect(v).toBeLessThan(MASKED / 2)
        })
        expect(Math.abs(mass - 1)).toBeLessThan(1e-5)
      })
      lp.dispose()
    }
    // a 0/1 float mask behaves like the bool one
    const asFloat = allowed.cast('float32') as tf.Tensor2D
    const a = maskedLogSoftmax(logits, allowed, 0.7)
    const b = maskedLogSoftmax(logits, asFloat, 0.7)
    expect(tf.max(tf.abs(a.sub(b))).dataSync()[0]).toBe(0)
    tf.dispose([logits, allowed, asFloat, a, b])
  })

  it('without a mask is log softmax(logits / temperature); bad temperatures throw', () => {
    const logits = logitsOf(2)
    const a = maskedLogSoftmax(logits, undefined, 2)
    const b = tf.logSoftmax(logits.div(2))
    expect(tf.max(tf.abs(a.sub(b))).dataSync()[0]).toBeLessThan(1e-6)
    for (const t of [0, -1, NaN, Infinity])
      expect(() => maskedLogSoftmax(logits, undefined, t)).toThrow()
    expect(() => allowedTokenMask([[V]], V)).toThrow(/not in vocab/)
    tf.dispose([logits, a, b])
  })

  it('gives no gradient to disallowed logits and a finite entropy', () => {
    const logits = logitsOf(3)
    const allowed = allowedTokenMask([[1, 2], [3], [4, 5, 6]], V)
    const g = tf.grad((x: tf.Tensor) => {
      const lp = maskedLogSoftmax(x as tf.Tensor2D, allowed, 0.9)
      return pickLogProbs(lp, [2, 3, 6]).sum().add(lp.exp().mul(lp).sum().mul(0.1))
    })(logits)
    const grads = g.arraySync() as number[][]
    grads.forEach((row, k) =>
      row.forEach((v, i) => {
        const ok = [[1, 2], [3], [4, 5, 6]][k] as number[]
        expect(Number.isFinite(v)).toBe(true)
        if (!ok.includes(i)) expect(v).toBe(0)
      })
    )
    expect(grads.flat().some((v) => Math.abs(v) > 1e-4)).toBe(true)
    tf.dispose([logits, allowed, g])
  })
})

describe('pickLogProbs', () => {
  it('picks logp[k, target_k]', () => {
    const lp = tf.tensor2d([
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6]
    ])
    expect(Array.from(pickLogProbs(lp, [2, 0]).dataSync())).toEqual([
      Math.fround(0.3),
      Math.fround(0.4)
    ])
    expect(() => pickLogProbs(lp, [1])).toThrow(/targets/)
    lp.dispose()
  })
})
