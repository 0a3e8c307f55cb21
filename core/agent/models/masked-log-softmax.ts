// Log-probabilities over the tokens a decoder may emit (constrained decoding): logits divided by the
// temperature, disallowed tokens pushed to MASKED before the softmax, and helpers to build the mask
// and to pick the log-probability of chosen tokens.
import * as tf from '@tensorflow/tfjs'
import { MASKED } from './attention-layout'
import { logSoftmax } from './log-softmax'

/**
 * log softmax(logits / temperature) over the allowed tokens: they sum to 1 in probability, every
 * other token gets about MASKED (−1e9, not −Infinity, so an entropy term p·log p stays 0 instead of
 * NaN). A row with no allowed token gets the uniform distribution; avoid it. Differentiable.
 */
export function maskedLogSoftmax(
  logits: tf.Tensor2D,
  allowed?: tf.Tensor2D,
  temperature = 1
): tf.Tensor2D {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new Error(`temperature must be a positive number, got ${temperature}`)
  }
  return tf.tidy(() => {
    const z = temperature === 1 ? logits : (logits.div(temperature) as tf.Tensor2D)
    if (!allowed) return logSoftmax(z)
    const keep = allowed.dtype === 'bool' ? allowed : allowed.notEqual(0)
    return logSoftmax(tf.where(keep, z, tf.fill(z.shape, MASKED)) as tf.Tensor2D)
  })
}

/** A bool mask [rows, vocab] that allows, in row k, exactly the token ids allowed[k]. */
export function allowedTokenMask(
  allowed: readonly (readonly number[])[],
  vocab: number
): tf.Tensor2D {
  const values = new Uint8Array(allowed.length * vocab)
  allowed.forEach((ids, k) => {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= vocab)
        throw new Error(`token id ${id} not in vocab`)
      values[k * vocab + id] = 1
    }
  })
  return tf.tensor2d(values, [allowed.length, vocab], 'bool')
}

/** logp[k, targets[k]] for every row k: [rows]. Differentiable in logp. */
export function pickLogProbs(
  logp: tf.Tensor2D,
  targets: Int32Array | readonly number[]
): tf.Tensor1D {
  const [rows, vocab] = logp.shape
  if (targets.length !== rows) throw new Error(`${targets.length} targets for ${rows} rows`)
  return tf.tidy(() => {
    // One flat gather: its gradient is a single UnsortedSegmentSum (patched in for wasm).
    const flat = Int32Array.from(targets, (t, k) => k * vocab + t)
    return tf.gather(logp.reshape([rows * vocab]), tf.tensor1d(flat, 'int32')) as tf.Tensor1D
  })
}
