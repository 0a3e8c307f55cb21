// Each native kernel against the stock wasm kernel (max abs difference < 1e-5) over shapes,
// transpose flags and batch broadcasting, plus the zero-copy and fallback branches.
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  attentionSoftmax,
  attentionSoftmaxOps,
  ATTENTION_SOFTMAX_KERNEL
} from '../../../core/agent/models/attention-softmax'
import { gelu, geluOps, GELU_GRAD_KERNEL, GELU_KERNEL } from '../../../core/agent/models/gelu'
import { logSoftmax, LOG_SOFTMAX_KERNEL } from '../../../core/agent/models/log-softmax'
import { maskedLogSoftmax } from '../../../core/agent/models/masked-log-softmax'
import { layerNorm, LAYER_NORM_KERNEL } from '../../../core/agent/models/layer-norm'
import { installNativeKernels, uninstallNativeKernels } from '../../../core/train/native'
import { maxAbsDiff, nativeAvailable, nativeVsStock, uniform, wasmReady } from './helpers'

await wasmReady()

/** LayerNorm and its gradients in float64, the reference both float32 paths are held to. */
function layerNormInDoubles(
  x: Float32Array,
  g: Float32Array,
  b: Float32Array,
  dy: Float32Array,
  d: number
): { y: Float64Array; dx: Float64Array; dg: Float64Array; db: Float64Array } {
  const rows = x.length / d
  const y = new Float64Array(x.length)
  const dx = new Float64Array(x.length)
  const dg = new Float64Array(d)
  const db = new Float64Array(d)
  for (let r = 0; r < rows; r++) {
    const at = (j: number): number => r * d + j
    let mean = 0
    for (let j = 0; j < d; j++) mean += x[at(j)]! / d
    let v = 0
    for (let j = 0; j < d; j++) v += (x[at(j)]! - mean) ** 2 / d
    const rstd = 1 / Math.sqrt(v + 1e-5)
    let m1 = 0
    let m2 = 0
    for (let j = 0; j < d; j++) {
      const xh = (x[at(j)]! - mean) * rstd
      y[at(j)] = xh * g[j]! + b[j]!
      const dxh = dy[at(j)]! * g[j]!
      m1 += dxh / d
      m2 += (dxh * xh) / d
      dg[j]! += dy[at(j)]! * xh
      db[j]! += dy[at(j)]!
    }
    for (let j = 0; j < d; j++) {
      const xh = (x[at(j)]! - mean) * rstd
      dx[at(j)] = rstd * (dy[at(j)]! * g[j]! - m1 - xh * m2)
    }
  }
  return { y, dx, dg, db }
}
const available = nativeAvailable()
const TOL = 1e-5

