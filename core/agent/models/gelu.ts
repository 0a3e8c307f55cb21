// The model's GELU (tanh form). Where the native kernels provide it (core/train/native), it is one
// kernel forward and one backward instead of the ~15 elementwise tfjs ops the formula and its
// autodiff take, which were a quarter of a training step; elsewhere the formula's ops as before.
import * as tf from '@tensorflow/tfjs'

/** Kernel names the native kernels register (forward, and dx from x and dy). */
export const GELU_KERNEL = 'HimacGelu'
export const GELU_GRAD_KERNEL = 'HimacGeluGrad'

export function geluOps(x: tf.Tensor2D): tf.Tensor2D {
  const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))
  return x.mul(0.5).mul(inner.tanh().add(1)) as tf.Tensor2D
}

export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  if (x.dtype === 'float32' && tf.getKernel(GELU_KERNEL, tf.getBackend()))
    return tf.engine().runKernel(GELU_KERNEL, { x }) as tf.Tensor2D
  return geluOps(x)
}

/** The gradient of the fused kernel (registered with it). */
export const geluGradConfig: tf.GradConfig = {
  kernelName: GELU_KERNEL,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved
    return {
      x: () => tf.engine().runKernel(GELU_GRAD_KERNEL, { x: x as tf.Tensor, dy: dy as tf.Tensor })
    }
  }
}
