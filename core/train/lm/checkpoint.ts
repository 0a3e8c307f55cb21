// An LM checkpoint as one JSON-serialisable object: the weights (base64 of the little-endian
// Float32Array in `variables` order), the tokenizer that fixes the token ids, the model config and
// the experiment config. Loading validates every part before a model is built.
import { z } from 'zod'
import { experimentConfigSchema, type ExperimentConfig } from '../../api/config'
import {
  transformerConfigSchema,
  transformerFromWeights,
  type TransformerLM
} from '../../agent/models/transformer'
import {
  tokenizerFromJson,
  tokenizerJsonSchema,
  tokenizerToJson,
  type Tokenizer
} from '../../agent/tokenizer'

export const LM_CHECKPOINT_FORMAT = 'himac-lm-checkpoint'
export const LM_CHECKPOINT_VERSION = 1

export const lmCheckpointSchema = z
  .object({
    format: z.literal(LM_CHECKPOINT_FORMAT),
    version: z.literal(LM_CHECKPOINT_VERSION),
    model: transformerConfigSchema,
    names: z.array(z.string().min(1)),
    shapes: z.array(z.array(z.int().positive())),
    /** base64 of the float32 weights (little-endian), concatenated in `names` order. */
    weights: z.base64(),
    tokenizer: tokenizerJsonSchema,
    config: experimentConfigSchema
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.names.length !== c.shapes.length) {
      ctx.addIssue({ code: 'custom', path: ['shapes'], message: 'one shape per weight name' })
    }
    if (c.model.vocab !== c.tokenizer.tokens.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'vocab'],
        message: `model vocab ${c.model.vocab} ≠ tokenizer size ${c.tokenizer.tokens.length}`
      })
    }
  })

export type LmCheckpoint = z.infer<typeof lmCheckpointSchema>

export function lmCheckpoint(
  model: TransformerLM,
  tokenizer: Tokenizer,
  config: ExperimentConfig
): LmCheckpoint {
  if (model.config.vocab !== tokenizer.size) {
    throw new Error(`model vocab ${model.config.vocab} ≠ tokenizer size ${tokenizer.size}`)
  }
  const w = model.serialize()
  const bytes = Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)
  return {
    format: LM_CHECKPOINT_FORMAT,
    version: LM_CHECKPOINT_VERSION,
    model: w.config,
    names: w.names,
    shapes: w.shapes,
    weights: bytes.toString('base64'),
    tokenizer: tokenizerToJson(tokenizer),
    config: experimentConfigSchema.parse(config)
  }
}

/** Validates a stored checkpoint and rebuilds its model and tokenizer; throws with the reason. */
export function loadLmCheckpoint(json: unknown): {
  model: TransformerLM
  tokenizer: Tokenizer
  config: ExperimentConfig
} {
  const c = lmCheckpointSchema.parse(json)
  const tokenizer = tokenizerFromJson(c.tokenizer)
  const floats = c.shapes.reduce((s, shape) => s + shape.reduce((p, d) => p * d, 1), 0)
  const bytes = Buffer.from(c.weights, 'base64')
  if (bytes.byteLength !== floats * 4) {
    throw new Error(`weights hold ${bytes.byteLength} bytes, the shapes need ${floats * 4}`)
  }
  // Copy into an aligned buffer (a Buffer's offset into its pool need not be a multiple of 4).
  const data = new Float32Array(floats)
  new Uint8Array(data.buffer).set(bytes)
  // transformerFromWeights checks names, shapes and sizes against the config's own model.
  const model = transformerFromWeights({ config: c.model, names: c.names, shapes: c.shapes, data })
  return { model, tokenizer, config: c.config }
}

/**
 * The checkpoints-table form LM runs wrote before `lm-state-v1` (./trainer-state.ts): raw float32
 * weights plus the rest as JSON. Read only, for runs stored by older versions.
 */
export const LM_CHECKPOINT_ROW_FORMAT = 'lm-f32-v1'

/** An LM checkpoint row back as the file form (`himac warmstart` writes that form). */
export function lmCheckpointFromRow(bytes: Uint8Array, meta: unknown): LmCheckpoint {
  return lmCheckpointSchema.parse({
    ...(meta as object),
    weights: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  })
}
