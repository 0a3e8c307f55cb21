// Native kernel functions for the tfjs wasm backend. Each reads and writes the wasm heap in place
// through the addon and hands anything it does not cover to the stock kernel.
import * as tf from '@tensorflow/tfjs'
import {
  ATTENTION_SOFTMAX_GRAD_KERNEL,
  ATTENTION_SOFTMAX_KERNEL,
  attentionSoftmaxGradConfig,
  type AttentionSoftmaxAttrs
} from '../../agent/models/attention-softmax'
import { GELU_GRAD_KERNEL, GELU_KERNEL, geluGradConfig } from '../../agent/models/gelu'
import {
  LAYER_NORM_EPS,
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  layerNormGradConfig
} from '../../agent/models/layer-norm'
import {
  LOG_SOFTMAX_GRAD_KERNEL,
  LOG_SOFTMAX_KERNEL,
  logSoftmaxGradConfig
} from '../../agent/models/log-softmax'
import type { BlasAddon } from './addon'
import { f32, type WasmBackendInternals } from './wasm-internals'

export type KernelArgs = Parameters<tf.KernelFunc>[0]
/** Builds the native kernelFunc from the addon and the stock kernelFunc it falls back to. */
export type NativeKernelFactory = (addon: BlasAddon, stock: tf.KernelFunc) => tf.KernelFunc

const prod = (dims: number[]): number => dims.reduce((p, d) => p * d, 1)
const wasmOf = (args: KernelArgs): WasmBackendInternals => args.backend as WasmBackendInternals

type MatMulPlan = {
  batch: number
  m: number
  n: number
  k: number
  outShape: number[]
  aIndex: Int32Array | null
  bIndex: Int32Array | null
}

/** Batch index into an operand whose (left-padded) batch dims broadcast to outDims; null when 1:1 or single. */
function broadcastIndex(dims: number[], outDims: number[]): Int32Array | null {
  const count = prod(dims)
  const total = prod(outDims)
  if (count === 1 || count === total) return null
  const padded = [...Array<number>(outDims.length - dims.length).fill(1), ...dims]
  const index = new Int32Array(total)
  for (let i = 0; i < total; i++) {
    let rest = i
    let src = 0
    let stride = 1
    for (let d = outDims.length - 1; d >= 0; d--) {
      const size = outDims[d] as number
      const coord = rest % size
      rest = (rest - coord) / size
      const own = padded[d] as number
      if (own !== 1) src += coord * stride
      stride *= own
    }
    index[i] = src
  }
  return index
}

function planMatMul(a: tf.TensorInfo, b: tf.TensorInfo, tA: boolean, tB: boolean): MatMulPlan {
  const ra = a.shape.length
  const rb = b.shape.length
  const m = (tA ? a.shape[ra - 1] : a.shape[ra - 2]) as number
  const k = (tA ? a.shape[ra - 2] : a.shape[ra - 1]) as number
  const kb = (tB ? b.shape[rb - 1] : b.shape[rb - 2]) as number
  const n = (tB ? b.shape[rb - 2] : b.shape[rb - 1]) as number
  tf.util.assert(
    k === kb,
    () =>
      `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ` +
      `${b.shape} and transposeA=${tA} and transposeB=${tB} must match.`
  )
  const aDims = a.shape.slice(0, -2)
  const bDims = b.shape.slice(0, -2)
  const outDims = tf.broadcast_util.assertAndGetBroadcastShape(aDims, bDims)
  return {
    batch: prod(outDims),
    m,
    n,
    k,
    outShape: [...outDims, m, n],
    aIndex: broadcastIndex(aDims, outDims),
    bIndex: broadcastIndex(bDims, outDims)
  }
}

function runMatMul(
  addon: BlasAddon,
  args: KernelArgs,
  plan: MatMulPlan,
  flags: [boolean, boolean],
  bias?: tf.TensorInfo,
  act = 0
): tf.TensorInfo {
  const backend = wasmOf(args)
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo }
  const out = backend.makeOutput(plan.outShape, 'float32')
  // Views only after makeOutput (malloc may have grown and detached the heap).
  addon.matmul(
    f32(backend, a),
    f32(backend, b),
    f32(backend, out),
    plan.batch,
    plan.m,
    plan.n,
    plan.k,
    flags[0] ? 1 : 0,
    flags[1] ? 1 : 0,
    plan.aIndex,
    plan.bIndex,
    bias ? f32(backend, bias) : null,
    act
  )
  return out
}

