// One model size on the backend tfjs runs now: training tokens/s (forward + backward + Adam) and
// forward tokens/s, warm-up excluded, median of k steps, with the batch doubled until one training
// step takes at least `minStepMs`. Reads are asynchronous so the webgpu backend runs it too.
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import {
  createTransformerLM,
  parameterCount,
  transformerConfigSchema
} from '../../agent/models/transformer'
import { summarize, type TimingSummary } from '../native/bench'
import { disposeBatch, syntheticBatch, type ReinforceBatch } from '../native/reference-step'

export const sizeBenchOptionsSchema = z.object({
  model: transformerConfigSchema,
  /** Sequence length of the batches (≤ model.context). */
  seq: z.int().positive(),
  minStepMs: z.number().positive().default(50),
  startBatch: z.int().positive().default(1),
  maxBatch: z.int().positive().default(64),
  warmup: z.int().nonnegative().default(2),
  steps: z.int().positive().default(5),
  seed: z.int().default(1)
})
export type SizeBenchOptions = z.input<typeof sizeBenchOptionsSchema>

export type SizeBenchResult = {
  parameters: number
  batch: number
  seq: number
  train: TimingSummary & { tokensPerSec: number }
  forward: TimingSummary & { tokensPerSec: number }
  /** Loss of the first and last timed steps (a sanity check that training ran). */
  losses: [number, number]
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

export async function benchSize(input: SizeBenchOptions): Promise<SizeBenchResult> {
  const o = sizeBenchOptionsSchema.parse(input)
  const model = createTransformerLM(o.model, o.seed)
  const optimizer = tf.train.adam(1e-4)
  const step = async (b: ReinforceBatch): Promise<number> => {
    const loss = optimizer.minimize(
      () => model.policyLoss(b.tokens, b.targets, b.advantages),
      true,
      model.variables
    )
    if (!loss) throw new Error('optimizer returned no loss')
    // The read flushes every queued kernel, the update's too (it was recorded before the read).
    const value = (await loss.data())[0] as number
    loss.dispose()
    return value
  }
  // The logits of every position, summed on the device: a one-number read on every backend.
  const forward = async (tokens: tf.Tensor2D): Promise<void> => {
    const total = tf.tidy(() => model.logits(tokens).sum())
    await total.data()
    total.dispose()
  }
  let batchSize = o.startBatch
  let data = syntheticBatch(o.model, batchSize, o.seq, o.seed)
  try {
    // Each new batch size compiles new shaders (webgpu): one untimed step before its timed one.
    for (let i = 0; i < o.warmup; i++) await step(data)
    for (;;) {
      const ms = await timed(() => step(data))
      if (ms >= o.minStepMs || batchSize * 2 > o.maxBatch) break
      disposeBatch(data)
      batchSize *= 2
      data = syntheticBatch(o.model, batchSize, o.seq, o.seed)
      await step(data)
    }
    const trainMs: number[] = []
    const losses: number[] = []
    for (let i = 0; i < o.steps; i++) {
      const t0 = performance.now()
      losses.push(await step(data))
      trainMs.push(performance.now() - t0)
    }
    for (let i = 0; i < o.warmup; i++) await forward(data.tokens)
    const forwardMs: number[] = []
    for (let i = 0; i < o.steps; i++) forwardMs.push(await timed(() => forward(data.tokens)))
    const tokens = batchSize * o.seq
    const rate = (s: TimingSummary): TimingSummary & { tokensPerSec: number } => ({
      ...s,
      tokensPerSec: Math.round((tokens * 1000) / s.medianMs)
    })
    return {
      parameters: parameterCount(o.model),
      batch: batchSize,
      seq: o.seq,
      train: rate(summarize(trainMs)),
      forward: rate(summarize(forwardMs)),
      losses: [losses[0] as number, losses[losses.length - 1] as number]
    }
  } finally {
    disposeBatch(data)
    optimizer.dispose()
    model.dispose()
  }
}
