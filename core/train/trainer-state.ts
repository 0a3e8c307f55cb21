// A GRPO checkpoint: everything the MLP trainer needs to continue a run exactly where it stopped
// (policy, Adam moments and step, the frozen reference policy, the random generators' positions,
// the iteration and the config). Stored as one float blob plus JSON metadata in `checkpoints`;
// once a newer checkpoint of the run is stored, the writer cuts it down to the policy's weights
// (`weightsOnly`), since runs resume only from their newest checkpoint.
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import { experimentConfigSchema, type ExperimentConfig } from '../api/config'
import type { SerializedWeights } from '../agent/models/mlp-policy'
import type { Sfc32State } from '../rng'
import type { LmTrainerState } from './lm/trainer-state'
import type { CheckpointPayload } from './sink'

export const TRAINER_STATE_FORMAT = 'grpo-mlp-state-v1'

export type OptimizerState = {
  /** Adam's step count and its running β1^t, β2^t (restored as stored, not recomputed). */
  step: number
  accBeta1: number
  accBeta2: number
  /** First moments of every variable, then second moments, in the policy's variable order. */
  moments: SerializedWeights
}

export type TrainerState = {
  kind: 'mlp'
  /** Iterations completed: training continues with this iteration. */
  iteration: number
  config: ExperimentConfig
  policy: SerializedWeights
  reference: SerializedWeights | null
  optimizer: OptimizerState
  rngs: Record<string, Sfc32State>
}

/** What a resumed run continues from: an MLP or a language-model (flat or HiMAC) trainer state. */
export type ResumeState = TrainerState | LmTrainerState

const shapesSchema = z.array(z.array(z.int().min(0)))
const word = z
  .int()
  .min(0)
  .max(2 ** 32 - 1)

const metaSchema = z.object({
  iteration: z.int().min(0),
  config: experimentConfigSchema,
  shapes: z.object({
    policy: shapesSchema,
    reference: shapesSchema.nullable(),
    moments: shapesSchema
  }),
  optimizer: z.object({ step: z.int().min(0), accBeta1: z.number(), accBeta2: z.number() }),
  rngs: z.record(z.string(), z.tuple([word, word, word, word])),
  weightsOnly: z.literal(true).optional()
})

const sizeOf = (shapes: number[][]): number =>
  shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)

/** The parts one after another in one array (the blob of a checkpoint row). */
export function concatFloats(parts: readonly Float32Array[]): Float32Array {
  const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    data.set(p, o)
    o += p.length
  }
  return data
}

export function encodeTrainerState(state: TrainerState): CheckpointPayload {
  const data = concatFloats(
    [state.policy, ...(state.reference ? [state.reference] : []), state.optimizer.moments].map(
      (p) => p.data
    )
  )
  const meta: z.input<typeof metaSchema> = {
    iteration: state.iteration,
    config: state.config,
    shapes: {
      policy: state.policy.shapes,
      reference: state.reference?.shapes ?? null,
      moments: state.optimizer.moments.shapes
    },
    optimizer: {
      step: state.optimizer.step,
      accBeta1: state.optimizer.accBeta1,
      accBeta2: state.optimizer.accBeta2
    },
    rngs: state.rngs
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return {
    format: TRAINER_STATE_FORMAT,
    bytes,
    meta,
    retain: {
      ranges: [[0, state.policy.data.byteLength]],
      meta: {
        ...meta,
        shapes: { policy: state.policy.shapes, reference: null, moments: [] },
        weightsOnly: true
      }
    }
  }
}

export function decodeTrainerState(bytes: Uint8Array, metaJson: unknown): TrainerState {
  const meta = metaSchema.parse(metaJson)
  if (meta.weightsOnly)
    throw new Error(
      `the checkpoint at iteration ${meta.iteration} keeps only the policy's weights (a newer checkpoint replaced its optimizer state); runs resume from their newest checkpoint`
    )
  const data = floatsOf(bytes)
  let o = 0
  const take = (shapes: number[][]): SerializedWeights => {
    const n = sizeOf(shapes)
    if (o + n > data.length) throw new Error('checkpoint blob is shorter than its shapes say')
    const part = { shapes, data: data.slice(o, o + n) }
    o += n
    return part
  }
  const policy = take(meta.shapes.policy)
  const reference = meta.shapes.reference ? take(meta.shapes.reference) : null
  const moments = take(meta.shapes.moments)
  if (o !== data.length) throw new Error('checkpoint blob is longer than its shapes say')
  return {
    kind: 'mlp',
    iteration: meta.iteration,
    config: meta.config,
    policy,
    reference,
    optimizer: { ...meta.optimizer, moments },
    rngs: meta.rngs
  }
}

/** Reads a checkpoint blob (bytes from SQLite, any alignment) as floats. */
export function floatsOf(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4))
}

// tfjs keeps Adam's running powers private; they are part of the exact state.
type AdamInternals = { accBeta1: tf.Variable; accBeta2: tf.Variable; iterations_: number }

export async function captureAdam(optimizer: tf.AdamOptimizer): Promise<OptimizerState> {
  const weights = await optimizer.getWeights()
  const [iter, ...slots] = weights
  const internals = optimizer as unknown as AdamInternals
  const data = concatFloats(slots.map((w) => w.tensor.dataSync() as Float32Array))
  const state: OptimizerState = {
    step: optimizer.iterations,
    accBeta1: internals.accBeta1.dataSync()[0] as number,
    accBeta2: internals.accBeta2.dataSync()[0] as number,
    moments: { shapes: slots.map((w) => w.tensor.shape.slice()), data }
  }
  iter?.tensor.dispose()
  return state
}

/** Restores moments and step into a fresh Adam whose variables are `variables` (same order). */
export async function restoreAdam(
  optimizer: tf.AdamOptimizer,
  variables: tf.Variable[],
  state: OptimizerState
): Promise<void> {
  const slots: { name: string; tensor: tf.Tensor }[] = []
  let o = 0
  const names = [...variables.map((v) => `${v.name}/m`), ...variables.map((v) => `${v.name}/v`)]
  if (state.moments.shapes.length !== 0 && state.moments.shapes.length !== names.length)
    throw new Error(
      `checkpoint has ${state.moments.shapes.length} optimizer slots, the policy needs ${names.length}`
    )
  state.moments.shapes.forEach((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1)
    slots.push({
      name: names[i] as string,
      tensor: tf.tensor(state.moments.data.subarray(o, o + n), shape)
    })
    o += n
  })
  const iter = { name: 'iter', tensor: tf.scalar(state.step, 'int32') }
  await optimizer.setWeights([iter, ...slots])
  tf.dispose([iter.tensor, ...slots.map((s) => s.tensor)])
  const internals = optimizer as unknown as AdamInternals
  tf.tidy(() => {
    internals.accBeta1.assign(tf.scalar(state.accBeta1))
    internals.accBeta2.assign(tf.scalar(state.accBeta2))
  })
}