describe.skipIf(!available)('native kernels vs stock wasm', () => {
  beforeAll(() => uninstallNativeKernels())
  afterEach(() => uninstallNativeKernels())

  const matmulCases: Array<{ a: number[]; b: number[] }> = [
    { a: [5, 7], b: [7, 3] },
    { a: [1, 9], b: [9, 1] },
    { a: [4, 6, 5], b: [4, 5, 3] },
    { a: [2, 3, 4, 5], b: [2, 3, 5, 6] },
    { a: [1, 6, 5], b: [4, 5, 3] }, // broadcast A
    { a: [4, 6, 5], b: [5, 3] }, // rank-2 B broadcast over A's batch
    { a: [6, 5], b: [2, 2, 5, 3] }, // rank-2 A broadcast over B's batch
    { a: [33, 17], b: [17, 40] }
  ]
  for (const { a, b } of matmulCases) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true]
    ] as const) {
      it(`BatchMatMul [${a}]${tA ? 'ᵀ' : ''} x [${b}]${tB ? 'ᵀ' : ''}`, () => {
        const swap = (s: number[], t: boolean): number[] =>
          t ? [...s.slice(0, -2), s[s.length - 1] as number, s[s.length - 2] as number] : s
        const x = uniform(swap(a, tA), 1)
        const y = uniform(swap(b, tB), 2)
        const r = nativeVsStock(() => tf.matMul(x, y, tA, tB))
        expect(r.nativeShape).toEqual(r.stockShape)
        expect(maxAbsDiff(r.native, r.stock)).toBeLessThan(TOL)
        tf.dispose([x, y])
      })
    }
  }

  it('BatchMatMul broadcasts batch dims both ways ([2,1] x [1,3]) like explicit tiling', () => {
    const x = uniform([2, 1, 4, 5], 3)
    const y = uniform([1, 3, 5, 2], 4)
    installNativeKernels()
    const got = tf.matMul(x, y)
    uninstallNativeKernels()
    const want = tf.matMul(tf.tile(x, [1, 3, 1, 1]), tf.tile(y, [2, 1, 1, 1]))
    expect(got.shape).toEqual([2, 3, 4, 2])
    expect(maxAbsDiff(got.dataSync(), want.dataSync())).toBeLessThan(TOL)
    tf.dispose([x, y, got, want])
  })

  it('BatchMatMul rejects mismatched inner dims like the stock kernel', () => {
    const x = uniform([3, 4], 5)
    const y = uniform([5, 2], 6)
    installNativeKernels()
    expect(() => tf.matMul(x, y)).toThrow(/inner shapes/)
    tf.dispose([x, y])
  })

  it('the flag gradient of BatchMatMul equals the stock one and sums broadcast dims', () => {
    const x = uniform([1, 4, 5], 7)
    const y = uniform([3, 5, 2], 8)
    const loss = (p: tf.Tensor, q: tf.Tensor): tf.Scalar => tf.matMul(p, q).square().sum()
    installNativeKernels()
    const [gx, gy] = tf.grads(loss)([x, y]) as [tf.Tensor, tf.Tensor]
    const tiled = (p: tf.Tensor, q: tf.Tensor): tf.Scalar => loss(tf.tile(p, [3, 1, 1]), q)
    const [wx, wy] = tf.grads(tiled)([x, y]) as [tf.Tensor, tf.Tensor]
    expect(gx.shape).toEqual([1, 4, 5])
    expect(maxAbsDiff(gx.dataSync(), wx.dataSync())).toBeLessThan(1e-4)
    expect(maxAbsDiff(gy.dataSync(), wy.dataSync())).toBeLessThan(1e-4)
    uninstallNativeKernels()
    for (const [tA, tB] of [
      [false, true],
      [true, false],
      [true, true]
    ] as const) {
      const p = uniform([2, 3, 3], 9)
      const q = uniform([2, 3, 3], 10)
      const f = (u: tf.Tensor, v: tf.Tensor): tf.Scalar => tf.matMul(u, v, tA, tB).square().sum()
      installNativeKernels()
      const n = tf.grads(f)([p, q])
      uninstallNativeKernels()
      const s = tf.grads(f)([p, q])
      for (let i = 0; i < 2; i++) {
        expect(maxAbsDiff(n[i]!.dataSync(), s[i]!.dataSync())).toBeLessThan(TOL)
      }
      tf.dispose([p, q, ...n, ...s])
    }
    tf.dispose([x, y, gx, gy, wx, wy])
  })

  // Reference: the unfused stock ops. Stock wasm _FusedMatMul itself is wrong with a bias when the
  // batch is > 1, with transposeB, or when the bias has length 1, so it is compared only elsewhere.
  const fusedCases: Array<{
    name: string
    bias?: number[]
    activation: 'linear' | 'relu' | 'elu'
  }> = [
    { name: 'bias + linear', bias: [6], activation: 'linear' },
    { name: 'bias + relu', bias: [6], activation: 'relu' },
    { name: 'length-1 bias', bias: [1], activation: 'relu' },
    { name: 'no bias, relu', activation: 'relu' },
    { name: 'elu (stock fallback)', bias: [6], activation: 'elu' }
  ]
  for (const c of fusedCases) {
    for (const [batch, tB] of [
      [0, false],
      [0, true],
      [2, false],
      [2, true]
    ] as const) {
      const stockIsRight = batch === 0 && !tB && c.bias?.[0] !== 1
      if (c.activation === 'elu' && !stockIsRight) continue
      const lead = batch ? [batch] : []
      it(`_FusedMatMul ${c.name}${batch ? `, batch ${batch}` : ''}${tB ? ', transposeB' : ''}`, () => {
        const a = uniform([...lead, 5, 4], 11)
        const b = uniform([...lead, ...(tB ? [6, 4] : [4, 6])], 12)
        const bias = c.bias ? uniform(c.bias, 13) : undefined
        const act = (t: tf.Tensor): tf.Tensor =>
          c.activation === 'relu' ? tf.relu(t) : c.activation === 'elu' ? tf.elu(t) : t
        const fused = (): tf.Tensor =>
          tf.fused.matMul({ a, b, transposeB: tB, bias, activation: c.activation })
        installNativeKernels()
        const got = fused()
        uninstallNativeKernels()
        const want = tf.tidy(() => {
          const mm = tf.matMul(a, b, false, tB)
          return act(bias ? mm.add(bias) : mm)
        })
        expect(got.shape).toEqual([...lead, 5, 6])
        expect(maxAbsDiff(got.dataSync(), want.dataSync())).toBeLessThan(TOL)
        if (stockIsRight) {
          const stock = fused()
          expect(maxAbsDiff(got.dataSync(), stock.dataSync())).toBeLessThan(TOL)
          stock.dispose()
        }
        tf.dispose([a, b, got, want, ...(bias ? [bias] : [])])
      })
    }
  }

  const sumCases: Array<{ shape: number[]; axis: number | number[]; keepDims?: boolean }> = [
    { shape: [37, 9], axis: 0 },
    { shape: [4, 6, 5], axis: [0, 1] },
    { shape: [4, 6, 5], axis: [1, 0], keepDims: true },
    { shape: [4, 6, 5], axis: -3 },
    { shape: [4, 6, 5], axis: 2 }, // inner axis: stock path
    { shape: [4, 6, 5], axis: [0, 2] }, // not a leading block: stock path
    { shape: [8], axis: 0 } // full reduction: stock path
  ]
  for (const c of sumCases) {
    it(`Sum [${c.shape}] over ${JSON.stringify(c.axis)}${c.keepDims ? ' keepDims' : ''}`, () => {
      const x = uniform(c.shape, 14)
      const r = nativeVsStock(() => tf.sum(x, c.axis, c.keepDims))
      expect(r.nativeShape).toEqual(r.stockShape)
      expect(maxAbsDiff(r.native, r.stock)).toBeLessThan(TOL)
      x.dispose()
    })
  }

  it('Sum of int32 stays on the stock kernel (dtype kept)', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32')
    installNativeKernels()
    const s = tf.sum(x, 0)
    expect(s.dtype).toBe('int32')
    expect(Array.from(s.dataSync())).toEqual([9, 12])
    tf.dispose([x, s])
  })

  it('Tanh and Exp over a wide range, including ±Inf and NaN', () => {
    const values = Array.from({ length: 4001 }, (_, i) => (i - 2000) / 100) // -20 … 20
    values.push(Infinity, -Infinity, NaN, 0, -0, 1e-8, -1e-8)
    const x = tf.tensor1d(values)
    const t = nativeVsStock(() => tf.tanh(x))
    expect(maxAbsDiff(t.native, t.stock)).toBeLessThan(TOL)
    const small = tf.tensor1d(values.map((v) => (Number.isFinite(v) ? v / 4 : v))) // e^±5
    const e = nativeVsStock(() => tf.exp(small))
    expect(maxAbsDiff(e.native, e.stock)).toBeLessThan(TOL)
    // Relative accuracy over the whole float range: within a few ulp.
    const wide = tf.tensor1d(Array.from({ length: 2001 }, (_, i) => (i - 1000) / 10.5))
    const w = nativeVsStock(() => tf.exp(wide))
    for (let i = 0; i < w.stock.length; i++) {
      const s = w.stock[i] as number
      const n = w.native[i] as number
      if (n === s) continue
      if (s > 1e-37 && Number.isFinite(s)) expect(Math.abs(n - s) / s).toBeLessThan(1e-6)
      else expect(Math.abs(n - s)).toBeLessThan(1e-37)
    }
    tf.dispose([x, small, wide])
  })

  it("GELU (one native kernel) equals the formula's ops forward and in its gradient", () => {
    const values = Array.from({ length: 4001 }, (_, i) => (i - 2000) / 200) // -10 … 10
    values.push(0, -0, 1e-8, -1e-8, 30, -30)
    const x = tf.tensor2d(values, [values.length, 1])
    const dy = uniform([values.length, 1], 21)
    const forward = nativeVsStock(() => gelu(x))
    expect(maxAbsDiff(forward.native, forward.stock)).toBeLessThan(TOL)
    const grad = tf.grad((t: tf.Tensor) => gelu(t as tf.Tensor2D))
    const backward = nativeVsStock(() => grad(x, dy))
    expect(maxAbsDiff(backward.native, backward.stock)).toBeLessThan(TOL)
    // The native kernels are what ran: registered while installed, gone after.
    installNativeKernels()
    expect(tf.getKernel(GELU_KERNEL, 'wasm')).toBeDefined()
    const fused = gelu(x)
    const viaOps = geluOps(x)
    expect(maxAbsDiff(fused.dataSync(), viaOps.dataSync())).toBeLessThan(TOL)
    uninstallNativeKernels()
    expect(tf.getKernel(GELU_KERNEL, 'wasm')).toBeUndefined()
    expect(tf.getKernel(GELU_GRAD_KERNEL, 'wasm')).toBeUndefined()
    tf.dispose([x, dy, fused, viaOps])
  })

  it('LayerNorm (one native kernel) is as exact as the formula ops, forward and in three gradients', () => {
    for (const [rows, d, seed] of [
      [7, 16, 31],
      [33, 128, 32],
      [1, 5, 33]
    ] as const) {
      // Rows with offsets and scales far from 0/1, as residual streams have.
      const x = uniform([rows, d], seed)
        .mul(3)
        .add(tf.range(0, rows).reshape([rows, 1]))
      const g = uniform([d], seed + 1).add(1)
      const b = uniform([d], seed + 2)
      const dy = uniform([rows, d], seed + 3)
      const exact = layerNormInDoubles(
        x.dataSync() as Float32Array,
        g.dataSync() as Float32Array,
        b.dataSync() as Float32Array,
        dy.dataSync() as Float32Array,
        d
      )
      const grads = tf.grads((xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor) =>
        layerNorm(xs as tf.Tensor2D, gs, bs)
      )
      const outputs: [string, () => tf.Tensor, Float64Array][] = [
        ['y', () => layerNorm(x as tf.Tensor2D, g, b), exact.y],
        ['dx', () => grads([x, g, b], dy)[0]!, exact.dx],
        ['dg', () => grads([x, g, b], dy)[1]!, exact.dg],
        ['db', () => grads([x, g, b], dy)[2]!, exact.db]
      ]
      for (const [name, fn, want] of outputs) {
        const pair = nativeVsStock(fn)
        const scale = Math.max(1, ...Array.from(want, Math.abs))
        const native = maxAbsDiff(pair.native, want) / scale
        const stock = maxAbsDiff(pair.stock, want) / scale
        expect(native, `${name} [${rows}, ${d}]`).toBeLessThan(Math.max(TOL, 2 * stock))
        expect(maxAbsDiff(pair.native, pair.stock) / scale, name).toBeLessThan(1e-4)
      }
      tf.dispose([x, g, b, dy])
    }
    installNativeKernels()
    expect(tf.getKernel(LAYER_NORM_KERNEL, 'wasm')).toBeDefined()
    uninstallNativeKernels()
    expect(tf.getKernel(LAYER_NORM_KERNEL, 'wasm')).toBeUndefined()
  })

  it('_FusedMatMul with a bias gives the bits of matMul then add (bias written into C first)', () => {
    installNativeKernels()
    for (const [m, k, n, bias] of [
      [300, 128, 40, 40],
      [9, 256, 5, 1],
      [7, 300, 6, 6] // two K panels: the bias is added after them, as before
    ] as const) {
      const a = uniform([m, k], 61).mul(3) as tf.Tensor2D
      const w = uniform([k, n], 62) as tf.Tensor2D
      const b = uniform([bias], 63).mul(5)
      const fused = tf.fused.matMul({ a, b: w, bias: b })
      const separate = tf.matMul(a, w).add(b)
      expect(maxAbsDiff(fused.dataSync(), separate.dataSync()), `${m}×${k}×${n}`).toBe(0)
      tf.dispose([a, w, b, fused, separate])
    }
  })

  it('attention softmax (one native kernel) equals scale, mask add and softmax, forward and in both gradients', () => {
    // Causal and per-row masks (with fully masked padding columns), as the model and the KV cache use.
    const causal = new Float32Array(5 * 7)
    for (let i = 0; i < 5; i++) for (let j = i + 3; j < 7; j++) causal[i * 7 + j] = -1e9
    const perRow = new Float32Array(2 * 5 * 7).map((_, i) =>
      i % 7 === 0 || i % 11 === 3 ? -1e9 : 0
    )
    const cases: [number[], tf.Tensor][] = [
      [[2, 3, 5, 7], tf.tensor2d(causal, [5, 7])],
      [[2, 3, 5, 7], tf.tensor4d(perRow, [2, 1, 5, 7])],
      [[1, 2, 3, 131], tf.zeros([3, 131])] // a row longer than the 8 lanes, with a tail
    ]
    for (const [shape, mask] of cases) {
      const x = uniform(shape, 41).mul(8) as tf.Tensor4D
      const dy = uniform(shape, 42)
      const scale = 0.37
      const forward = nativeVsStock(() => attentionSoftmax(x, mask, scale))
      expect(forward.nativeShape).toEqual(shape)
      expect(maxAbsDiff(forward.native, forward.stock), `y ${shape}`).toBeLessThan(TOL)
      const grads = tf.grads((xs: tf.Tensor, ms: tf.Tensor) =>
        attentionSoftmax(xs as tf.Tensor4D, ms, scale)
      )
      for (const which of [0, 1]) {
        const pair = nativeVsStock(() => grads([x, mask], dy)[which]!)
        expect(pair.nativeShape).toEqual(pair.stockShape)
        expect(maxAbsDiff(pair.native, pair.stock), `d${which} ${shape}`).toBeLessThan(TOL)
      }
      tf.dispose([x, dy, mask])
    }
    installNativeKernels()
    const x = uniform([1, 1, 2, 4], 43) as tf.Tensor4D
    const m = tf.zeros([2, 4])
    const fused = attentionSoftmax(x, m, 1)
    const viaOps = attentionSoftmaxOps(x, m, 1)
    expect(maxAbsDiff(fused.dataSync(), viaOps.dataSync())).toBeLessThan(TOL)
    // A mask the kernel does not take (broadcast over rows) runs the ops instead.
    const odd = tf.zeros([1, 4])
    expect(attentionSoftmax(x, odd, 1).shape).toEqual([1, 1, 2, 4])
    uninstallNativeKernels()
    expect(tf.getKernel(ATTENTION_SOFTMAX_KERNEL, 'wasm')).toBeUndefined()
    tf.dispose([x, m, fused, viaOps, odd])
  })

  it('log softmax (one native kernel) equals tf.logSoftmax forward and in its gradient, masked rows too', () => {
    for (const [rows, vocab, seed] of [
      [6, 512, 51],
      [3, 13, 52]
    ] as const) {
      const logits = uniform([rows, vocab], seed).mul(20) as tf.Tensor2D
      const dy = uniform([rows, vocab], seed + 1)
      const allowed = tf.tensor2d(
        Array.from({ length: rows * vocab }, (_, i) => (i % 5 === 0 || i % vocab === 1 ? 1 : 0)),
        [rows, vocab],
        'bool'
      )
      for (const [name, fn] of [
        ['plain', (z: tf.Tensor) => logSoftmax(z as tf.Tensor2D)],
        [
          'masked T 0.4',
          (z: tf.Tensor) => maskedLogSoftmax(z as tf.Tensor2D, allowed as tf.Tensor2D, 0.4)
        ]
      ] as const) {
        const forward = nativeVsStock(() => fn(logits))
        const finite = (a: Float32Array): Float32Array => a.map((v) => (v < -1e8 ? -1e9 : v))
        expect(maxAbsDiff(finite(forward.native), finite(forward.stock)), name).toBeLessThan(
          TOL * 10
        )
        const grad = tf.grad(fn)
        const backward = nativeVsStock(() => grad(logits, dy))
        expect(maxAbsDiff(backward.native, backward.stock), `${name} dx`).toBeLessThan(TOL)
      }
      tf.dispose([logits, dy, allowed])
    }
    installNativeKernels()
    expect(tf.getKernel(LOG_SOFTMAX_KERNEL, 'wasm')).toBeDefined()
    uninstallNativeKernels()
    expect(tf.getKernel(LOG_SOFTMAX_KERNEL, 'wasm')).toBeUndefined()
  })

  it('Identity and same-dtype Cast share the buffer; real casts convert', () => {
    const x = uniform([3, 4], 15)
    const before = tf.memory().numDataBuffers
    installNativeKernels()
    const id = tf.clone(x)
    const same = tf.cast(x, 'float32')
    expect(tf.memory().numDataBuffers).toBe(before) // no new buffer
    expect(maxAbsDiff(id.dataSync(), x.dataSync())).toBe(0)
    const floats = tf.tensor1d([1.7, -2.2, 3])
    const asInt = tf.cast(floats, 'int32')
    expect(asInt.dtype).toBe('int32')
    expect(Array.from(asInt.dataSync())).toEqual([1, -2, 3])
    x.dispose()
    expect(Array.from(id.dataSync())).toEqual(Array.from(same.dataSync())) // still alive
    tf.dispose([id, same, asInt, floats])
    expect(tf.memory().numDataBuffers).toBe(before - 1)
  })

  for (const c of [
    { x: [10, 4], idx: [7], axis: 0 },
    { x: [10, 4], idx: [2, 3], axis: 0 },
    { x: [3, 10, 2], idx: [4], axis: 1 },
    { x: [50], idx: [20], axis: 0 }
  ]) {
    it(`GatherV2 [${c.x}] axis ${c.axis} with indices [${c.idx}]`, () => {
      const x = uniform(c.x, 16)
      const dim = c.x[c.axis] as number
      const n = c.idx.reduce((p, d) => p * d, 1)
      const idx = tf.tensor(
        Array.from({ length: n }, (_, i) => (i * 7 + 3) % dim),
        c.idx,
        'int32'
      )
      const r = nativeVsStock(() => tf.gather(x, idx, c.axis))
      expect(r.nativeShape).toEqual(r.stockShape)
      expect(maxAbsDiff(r.native, r.stock)).toBe(0)
      tf.dispose([x, idx])
    })
  }

  it('does not leak tensors or heap buffers', () => {
    installNativeKernels()
    const a = uniform([3, 8, 4], 17)
    const b = uniform([3, 4, 5], 18)
    const before = tf.memory()
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        const y = tf.matMul(a, b).tanh().exp().sum(0)
        return [y, ...tf.grads((p: tf.Tensor) => tf.matMul(p, b).sum())([a])]
      }).forEach((t) => t.dispose())
    }
    const after = tf.memory()
    expect(after.numTensors).toBe(before.numTensors)
    expect(after.numBytes).toBe(before.numBytes)
    tf.dispose([a, b])
  })
})