const isF32 = (...ts: tf.TensorInfo[]): boolean => ts.every((t) => t.dtype === 'float32')
const hasZero = (...ts: tf.TensorInfo[]): boolean => ts.some((t) => t.shape.some((d) => d === 0))

/** BatchMatMul: every transpose flag, any rank ≥ 2, full batch broadcasting. */
export const batchMatMul: NativeKernelFactory = (addon, stock) => (args) => {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo }
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean }
  if (!isF32(a, b) || hasZero(a, b) || a.shape.length < 2 || b.shape.length < 2) return stock(args)
  const plan = planMatMul(a, b, transposeA, transposeB)
  return runMatMul(addon, args, plan, [transposeA, transposeB])
}

/** _FusedMatMul: rank-1 bias (length N or 1) with a linear or relu epilogue; the rest goes to stock. */
export const fusedMatMul: NativeKernelFactory = (addon, stock) => (args) => {
  const { a, b, bias, preluActivationWeights } = args.inputs as {
    a: tf.TensorInfo
    b: tf.TensorInfo
    bias?: tf.TensorInfo
    preluActivationWeights?: tf.TensorInfo
  }
  const { transposeA, transposeB, activation } = args.attrs as {
    transposeA: boolean
    transposeB: boolean
    activation: string
  }
  const act = activation === 'linear' ? 0 : activation === 'relu' ? 1 : -1
  if (act < 0 || preluActivationWeights != null || !isF32(a, b) || hasZero(a, b)) return stock(args)
  if (a.shape.length < 2 || b.shape.length < 2) return stock(args)
  const plan = planMatMul(a, b, transposeA, transposeB)
  if (bias != null) {
    const size = prod(bias.shape)
    if (!isF32(bias) || bias.shape.length !== 1 || (size !== plan.n && size !== 1))
      return stock(args)
  }
  return runMatMul(addon, args, plan, [transposeA, transposeB], bias ?? undefined, act)
}

/** Sum over a leading block of axes (bias / LayerNorm gradients) as one sgemv with a ones vector. */
export const sum: NativeKernelFactory = (addon, stock) => (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo }
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean }
  if (x.dtype !== 'float32' || hasZero(x)) return stock(args)
  const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q)
  const lead = axes.length
  if (lead === 0 || lead >= x.shape.length || axes.some((ax, i) => ax !== i)) return stock(args)
  const rest = x.shape.slice(lead)
  const outShape = keepDims ? [...Array<number>(lead).fill(1), ...rest] : rest
  const backend = wasmOf(args)
  const out = backend.makeOutput(outShape, 'float32')
  addon.sumLeading(f32(backend, x), f32(backend, out))
  return out
}

const unary =
  (op: number): NativeKernelFactory =>
  (addon, stock) =>
  (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    if (x.dtype !== 'float32' || hasZero(x)) return stock(args)
    const backend = wasmOf(args)
    const out = backend.makeOutput(x.shape, 'float32')
    addon.unary(op, f32(backend, x), f32(backend, out))
    return out
  }

/** Tanh (GELU) via a vectorised exp; about 1e-7 absolute error. */
export const tanh: NativeKernelFactory = unary(0)
/** Exp (softmax); within about 1 ulp of expf. */
export const exp: NativeKernelFactory = unary(1)

/** Shares the input buffer (refcount) instead of copying it, as the cpu backend does. */
function shareBuffer(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo }
  wasmOf(args).incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

export const identity: NativeKernelFactory = (_addon, stock) => (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo }
  return x.dtype === 'string' ? stock(args) : shareBuffer(args)
}

/** Same-dtype Cast (every Multiply gradient does one) is free; real conversions stay stock. */
export const cast: NativeKernelFactory = (_addon, stock) => (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo }
  const { dtype } = args.attrs as { dtype: tf.DataType }
  return dtype === x.dtype && dtype !== 'string' ? shareBuffer(args) : stock(args)
}

