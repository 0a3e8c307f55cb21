// A resumable checkpoint of a language-model run (flat LM or HiMAC): per role the weights, the
// frozen KL reference and Adam's state; the tokenizer; the RNG positions; the iteration and where
// RL began (after the cloning epochs). Stored as one float blob plus JSON metadata. It is also an
// LM checkpoint: `himac eval --run` reads its executor (and planner) weights.
// Once a newer checkpoint of the run is stored, the writer cuts this one down to its weights
// (`weightsOnly`: no reference, no Adam moments, a quarter of the bytes): runs resume only from
// their newest checkpoint, while evaluation and counterfactual replay read any checkpoint's weights.
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import { experimentConfigSchema, type ExperimentConfig } from '../../api/config'
import {
  copyTransformer,
  transformerConfigSchema,
  transformerFromWeights,
  type SerializedTransformer,
  type TransformerLM
} from '../../agent/models/transformer'
import { tokenizerJsonSchema, type TokenizerJson } from '../../agent/tokenizer'
import { tokenizerToJson, type Tokenizer } from '../../agent/tokenizer'
import { createRng, restoreRng, type SeededRng, type Sfc32State } from '../../rng'
import type { CheckpointPayload, TrainingSink } from '../sink'
import {
  captureAdam,
  concatFloats,
  floatsOf,
  restoreAdam,
  type OptimizerState
} from '../trainer-state'

export const LM_STATE_FORMAT = 'lm-state-v1'

export type LmRoleState = {
  model: SerializedTransformer
  reference: SerializedTransformer | null
  optimizer: OptimizerState
}

export type LmTrainerState = {
  kind: 'lm'
  /** Iterations completed (cloning epochs included): training continues with this one. */
  iteration: number
  /** The first RL iteration (= the number of cloning epochs reported). */
  firstRl: number
  config: ExperimentConfig
  tokenizer: TokenizerJson
  /** The flat policy, or HiMAC's executor (its planner too when the weights are shared). */
  executor: LmRoleState
  /** HiMAC's planner when it has weights of its own (`--separate-weights`). */
  planner: LmRoleState | null
  /** The rollout and update generators' positions. */
  rngs: { rollout: Sfc32State; update: Sfc32State }
}

/** What a role is while training: the live model, its frozen reference and its optimizer. */
export type LmRole = {
  model: TransformerLM
  reference: TransformerLM | null
  optimizer: tf.AdamOptimizer
}

const shapesSchema = z.array(z.array(z.int().min(0)))
const word = z
  .int()
  .min(0)
  .max(2 ** 32 - 1)
const rngState = z.tuple([word, word, word, word])
const roleMetaSchema = z
  .object({
    model: transformerConfigSchema,
    names: z.array(z.string().min(1)),
    shapes: shapesSchema,
    reference: z.boolean(),
    /** Null in a weights-only checkpoint. */
    optimizer: z
      .object({
        step: z.int().min(0),
        accBeta1: z.number(),
        accBeta2: z.number(),
        shapes: shapesSchema
      })
      .nullable()
  })
  .strict()
const metaSchema = z
  .object({
    kind: z.literal('lm'),
    iteration: z.int().min(0),
    firstRl: z.int().min(0),
    config: experimentConfigSchema,
    tokenizer: tokenizerJsonSchema,
    executor: roleMetaSchema,
    planner: roleMetaSchema.nullable(),
    rngs: z.object({ rollout: rngState, update: rngState }).strict(),
    /** Thinned after a newer checkpoint: the models' weights only. */
    weightsOnly: z.literal(true).optional()
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const [name, role] of [
      ['executor', m.executor],
      ['planner', m.planner]
    ] as const) {
      if (!role) continue
      const whole = role.optimizer !== null
      if (m.weightsOnly ? whole || role.reference : !whole)
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: m.weightsOnly
            ? 'a weights-only checkpoint has no reference and no optimizer'
            : 'a resumable checkpoint needs its optimizer state'
        })
    }
  })
