// The model's LayerNorm over the last axis (biased variance, ε = 1e-5, as tf.moments). Where the
// native kernels provide it (core/train/native), one kernel forward and one for its three gradients
// instead of the ~30 elementwise tfjs ops of the formula and its autodiff; elsewhere those ops.
import * as tf from '@tensorflow/tfjs'

export const LAYER_NORM_KERNEL = 'HimacLayerNorm'
export const LAYER_NORM_GRAD_KERNEL = 'HimacLayerNormGrad'
export const LAYER_NORM_EPS = 1e-5

export function layerNormOps(x2: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x2, -1, true)
  return x2.sub(mean).mul(variance.add(LAYER_NORM_EPS).rsqrt()).mul(g).add(b) as tf.Tensor2D
}

export function layerNorm(x2: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const fused =
    x2.dtype === 'float32' &&
    g.rank === 1 &&
    b.rank === 1 &&
    tf.getKernel(LAYER_NORM_KERNEL, tf.getBackend()) !== undefined
  return fused
    ? (tf.engine().runKernel(LAYER_NORM_KERNEL, { x: x2, g, b }) as tf.Tensor2D)
    : layerNormOps(x2, g, b)
}

/** The gradient of the fused kernel (registered with it): dx, dg and db from one kernel call. */
export const layerNormGradConfig: tf.GradConfig = {
  kernelName: LAYER_NORM_KERNEL,
  inputsToSave: ['x', 'g'],
  gradFunc: (dy, saved) => {
    const [x, g] = saved as [tf.Tensor, tf.Tensor]
    const [dx, dg, db] = tf
      .engine()
      .runKernel(LAYER_NORM_GRAD_KERNEL, { x, g, dy: dy as tf.Tensor }) as tf.Tensor[]
    return { x: () => dx as tf.Tensor, g: () => dg as tf.Tensor, b: () => db as tf.Tensor }
  }
}