/**
 * GatherV2 (embedding rows, token log-probs) as row copies on the heap; the stock wasm gather is slow
 * for thousands of rows. Out-of-range indices and batchDims > 0 go to the stock kernel.
 */
export const gather: NativeKernelFactory = (_addon, stock) => (args) => {
  const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo }
  const { axis, batchDims } = args.attrs as { axis: number; batchDims: number }
  if (batchDims !== 0 || indices.dtype !== 'int32' || hasZero(x, indices)) return stock(args)
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return stock(args)
  const ax = tf.util.parseAxisParam(axis, x.shape)[0] as number
  const dim = x.shape[ax] as number
  const outer = prod(x.shape.slice(0, ax))
  const inner = prod(x.shape.slice(ax + 1))
  const backend = wasmOf(args)
  const idx = backend.typedArrayFromHeap(indices) as Int32Array
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i] as number
    if (v < 0 || v >= dim) return stock(args)
  }
  const outShape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)]
  const out = backend.makeOutput(outShape, x.dtype)
  const src = backend.typedArrayFromHeap(x)
  const dst = backend.typedArrayFromHeap(out)
  const ids = backend.typedArrayFromHeap(indices) as Int32Array // fresh views after makeOutput
  const n = ids.length
  for (let o = 0; o < outer; o++) {
    const srcBase = o * dim * inner
    const dstBase = o * n * inner
    if (inner === 1) {
      for (let i = 0; i < n; i++) dst[dstBase + i] = src[srcBase + (ids[i] as number)] as number
    } else {
      for (let i = 0; i < n; i++) {
        const from = srcBase + (ids[i] as number) * inner
        dst.set(src.subarray(from, from + inner), dstBase + i * inner)
      }
    }
  }
  return out
}

/**
 * Ops of our own (no stock kernel): each builds its kernels (forward, gradient) and names the
 * gradient config that ties them together, when the addon has the function; else null.
 */
export type NativeOpFactory = (addon: BlasAddon) => {
  kernels: { kernelName: string; kernelFunc: tf.KernelFunc }[]
  gradient: tf.GradConfig
} | null

/** GELU and its gradient (core/agent/models/gelu.ts calls them when they are registered). */
const geluOp: NativeOpFactory = (addon) => {
  const gelu = addon.gelu?.bind(addon)
  if (!gelu) return null
  const forward: tf.KernelFunc = (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    const backend = wasmOf(args)
    const out = backend.makeOutput(x.shape, 'float32')
    gelu(f32(backend, x), f32(backend, out))
    return out
  }
  const backward: tf.KernelFunc = (args) => {
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo }
    const backend = wasmOf(args)
    const out = backend.makeOutput(x.shape, 'float32')
    gelu(f32(backend, x), f32(backend, out), f32(backend, dy))
    return out
  }
  return {
    kernels: [
      { kernelName: GELU_KERNEL, kernelFunc: forward },
      { kernelName: GELU_GRAD_KERNEL, kernelFunc: backward }
    ],
    gradient: geluGradConfig
  }
}

/** LayerNorm over the last axis and its gradients (core/agent/models/layer-norm.ts). */
const layerNormOp: NativeOpFactory = (addon) => {
  const forward = addon.layerNorm?.bind(addon)
  const backward = addon.layerNormGrad?.bind(addon)
  if (!forward || !backward) return null
  const ln: tf.KernelFunc = (args) => {
    const { x, g, b } = args.inputs as { x: tf.TensorInfo; g: tf.TensorInfo; b: tf.TensorInfo }
    const backend = wasmOf(args)
    const out = backend.makeOutput(x.shape, 'float32')
    forward(f32(backend, x), f32(backend, g), f32(backend, b), f32(backend, out), LAYER_NORM_EPS)
    return out
  }
  const grad: tf.KernelFunc = (args) => {
    const { x, g, dy } = args.inputs as { x: tf.TensorInfo; g: tf.TensorInfo; dy: tf.TensorInfo }
    const backend = wasmOf(args)
    const dx = backend.makeOutput(x.shape, 'float32')
    const dg = backend.makeOutput(g.shape, 'float32')
    const db = backend.makeOutput(g.shape, 'float32')
    const v = (t: tf.TensorInfo): Float32Array => f32(backend, t)
    backward(v(x), v(g), v(dy), v(dx), v(dg), v(db), LAYER_NORM_EPS)
    return [dx, dg, db]
  }
  return {
    kernels: [
      { kernelName: LAYER_NORM_KERNEL, kernelFunc: ln },
      { kernelName: LAYER_NORM_GRAD_KERNEL, kernelFunc: grad }
    ],
    gradient: layerNormGradConfig
  }
}

