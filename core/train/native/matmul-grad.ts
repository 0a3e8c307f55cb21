// The BatchMatMul gradient with transpose flags. tfjs-patches.ts replaces it with explicit transposes
// because flags are slow on stock wasm; with the native kernel flags are free and the transposes are
// not, so installNativeKernels() puts this one in place and uninstall restores the patched one.
import * as tf from '@tensorflow/tfjs'

/** Sums a broadcast gradient back to the operand's shape (batch dims that were 1 or missing). */
function reduceTo(g: tf.Tensor, shape: number[]): tf.Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g
  const axes = tf.backend_util.getReductionAxes(shape, g.shape)
  return (axes.length > 0 ? g.sum(axes) : g).reshape(shape)
}

export const flagMatMulGrad: tf.GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor]
    const g = dy as tf.Tensor
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean }
    const mm = (x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean): tf.Tensor =>
      tf.matMul(x, y, tx, ty)
    let da: () => tf.Tensor
    let db: () => tf.Tensor
    if (!transposeA && !transposeB) {
      da = () => mm(g, b, false, true)
      db = () => mm(a, g, true, false)
    } else if (!transposeA && transposeB) {
      da = () => mm(g, b, false, false)
      db = () => mm(g, a, true, false)
    } else if (transposeA && !transposeB) {
      da = () => mm(b, g, false, true)
      db = () => mm(a, g, false, false)
    } else {
      da = () => mm(b, g, true, true)
      db = () => mm(g, a, true, true)
    }
    return { a: () => reduceTo(da(), a.shape), b: () => reduceTo(db(), b.shape) }
  }
}
