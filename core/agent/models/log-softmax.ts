// log softmax over the last axis of [rows, vocab] (the output head's log-probabilities). Where the
// native kernels provide it (core/train/native), one kernel forward and one for the gradient instead
// of the six ops of tf.logSoftmax and the four of its gradient; elsewhere tf.logSoftmax.
import * as tf from '@tensorflow/tfjs'

export const LOG_SOFTMAX_KERNEL = 'HimacLogSoftmax'
export const LOG_SOFTMAX_GRAD_KERNEL = 'HimacLogSoftmaxGrad'

export function logSoftmax(x: tf.Tensor2D): tf.Tensor2D {
  if (x.dtype === 'float32' && tf.getKernel(LOG_SOFTMAX_KERNEL, tf.getBackend()))
    return tf.engine().runKernel(LOG_SOFTMAX_KERNEL, { x }) as tf.Tensor2D
  return tf.logSoftmax(x) as tf.Tensor2D
}

/** The gradient of the fused kernel (registered with it): dx = dy − exp(y) · Σ dy per row. */
export const logSoftmaxGradConfig: tf.GradConfig = {
  kernelName: LOG_SOFTMAX_KERNEL,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved as [tf.Tensor]
    return {
      x: () =>
        tf.engine().runKernel(LOG_SOFTMAX_GRAD_KERNEL, { y, dy: dy as tf.Tensor }) as tf.Tensor
    }
  }
}
