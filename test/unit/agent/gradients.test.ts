// The wasm backend's gradients (stock kernels and native kernels) equal the cpu backend's for a
// small model, through the paths training will use: padding + segment layout, the head at chosen
// positions, masked log-softmax with temperature, the flat gather, and the reference REINFORCE loss.
import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import {
  allowedTokenMask,
  maskedLogSoftmax,
  pickLogProbs
} from '../../../core/agent/models/masked-log-softmax'
import { createTransformerLM, type TransformerLM } from '../../../core/agent/models/transformer'
import { installNativeKernels, uninstallNativeKernels } from '../../../core/train/native'
import { registerUnsortedSegmentSum } from '../../../core/train/tfjs-patches'
import { nativeAvailable } from '../native/helpers'
import { maxAbsDiff, TINY, wasmReady } from './helpers'

await wasmReady()
const available = nativeAvailable()

// Two rows of 8: row 0 = prompt (seg 1) + two continuations (seg 2, 3 → 1); row 1 left-padded.
const TOKENS = [
  [3, 9, 1, 22, 5, 7, 30, 2],
  [0, 0, 0, 4, 18, 11, 6, 25]
]
const LAYOUT = {
  segments: Int32Array.from([1, 1, 1, 2, 2, 3, 3, 3, 0, 0, 0, 4, 4, 4, 4, 4]),
  parents: Int32Array.from([0, 0, 1, 1, 0])
}
const AT = [2, 4, 7, 12, 15]
const TARGETS = [5, 1, 9, 33, 6]
const ALLOWED = [[5, 6, 7], [1, 2], [9, 10, 11, 12], [33], [0, 6, 8]]

function gradients(model: TransformerLM): { loss: number; grads: Float32Array[] } {
  const tokens = tf.tensor2d(TOKENS, [2, 8], 'int32')
  const targets = tf.tensor2d(
    [TOKENS[0]!.slice(1).concat([0]), TOKENS[1]!.slice(1).concat([0])],
    [2, 8],
    'int32'
  )
  const adv = tf.tensor2d([
    [0.5, -1, 0.25, 1, 2, -0.5, 1, 0],
    [0, 0, 0, 1, -1, 0.5, 0.5, 0]
  ])
  const allowed = allowedTokenMask(ALLOWED, TINY.vocab)
  const { value, grads } = tf.variableGrads(() => {
    const logp = maskedLogSoftmax(model.logitsAt(tokens, AT, LAYOUT), allowed, 0.8)
    const constrained = pickLogProbs(logp, TARGETS)
      .mul(tf.tensor1d([1, -0.5, 2, 1, -1]))
      .mean()
    return constrained.neg().add(model.policyLoss(tokens, targets, adv)) as tf.Scalar
  }, model.variables)
  const out = {
    loss: value.dataSync()[0] as number,
    grads: model.variables.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array)
  }
  tf.dispose([tokens, targets, adv, allowed, value, ...Object.values(grads)])
  return out
}

function onBackend(backend: 'wasm' | 'cpu', native = false) {
  return async (): Promise<{ loss: number; grads: Float32Array[] }> => {
    expect(await tf.setBackend(backend)).toBe(true)
    if (backend === 'cpu') registerUnsortedSegmentSum('cpu')
    if (native) expect(installNativeKernels().enabled).toBe(true)
    const model = createTransformerLM(TINY, 5)
    try {
      return gradients(model)
    } finally {
      model.dispose()
      uninstallNativeKernels()
    }
  }
}

describe('gradients across backends', () => {
  afterAll(async () => {
    await tf.setBackend('wasm')
  })

  it('wasm (stock and native kernels) equals cpu within 1e-5', async () => {
    const cpu = await onBackend('cpu')()
    const variants = [await onBackend('wasm')()]
    if (available) variants.push(await onBackend('wasm', true)())
    expect(cpu.grads.some((g) => g.some((x) => Math.abs(x) > 1e-3))).toBe(true)
    for (const w of variants) {
      expect(Math.abs(w.loss - cpu.loss)).toBeLessThan(1e-5)
      w.grads.forEach((g, i) =>
        expect(maxAbsDiff(g, cpu.grads[i] as Float32Array)).toBeLessThan(1e-5)
      )
    }
  })
})
