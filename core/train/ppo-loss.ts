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
  const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), eps), 'float32'))
  const loss = tf.sub(tf.neg(tf.mean(surrogate)), tf.mul(input.entropyCoef, input.entropy))
  return { loss: loss as tf.Scalar, clipFraction: clipFraction as tf.Scalar }
}

/** Mean entropy of the rows of a [batch, actions] log-probability matrix. */
export function meanEntropy(logp: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logp), logp), 1))) as tf.Scalar
}

/**
 * KL(π ‖ π_ref) on the taken actions with the low-variance k3 estimator (Schulman):
 * mean(exp(ref − logp) − (ref − logp) − 1), ≥ 0 and unbiased for samples from π.
 */
export function klPenalty(logp: tf.Tensor1D, refLogp: tf.Tensor1D): tf.Scalar {
  const diff = tf.sub(refLogp, logp)
  return tf.mean(tf.sub(tf.sub(tf.exp(diff), diff), 1)) as tf.Scalar
}