/** The attention weights softmax(x · scale + mask) and their gradient (attention-softmax.ts). */
const attentionSoftmaxOp: NativeOpFactory = (addon) => {
  const forward = addon.attnSoftmax?.bind(addon)
  const backward = addon.attnSoftmaxGrad?.bind(addon)
  if (!forward || !backward) return null
  const softmax: tf.KernelFunc = (args) => {
    const { x, mask } = args.inputs as { x: tf.TensorInfo; mask: tf.TensorInfo }
    const { scale } = args.attrs as unknown as AttentionSoftmaxAttrs
    const backend = wasmOf(args)
    const out = backend.makeOutput(x.shape, 'float32')
    const [s, k] = x.shape.slice(-2) as [number, number]
    forward(f32(backend, x), f32(backend, mask), f32(backend, out), s, k, scale)
    return out
  }
  const grad: tf.KernelFunc = (args) => {
    const { y, dy } = args.inputs as { y: tf.TensorInfo; dy: tf.TensorInfo }
    const { scale } = args.attrs as unknown as AttentionSoftmaxAttrs
    const backend = wasmOf(args)
    const dx = backend.makeOutput(y.shape, 'float32')
    const k = y.shape[y.shape.length - 1] as number
    backward(f32(backend, y), f32(backend, dy), f32(backend, dx), k, scale)
    return dx
  }
  return {
    kernels: [
      { kernelName: ATTENTION_SOFTMAX_KERNEL, kernelFunc: softmax },
      { kernelName: ATTENTION_SOFTMAX_GRAD_KERNEL, kernelFunc: grad }
    ],
    gradient: attentionSoftmaxGradConfig
  }
}

/** Log-softmax over the last axis and its gradient (log-softmax.ts). */
const logSoftmaxOp: NativeOpFactory = (addon) => {
  const run = addon.logSoftmax?.bind(addon)
  if (!run) return null
  const lastDim = (t: tf.TensorInfo): number => t.shape[t.shape.length - 1] as number
  const forward: tf.KernelFunc = (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo }
    const backend = wasmOf(args)
    const out = backend.makeOutput(x.shape, 'float32')
    run(f32(backend, x), f32(backend, out), lastDim(x))
    return out
  }
  const backward: tf.KernelFunc = (args) => {
    const { y, dy } = args.inputs as { y: tf.TensorInfo; dy: tf.TensorInfo }
    const backend = wasmOf(args)
    const dx = backend.makeOutput(y.shape, 'float32')
    run(f32(backend, y), f32(backend, dy), f32(backend, dx), lastDim(y))
    return dx
  }
  return {
    kernels: [
      { kernelName: LOG_SOFTMAX_KERNEL, kernelFunc: forward },
      { kernelName: LOG_SOFTMAX_GRAD_KERNEL, kernelFunc: backward }
    ],
    gradient: logSoftmaxGradConfig
  }
}

/** The ops installNativeKernels() adds, by the name of their forward kernel. */
export const NATIVE_OPS: Record<string, NativeOpFactory> = {
  [GELU_KERNEL]: geluOp,
  [LAYER_NORM_KERNEL]: layerNormOp,
  [ATTENTION_SOFTMAX_KERNEL]: attentionSoftmaxOp,
  [LOG_SOFTMAX_KERNEL]: logSoftmaxOp
}

/** The kernels installNativeKernels() overrides, by tfjs kernel name. */
export const NATIVE_KERNELS: Record<string, NativeKernelFactory> = {
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Sum: sum,
  Tanh: tanh,
  Exp: exp,
  Identity: identity,
  Cast: cast,
  GatherV2: gather
}
