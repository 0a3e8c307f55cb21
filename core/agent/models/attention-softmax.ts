// softmax(scores · scale + mask) over the keys, the attention weights. Where the native kernels
// provide it (core/train/native), one kernel forward and one for the gradient instead of a scale, a
// mask add, the softmax's passes and the four ops of its autodiff over [B, H, S, K]; elsewhere those
// ops. The mask is additive: [S, K] shared by every row, or [B, 1, S, K] per row (broadcast over heads).
import * as tf from '@tensorflow/tfjs'

export const ATTENTION_SOFTMAX_KERNEL = 'HimacAttentionSoftmax'
export const ATTENTION_SOFTMAX_GRAD_KERNEL = 'HimacAttentionSoftmaxGrad'

export type AttentionSoftmaxAttrs = { scale: number }

export function attentionSoftmaxOps(
  scores: tf.Tensor4D,
  mask: tf.Tensor,
  scale: number
): tf.Tensor4D {
  return tf.softmax(scores.mul(scale).add(mask)) as tf.Tensor4D
}

/** Whether the fused kernel takes this mask for these scores (else the ops run). */
function fusable(scores: tf.Tensor4D, mask: tf.Tensor): boolean {
  const [b, , s, k] = scores.shape
  const m = mask.shape
  const shared = m.length === 2 && m[0] === s && m[1] === k
  const perRow = m.length === 4 && m[0] === b && m[1] === 1 && m[2] === s && m[3] === k
  return scores.dtype === 'float32' && mask.dtype === 'float32' && (shared || perRow)
}

export function attentionSoftmax(scores: tf.Tensor4D, mask: tf.Tensor, scale: number): tf.Tensor4D {
  if (fusable(scores, mask) && tf.getKernel(ATTENTION_SOFTMAX_KERNEL, tf.getBackend())) {
    const attrs: AttentionSoftmaxAttrs = { scale }
    return tf
      .engine()
      .runKernel(
        ATTENTION_SOFTMAX_KERNEL,
        { x: scores, mask },
        attrs as unknown as tf.NamedAttrMap
      ) as tf.Tensor4D
  }
  return attentionSoftmaxOps(scores, mask, scale)
}

/** Sums a gradient of the broadcast sum's shape back to the mask's shape (as Add's gradient does). */
function toMaskShape(g: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(mask.shape, g.shape)
  return (axes.length > 0 ? g.sum(axes) : g).reshape(mask.shape)
}

/** The gradient of the fused kernel (registered with it): dx from the output and dy in one kernel. */
export const attentionSoftmaxGradConfig: tf.GradConfig = {
  kernelName: ATTENTION_SOFTMAX_KERNEL,
  inputsToSave: ['mask'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [mask, y] = saved as [tf.Tensor, tf.Tensor]
    const { scale } = attrs as unknown as AttentionSoftmaxAttrs
    const dx = (): tf.Tensor =>
      tf
        .engine()
        .runKernel(
          ATTENTION_SOFTMAX_GRAD_KERNEL,
          { y, dy: dy as tf.Tensor },
          attrs as unknown as tf.NamedAttrMap
        ) as tf.Tensor
    // The mask is a constant in the model; its gradient is only built if something asks for it.
    return { x: dx, mask: () => toMaskShape(dx().div(scale), mask) }
  }
}
