// The PPO-clipped policy-gradient loss with an entropy bonus, on per-sample tensors.
import * as tf from '@tensorflow/tfjs'

export type PpoLossInput = {
  /** Log-prob of each taken action under the policy being updated. */
  logp: tf.Tensor1D
  /** Log-prob of the same actions under the policy that sampled them. */
  oldLogp: tf.Tensor1D
  advantages: tf.Tensor1D
  /** Mean policy entropy over the samples (see meanEntropy). */
  entropy: tf.Scalar
  clipEpsilon: number
  entropyCoef: number
  /** Per-sample weights: every mean becomes Σ w·x / Σ w (token-mean over the weighted tokens). */
  weights?: tf.Tensor1D
}

/** mean(x), or Σ w·x / Σ w with weights (0 when all weights are 0). */
export function weightedMean(x: tf.Tensor, weights?: tf.Tensor1D): tf.Scalar {
  if (!weights) return tf.mean(x) as tf.Scalar
  return tf.div(tf.sum(tf.mul(x, weights)), tf.maximum(tf.sum(weights), 1e-8)) as tf.Scalar
}

/** −mean(min(r·A, clip(r, 1 ± ε)·A)) − c·H, with r = exp(logp − oldLogp); clipFraction = share of |r − 1| > ε. */
export function ppoLoss(input: PpoLossInput): { loss: tf.Scalar; clipFraction: tf.Scalar } {
  const eps = input.clipEpsilon
  const adv = input.advantages
  const ratio = tf.exp(tf.sub(input.logp, input.oldLogp))
  const surrogate = tf.minimum(
    tf.mul(ratio, adv),
    tf.mul(tf.clipByValue(ratio, 1 - eps, 1 + eps), adv)
  )
  const w = input.weights
  const clipFraction = weightedMean(
    tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), eps), 'float32'),
    w
  )
  const loss = tf.sub(tf.neg(weightedMean(surrogate, w)), tf.mul(input.entropyCoef, input.entropy))
  return { loss: loss as tf.Scalar, clipFraction: clipFraction as tf.Scalar }
}

/** Mean entropy of the rows of a [batch, actions] log-probability matrix (weighted: see ppoLoss). */
export function meanEntropy(logp: tf.Tensor2D, weights?: tf.Tensor1D): tf.Scalar {
  return tf.neg(weightedMean(tf.sum(tf.mul(tf.exp(logp), logp), 1), weights)) as tf.Scalar
}

/**
 * KL(π ‖ π_ref) on the taken actions with the low-variance k3 estimator (Schulman):
 * mean(exp(ref − logp) − (ref − logp) − 1), ≥ 0 and unbiased for samples from π.
 */
export function klPenalty(
  logp: tf.Tensor1D,
  refLogp: tf.Tensor1D,
  weights?: tf.Tensor1D
): tf.Scalar {
  const diff = tf.sub(refLogp, logp)
  return weightedMean(tf.sub(tf.sub(tf.exp(diff), diff), 1), weights)
}