type RoleMeta = z.infer<typeof roleMetaSchema>
type Meta = z.infer<typeof metaSchema>

const sizeOf = (shapes: readonly number[][]): number =>
  shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)

export async function captureRole(role: LmRole): Promise<LmRoleState> {
  return {
    model: role.model.serialize(),
    reference: role.reference?.serialize() ?? null,
    optimizer: await captureAdam(role.optimizer)
  }
}

/** Builds a role from its state: the model, its reference (when stored) and a restored Adam. */
export async function restoreRole(state: LmRoleState, learningRate: number): Promise<LmRole> {
  const model = transformerFromWeights(state.model)
  const reference = state.reference ? transformerFromWeights(state.reference) : null
  const optimizer = tf.train.adam(learningRate)
  await restoreAdam(optimizer, model.variables, state.optimizer)
  return { model, reference, optimizer }
}

const roleParts = (r: LmRoleState): Float32Array[] => [
  r.model.data,
  ...(r.reference ? [r.reference.data] : []),
  r.optimizer.moments.data
]

const roleMeta = (r: LmRoleState): RoleMeta => ({
  model: r.model.config,
  names: r.model.names,
  shapes: r.model.shapes,
  reference: r.reference !== null,
  optimizer: {
    step: r.optimizer.step,
    accBeta1: r.optimizer.accBeta1,
    accBeta2: r.optimizer.accBeta2,
    shapes: r.optimizer.moments.shapes
  }
})

export function encodeLmTrainerState(state: LmTrainerState): CheckpointPayload {
  const roles = [state.executor, ...(state.planner ? [state.planner] : [])]
  const data = concatFloats(roles.flatMap(roleParts))
  const meta: z.input<typeof metaSchema> = {
    kind: 'lm',
    iteration: state.iteration,
    firstRl: state.firstRl,
    config: state.config,
    tokenizer: state.tokenizer,
    executor: roleMeta(state.executor),
    planner: state.planner ? roleMeta(state.planner) : null,
    rngs: state.rngs
  }
  // Each role's model comes first in its part of the blob: those ranges are the weights-only form.
  const ranges: [number, number][] = []
  let at = 0
  for (const role of roles) {
    ranges.push([at, at + role.model.data.byteLength])
    at += roleParts(role).reduce((n, p) => n + p.byteLength, 0)
  }
  const thin = (m: RoleMeta): RoleMeta => ({ ...m, reference: false, optimizer: null })
  return {
    format: LM_STATE_FORMAT,
    bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    meta,
    retain: {
      ranges,
      meta: {
        ...meta,
        executor: thin(meta.executor),
        planner: meta.planner ? thin(meta.planner) : null,
        weightsOnly: true
      }
    }
  }
}

/** A stored LM checkpoint's models (any checkpoint, weights-only ones too). */
export type LmPolicyState = Pick<LmTrainerState, 'iteration' | 'config' | 'tokenizer'> & {
  executor: SerializedTransformer
  planner: SerializedTransformer | null
}

export function decodeLmPolicyState(bytes: Uint8Array, metaJson: unknown): LmPolicyState {
  const meta = metaSchema.parse(metaJson)
  const roles = splitBlob(meta, bytes)
  return {
    iteration: meta.iteration,
    config: meta.config,
    tokenizer: meta.tokenizer,
    executor: roles.executor.model,
    planner: roles.planner?.model ?? null
  }
}

/** Validates a stored LM state to resume from; throws with the reason when it cannot be. */
export function decodeLmTrainerState(bytes: Uint8Array, metaJson: unknown): LmTrainerState {
  const meta = metaSchema.parse(metaJson)
  if (meta.weightsOnly)
    throw new Error(
      `the checkpoint at iteration ${meta.iteration} keeps only the weights (a newer checkpoint replaced its reference and optimizer state); runs resume from their newest checkpoint`
    )
  const { executor, planner } = splitBlob(meta, bytes)
  const whole = (r: PartialRole): LmRoleState => {
    if (!r.optimizer) throw new Error('checkpoint has no optimizer state')
    return { model: r.model, reference: r.reference, optimizer: r.optimizer }
  }
  const { weightsOnly: _thin, ...rest } = meta
  return { ...rest, executor: whole(executor), planner: planner ? whole(planner) : null }
}

