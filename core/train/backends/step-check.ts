// The numerical check of a backend: one training step of the LM transformer (small config, fixed
// seed and token batch, plain SGD so an update is proportional to its gradient) on the current
// backend, compared with the same step on the cpu backend.
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import {
  createTransformerLM,
  type TransformerConfig,
  type TransformerLM
} from '../../agent/models/transformer'
import { disposeBatch, syntheticBatch } from '../native/reference-step'

export const STEP_CHECK_MODEL: TransformerConfig = {
  vocab: 64,
  dModel: 32,
  layers: 2,
  heads: 4,
  context: 16,
  ffMult: 4
}

export const stepCheckResultSchema = z.object({
  backend: z.string(),
  kernels: z.string(),
  /** Loss before the update. */
  loss: z.number(),
  initial: z.array(z.number()),
  updated: z.array(z.number())
})
export type StepCheckResult = z.infer<typeof stepCheckResultSchema>

/** SGD, so that weights move by lr × gradient (Adam's first step is ±lr whatever the gradient). */
const LEARNING_RATE = 0.5

/** Every weight, in `variables` order, read asynchronously (webgpu cannot read synchronously). */
async function readWeights(model: TransformerLM): Promise<number[]> {
  const parts = await Promise.all(model.variables.map((v) => v.data()))
  return parts.flatMap((p) => Array.from(p))
}

/** One step on the backend tfjs runs now; `kernels` says which kernels it used. */
export async function runStepCheck(kernels: string, seed = 7): Promise<StepCheckResult> {
  const model = createTransformerLM(STEP_CHECK_MODEL, seed)
  const batch = syntheticBatch(STEP_CHECK_MODEL, 4, STEP_CHECK_MODEL.context, seed + 1)
  const initial = await readWeights(model)
  const optimizer = tf.train.sgd(LEARNING_RATE)
  const loss = optimizer.minimize(
    () => model.policyLoss(batch.tokens, batch.targets, batch.advantages),
    true,
    model.variables
  )
  if (!loss) throw new Error('optimizer returned no loss')
  const value = (await loss.data())[0] as number
  loss.dispose()
  const updated = await readWeights(model)
  optimizer.dispose()
  disposeBatch(batch)
  model.dispose()
  return { backend: tf.getBackend(), kernels, loss: value, initial, updated }
}

/** The stated tolerance: float32 with another summation order, relative to the update's size. */
export const STEP_CHECK_TOLERANCE = { lossRel: 1e-5, updateRel: 1e-4 }

export type StepComparison = {
  backend: string
  kernels: string
  lossCpu: number
  loss: number
  lossRelDiff: number
  /** max |w₀ − w₀(cpu)|: the seeded initial weights (0 unless initialisation differs). */
  initialMaxDiff: number
  /** max |w₁ − w₁(cpu)| / max |w₁(cpu) − w₀(cpu)|. */
  updateRelDiff: number
  maxUpdateCpu: number
  pass: boolean
}

const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => {
  if (a.length !== b.length) return Infinity
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)))
  return m
}

export function compareStepChecks(cpu: StepCheckResult, other: StepCheckResult): StepComparison {
  const lossRelDiff = Math.abs(other.loss - cpu.loss) / Math.max(1, Math.abs(cpu.loss))
  const maxUpdateCpu = maxAbsDiff(cpu.updated, cpu.initial)
  const updateRelDiff = maxAbsDiff(other.updated, cpu.updated) / maxUpdateCpu
  const initialMaxDiff = maxAbsDiff(other.initial, cpu.initial)
  return {
    backend: other.backend,
    kernels: other.kernels,
    lossCpu: cpu.loss,
    loss: other.loss,
    lossRelDiff,
    initialMaxDiff,
    updateRelDiff,
    maxUpdateCpu,
    pass:
      initialMaxDiff === 0 &&
      maxUpdateCpu > 0 &&
      lossRelDiff <= STEP_CHECK_TOLERANCE.lossRel &&
      updateRelDiff <= STEP_CHECK_TOLERANCE.updateRel
  }
}
