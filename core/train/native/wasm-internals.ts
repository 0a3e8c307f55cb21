// The tfjs-backend-wasm internals the native kernels rely on. They are not public API, so tfjs is
// pinned exactly and checkWasmInternals() refuses to enable the kernels when any of them changed.
import * as tf from '@tensorflow/tfjs'
import { version_wasm } from '@tensorflow/tfjs-backend-wasm'

/** The tfjs version the kernels were written against (package.json pins it exactly). */
export const PINNED_TFJS_VERSION = '4.22.0'

type TypedArray = Float32Array | Int32Array | Uint8Array

/** What the kernels use of BackendWasm (makeOutput, typedArrayFromHeap, incRef, the heap). */
export type WasmBackendInternals = {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo
  typedArrayFromHeap(info: tf.TensorInfo): TypedArray
  incRef(dataId: tf.DataId): void
  disposeData(dataId: tf.DataId, force?: boolean): boolean
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number; refCount: number } | undefined }
  wasm: { HEAPU8: Uint8Array }
}

/** Float32 view on the wasm heap. Take it after every makeOutput: malloc may grow (detach) the heap. */
export const f32 = (backend: WasmBackendInternals, info: tf.TensorInfo): Float32Array =>
  backend.typedArrayFromHeap(info) as Float32Array

/** Undefined when the backend still looks like the pinned one, else why not. */
export function checkWasmInternals(backend: unknown): string | undefined {
  const versions = { 'tfjs-core': tf.version_core, 'tfjs-backend-wasm': version_wasm }
  for (const [pkg, v] of Object.entries(versions)) {
    if (v !== PINNED_TFJS_VERSION)
      return `${pkg} is ${v}, native kernels need ${PINNED_TFJS_VERSION}`
  }
  const be = backend as Partial<Record<keyof WasmBackendInternals, unknown>> | null
  if (!be || typeof be !== 'object') return 'no wasm backend instance'
  for (const fn of ['makeOutput', 'typedArrayFromHeap', 'incRef', 'disposeData'] as const) {
    if (typeof be[fn] !== 'function') return `wasm backend has no ${fn}()`
  }
  const map = be.dataIdMap as { get?: unknown } | undefined
  if (!map || typeof map.get !== 'function') return 'wasm backend has no dataIdMap'
  const heap = (be.wasm as { HEAPU8?: unknown } | undefined)?.HEAPU8
  if (!(heap instanceof Uint8Array)) return 'wasm backend has no HEAPU8'
  return probeZeroCopy(be as WasmBackendInternals)
}

/** makeOutput + typedArrayFromHeap must alias the tensor's own storage (what zero-copy relies on). */
function probeZeroCopy(backend: WasmBackendInternals): string | undefined {
  const out = backend.makeOutput([3], 'float32')
  try {
    const view = f32(backend, out)
    const offset = backend.dataIdMap.get(out.dataId)?.memoryOffset
    if (
      view.length !== 3 ||
      view.buffer !== backend.wasm.HEAPU8.buffer ||
      view.byteOffset !== offset
    ) {
      return 'typedArrayFromHeap no longer returns a view on the tensor memory'
    }
    view.set([1.5, -2, 3])
    const read = tf.engine().backend.readSync(out.dataId) as Float32Array
    if (read[0] !== 1.5 || read[1] !== -2 || read[2] !== 3)
      return 'heap writes are not seen by readSync'
    return undefined
  } finally {
    backend.disposeData(out.dataId, true)
  }
}