type PartialRole = Omit<LmRoleState, 'optimizer'> & { optimizer: OptimizerState | null }

function splitBlob(
  meta: Meta,
  bytes: Uint8Array
): { executor: PartialRole; planner: PartialRole | null } {
  const data = floatsOf(bytes)
  let o = 0
  const take = (shapes: number[][]): Float32Array => {
    const n = sizeOf(shapes)
    if (o + n > data.length) throw new Error('checkpoint blob is shorter than its shapes say')
    const part = data.slice(o, o + n)
    o += n
    return part
  }
  const role = (m: RoleMeta): PartialRole => {
    const model = { config: m.model, names: m.names, shapes: m.shapes, data: take(m.shapes) }
    const reference = m.reference ? { ...model, data: take(m.shapes) } : null
    if (!m.optimizer) return { model, reference, optimizer: null }
    const { shapes, ...adam } = m.optimizer
    return { model, reference, optimizer: { ...adam, moments: { shapes, data: take(shapes) } } }
  }
  const executor = role(meta.executor)
  const planner = meta.planner ? role(meta.planner) : null
  if (o !== data.length) throw new Error('checkpoint blob is longer than its shapes say')
  return { executor, planner }
}

/** A role starting from `model`: a frozen copy as its KL reference (when KL is on) and a new Adam. */
export function newRole(
  model: TransformerLM,
  config: ExperimentConfig,
  learningRate: number
): LmRole {
  return {
    model,
    reference: config.klCoef > 0 ? copyTransformer(model, config.seed) : null,
    optimizer: tf.train.adam(learningRate)
  }
}

/** Disposes every model and optimizer of the roles once (shared roles are one). */
export function disposeRoles(...roles: LmRole[]): void {
  const models = new Set(roles.flatMap((r) => [r.model, r.reference]))
  for (const m of models) m?.dispose()
  for (const o of new Set(roles.map((r) => r.optimizer))) o.dispose()
}

/** After the `rlIteration`-th RL iteration (0-based), is a periodic checkpoint due? */
export const isCheckpointIteration = (config: ExperimentConfig, rlIteration: number): boolean =>
  config.checkpointEvery > 0 && (rlIteration + 1) % config.checkpointEvery === 0

/** The rollout and update generators of an LM run: where a checkpoint left them, else seeded. */
export function lmRngs(
  config: ExperimentConfig,
  resume?: LmTrainerState
): { rng: SeededRng; updateRng: SeededRng } {
  return resume
    ? { rng: restoreRng(resume.rngs.rollout), updateRng: restoreRng(resume.rngs.update) }
    : { rng: createRng(config.seed), updateRng: createRng(config.seed ^ 0x3b1c) }
}

/** What an LM run's checkpoint is made of while it trains. */
export type LmRunState = {
  config: ExperimentConfig
  tokenizer: Tokenizer
  firstRl: number
  total: number
  executor: LmRole
  /** HiMAC's planner when it is not the executor. */
  planner: LmRole | null
  rng: SeededRng
  updateRng: SeededRng
}

/** Sends the run's resumable state after `done` iterations to the sink. */
export async function saveLmState(
  sink: TrainingSink,
  done: number,
  run: LmRunState
): Promise<void> {
  sink.progress(done, run.total, 'checkpoint')
  const state: LmTrainerState = {
    kind: 'lm',
    iteration: done,
    firstRl: run.firstRl,
    config: run.config,
    tokenizer: tokenizerToJson(run.tokenizer),
    executor: await captureRole(run.executor),
    planner: run.planner && run.planner !== run.executor ? await captureRole(run.planner) : null,
    rngs: { rollout: run.rng.state(), update: run.updateRng.state() }
  }
  sink.checkpoint(done, encodeLmTrainerState(state))
}