describe.skipIf(!available)('addon argument checks', () => {
  it('refuses inconsistent lengths instead of touching memory out of bounds', async () => {
    const { loadAddon } = await import('../../../core/train/native/addon')
    const addon = loadAddon().addon
    if (!addon) throw new Error('addon missing')
    const f = (n: number): Float32Array => new Float32Array(n)
    expect(() => addon.matmul(f(6), f(6), f(4), 1, 2, 2, 3, 0, 0)).not.toThrow()
    expect(() => addon.matmul(f(5), f(6), f(4), 1, 2, 2, 3, 0, 0)).toThrow(/A has the wrong length/)
    expect(() => addon.matmul(f(6), f(6), f(5), 1, 2, 2, 3, 0, 0)).toThrow(/C has the wrong length/)
    expect(() => addon.matmul(f(12), f(6), f(12), 3, 2, 2, 3, 0, 0)).toThrow(/does not broadcast/)
    const bad = new Int32Array([0, 5, 1])
    expect(() => addon.matmul(f(12), f(6), f(12), 3, 2, 2, 3, 0, 0, bad)).toThrow(/out of range/)
    expect(() => addon.matmul(f(6), f(6), f(4), 1, 2, 2, 3, 0, 0, null, null, f(3))).toThrow(/bias/)
    expect(() => addon.sumLeading(f(7), f(2))).toThrow(/X.length/)
    expect(() => addon.unary(0, f(3), f(4))).toThrow(/lengths differ/)
    expect(() => addon.unary(9, f(3), f(3))).toThrow(/unknown op/)
    expect(() => addon.gelu?.(f(3), f(4))).toThrow(/lengths differ/)
    expect(() => addon.gelu?.(f(3), f(3), f(2))).toThrow(/DY/)
    expect(() => addon.layerNorm?.(f(6), f(4), f(4), f(6), 1e-5)).toThrow(/rows of X/)
    expect(() => addon.layerNorm?.(f(8), f(4), f(3), f(8), 1e-5)).toThrow(/rows of X/)
    expect(() => addon.layerNormGrad?.(f(8), f(4), f(8), f(8), f(4), f(2), 1e-5)).toThrow(/rows/)
    expect(() => addon.attnSoftmax?.(f(12), f(6), f(12), 2, 3, 1)).not.toThrow()
    expect(() => addon.attnSoftmax?.(f(12), f(6), f(11), 2, 3, 1)).toThrow(/blocks/)
    expect(() => addon.attnSoftmax?.(f(12), f(5), f(12), 2, 3, 1)).toThrow(/blocks/)
    expect(() => addon.attnSoftmax?.(f(18), f(12), f(18), 2, 3, 1)).toThrow(/divide/)
    expect(() => addon.attnSoftmax?.(f(12), f(6), f(12), 0, 3, 1)).toThrow(/positive/)
    expect(() => addon.attnSoftmaxGrad?.(f(12), f(12), f(6), 3, 1)).toThrow(/rows of K/)
    expect(() => addon.logSoftmax?.(f(12), f(12), 5)).toThrow(/rows of K/)
    expect(() => addon.logSoftmax?.(f(12), f(12), f(10), 4)).toThrow(/rows of K/)
    expect(() => addon.setThreads(0)).toThrow(/setThreads/)
  })
})
