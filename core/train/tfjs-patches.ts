// The two tfjs patches of toolchain.md §3, needed for fast, working gradients on the wasm backend.
import * as tf from '@tensorflow/tfjs'
import type { WasmBackendInternals } from './native/wasm-internals'

const swapLastTwo = (x: tf.Tensor): tf.Tensor =>
  x.rank === 2
    ? tf.transpose(x)
    : tf.transpose(x, [...Array(x.rank - 2).keys(), x.rank - 1, x.rank - 2])

/**
 * Patch 1: matMul with transpose flags is 10–25× slower than an explicit transpose on wasm, and the stock
 * BatchMatMul gradient uses the flags. Re-register the gradient with explicit transposes.
 * Assumes equal batch dims (our models never broadcast in batched matmuls).
 */
export function patchMatMulGrad(): void {
  tf.registerGradient({
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor]
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean }
      const dyT = dy as tf.Tensor
      const A = transposeA ? swapLastTwo(a) : a
      const B = transposeB ? swapLastTwo(b) : b
      const dA = (): tf.Tensor => tf.matMul(dyT, swapLastTwo(B))
      const dB = (): tf.Tensor => tf.matMul(swapLastTwo(A), dyT)
      return {
        a: transposeA ? () => swapLastTwo(dA()) : dA,
        b: transposeB ? () => swapLastTwo(dB()) : dB
      }
    }
  })
}

type SegmentSumAttrs = { numSegments: number }
type BackendLike = {
  readSync(dataId: object): ArrayLike<number>
  write(values: Float32Array | Int32Array, shape: number[], dtype: tf.DataType): object
}

/** The wasm backend's heap access, when it has the internals the native kernels use. */
function heapOf(backend: unknown): WasmBackendInternals | null {
  const be = backend as Partial<WasmBackendInternals>
  return typeof be.makeOutput === 'function' && typeof be.typedArrayFromHeap === 'function'
    ? (be as WasmBackendInternals)
    : null
}

/**
 * The sum straight into a zeroed output on the wasm heap. The flat log-prob gather's gradient
 * scatters a few thousand values into [tokens × vocab]: writing that from a JS array cost ~7 ms
 * per call on the reference step, this about the time of the zero fill.
 */
function heapSegmentSum(
  heap: WasmBackendInternals,
  x: tf.TensorInfo,
  segmentIds: tf.TensorInfo,
  numSegments: number
): tf.TensorInfo {
  const tail = x.shape.slice(segmentIds.shape.length)
  const inner = tail.reduce((p, d) => p * d, 1)
  const out = heap.makeOutput([numSegments, ...tail], 'float32')
  // Views only after makeOutput (malloc may have grown and detached the heap).
  const o = heap.typedArrayFromHeap(out) as Float32Array
  const xv = heap.typedArrayFromHeap(x) as Float32Array
  const ids = heap.typedArrayFromHeap(segmentIds) as Int32Array
  o.fill(0)
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] as number
    if (s < 0 || s >= numSegments) continue
    for (let j = 0; j < inner; j++) o[s * inner + j]! += xv[i * inner + j] as number
  }
  return out
}

/**
 * Patch 2: a plain-JS UnsortedSegmentSum (the gradient of tf.gather). Missing on wasm; the cpu one is
 * O(segments × N). Registered for the given backend, replacing an existing kernel.
 */
export function registerUnsortedSegmentSum(backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel('UnsortedSegmentSum', backendName)) {
    tf.unregisterKernel('UnsortedSegmentSum', backendName)
  }
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo }
      const { numSegments } = attrs as unknown as SegmentSumAttrs
      const heap = heapOf(backend)
      if (heap && x.dtype === 'float32' && segmentIds.dtype === 'int32') {
        return heapSegmentSum(heap, x, segmentIds, numSegments)
      }
      const be = backend as unknown as BackendLike
      const xv = be.readSync(x.dataId)
      const ids = be.readSync(segmentIds.dataId)
      const tail = x.shape.slice(segmentIds.shape.length)
      const inner = tail.reduce((p, d) => p * d, 1)
      const shape = [numSegments, ...tail]
      const out = new Float32Array(numSegments * inner)
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i] as number
        if (s < 0 || s >= numSegments) continue
        for (let j = 0; j < inner; j++) out[s * inner + j]! += xv[i * inner + j] as number
      }
      const dtype: tf.DataType = x.dtype === 'int32' ? 'int32' : 'float32'
      const values = dtype === 'int32' ? Int32Array.from(out) : out
      return { dataId: be.write(values, shape, dtype), shape, dtype }
    }
  })
}
