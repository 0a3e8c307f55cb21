// Global gradient-norm clipping before an optimizer step (the same arithmetic as the MLP update).
import * as tf from '@tensorflow/tfjs'

/**
 * Scales all gradients by min(1, maxNorm / (‖g‖ + 1e-6)) and applies them; a variable without a
 * gradient is left alone. Returns the norm before clipping (no clipping when maxNorm is Infinity).
 */
export function applyClippedGradients(
  optimizer: tf.Optimizer,
  variables: readonly tf.Variable[],
  grads: tf.NamedTensorMap,
  maxNorm: number
): number {
  return tf.tidy(() => {
    const present = variables.filter((v) => grads[v.name] !== undefined && grads[v.name] !== null)
    const list = present.map((v) => grads[v.name] as tf.Tensor)
    if (list.length === 0) return 0
    const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))))
    const scale = Number.isFinite(maxNorm)
      ? tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)))
      : tf.scalar(1)
    optimizer.applyGradients(
      Object.fromEntries(present.map((v, i) => [v.name, tf.mul(list[i]!, scale)]))
    )
    return norm.dataSync()[0] as number
  })
}
