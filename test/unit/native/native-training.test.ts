// A short training run of the reference transformer gives the same losses with and without the
// native kernels, and the model itself behaves (shapes, causality, parameter count).
import * as tf from '@tensorflow/tfjs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createTransformerLM,
  parameterCount,
  REFERENCE_TRANSFORMER,
  type TransformerConfig
} from '../../../core/agent/models/transformer'
import { installNativeKernels, uninstallNativeKernels } from '../../../core/train/native'
import {
  createReferenceTrainer,
  disposeBatch,
  syntheticBatch
} from '../../../core/train/native/reference-step'
import { nativeAvailable, wasmReady } from './helpers'

await wasmReady()
const available = nativeAvailable()

const TINY: TransformerConfig = {
  vocab: 32,
  dModel: 16,
  layers: 2,
  heads: 2,
  context: 12,
  ffMult: 4
}

function trainLosses(native: boolean, steps: number): number[] {
  if (native) expect(installNativeKernels().enabled).toBe(true)
  else uninstallNativeKernels()
  const trainer = createReferenceTrainer(TINY, 42, 3e-3)
  const batch = syntheticBatch(TINY, 4, TINY.context, 5)
  const losses: number[] = []
  for (let i = 0; i < steps; i++) losses.push(trainer.step(batch))
  disposeBatch(batch)
  trainer.dispose()
  uninstallNativeKernels()
  return losses
}

describe('reference transformer', () => {
  afterEach(() => uninstallNativeKernels())

  it('has the documented parameter count and output shapes', () => {
    const policy = createTransformerLM(TINY, 1)
    const counted = policy.variables.reduce((p, v) => p + v.size, 0)
    expect(counted).toBe(parameterCount(TINY))
    expect(parameterCount(REFERENCE_TRANSFORMER)).toBe(544_768)
    const tokens = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32')
    const logits = policy.logits(tokens)
    expect(logits.shape).toEqual([2, 3, TINY.vocab])
    const logp = policy.tokenLogProbs(tokens, tokens)
    expect(logp.shape).toEqual([2, 3])
    expect(Math.max(...logp.dataSync())).toBeLessThan(0)
    tf.dispose([tokens, logits, logp])
    policy.dispose()
  })

  it('is causal: changing a later token leaves earlier logits unchanged', () => {
    const policy = createTransformerLM(TINY, 2)
    const a = tf.tensor2d([[3, 1, 4, 1, 5, 9]], undefined, 'int32')
    const b = tf.tensor2d([[3, 1, 4, 7, 7, 7]], undefined, 'int32')
    const la = policy.logits(a).slice([0, 0, 0], [1, 3, TINY.vocab])
    const lb = policy.logits(b).slice([0, 0, 0], [1, 3, TINY.vocab])
    expect(tf.max(tf.abs(la.sub(lb))).dataSync()[0]).toBeLessThan(1e-6)
    const late = policy.logits(b).slice([0, 3, 0], [1, 1, TINY.vocab])
    const lateA = policy.logits(a).slice([0, 3, 0], [1, 1, TINY.vocab])
    expect(tf.max(tf.abs(late.sub(lateA))).dataSync()[0]).toBeGreaterThan(1e-4)
    policy.dispose()
    tf.dispose([a, b, la, lb, late, lateA])
  })

  it('training on a fixed batch with positive advantage raises its log-probability', () => {
    const trainer = createReferenceTrainer(TINY, 3, 1e-2)
    const batch = syntheticBatch(TINY, 2, 8, 9)
    const adv = tf.onesLike(batch.advantages) as tf.Tensor2D
    const up = { ...batch, advantages: adv }
    const first = trainer.step(up)
    let last = first
    for (let i = 0; i < 8; i++) last = trainer.step(up)
    expect(last).toBeLessThan(first - 0.1)
    disposeBatch(batch)
    adv.dispose()
    trainer.dispose()
  })

  it.skipIf(!available)('gives the same losses with and without the native kernels', () => {
    const before = tf.memory().numTensors
    const stock = trainLosses(false, 5)
    const native = trainLosses(true, 5)
    expect(native).toHaveLength(5)
    for (let i = 0; i < 5; i++)
      expect(Math.abs((native[i] as number) - (stock[i] as number))).toBeLessThan(1e-5)
    // the run actually learned something (losses move), so equality is not trivial
    expect(new Set(stock.map((l) => l.toFixed(4))).size).toBeGreaterThan(1)
    expect(tf.memory().numTensors).toBe(before)
  })
})
