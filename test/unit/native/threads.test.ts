// Default BLAS threads: every core unless rollouts run in parallel (then cores − 1, at least 1);
// HIMAC_NATIVE_THREADS overrides both; installNativeKernels applies the default.
import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultThreads, loadAddon } from '../../../core/train/native/addon'
import { installNativeKernels, uninstallNativeKernels } from '../../../core/train/native'
import { nativeAvailable, wasmReady } from './helpers'

await wasmReady()
const available = nativeAvailable()
const cores = os.availableParallelism()
const saved = { ...process.env }

describe('default BLAS threads', () => {
  afterEach(() => {
    for (const k of ['HIMAC_NATIVE_THREADS', 'HIMAC_PARALLEL_ROLLOUTS']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
    uninstallNativeKernels()
  })

  it('uses every core, or leaves one for parallel rollouts', () => {
    delete process.env.HIMAC_NATIVE_THREADS
    delete process.env.HIMAC_PARALLEL_ROLLOUTS
    expect(defaultThreads()).toBe(cores)
    expect(defaultThreads({ parallelRollouts: true })).toBe(Math.max(1, cores - 1))
    process.env.HIMAC_PARALLEL_ROLLOUTS = '1'
    expect(defaultThreads()).toBe(Math.max(1, cores - 1))
    expect(defaultThreads({ parallelRollouts: false })).toBe(cores)
  })

  it('HIMAC_NATIVE_THREADS wins; invalid values are ignored', () => {
    process.env.HIMAC_NATIVE_THREADS = '3'
    expect(defaultThreads()).toBe(3)
    expect(defaultThreads({ parallelRollouts: true })).toBe(3)
    process.env.HIMAC_NATIVE_THREADS = 'many'
    expect(defaultThreads()).toBe(cores)
  })

  it.skipIf(!available)('installNativeKernels applies the default', () => {
    delete process.env.HIMAC_NATIVE_THREADS
    delete process.env.HIMAC_PARALLEL_ROLLOUTS
    expect(installNativeKernels().threads).toBe(cores)
    expect(installNativeKernels({ parallelRollouts: true }).threads).toBe(Math.max(1, cores - 1))
  })

  it.skipIf(!available)(
    'a matmul gives the same bits at 1, 2 and 3 threads, long K included',
    () => {
      const addon = loadAddon().addon!
      const before = addon.getThreads()
      let seed = 7
      const random = (n: number): Float32Array =>
        Float32Array.from({ length: n }, () => {
          seed = (seed * 1103515245 + 12345) % 2147483648
          return seed / 2147483648 - 0.5
        })
      try {
        // K above OpenBLAS's GEMM_Q (448 on SkylakeX) and not a multiple of it: a weight gradient
        // over ~5,500 tokens, as a training step takes.
        for (const [m, n, k] of [
          [128, 32, 5544],
          [32, 128, 3000],
          [128, 384, 449],
          [64, 64, 300],
          // Shapes whose blocks gave other sums when the block size followed the thread count: the
          // head (100 positions × vocabulary 1414), weight gradients over 3,600 tokens, attention.
          [100, 1414, 64],
          [64, 64, 3600],
          [256, 64, 3600],
          [16, 600, 600],
          [300, 333, 100]
        ]) {
          for (const [ta, tb] of [
            [0, 0],
            [1, 0],
            [0, 1]
          ]) {
            const a = random(m! * k!)
            const b = random(k! * n!)
            const out = [1, 2, 3].map((threads) => {
              addon.setThreads(threads)
              const c = new Float32Array(m! * n!)
              addon.matmul(a, b, c, 1, m!, n!, k!, ta!, tb!)
              return Buffer.from(c.buffer)
            })
            expect(out[0]!.equals(out[1]!), `${m}×${n}×${k} at 2 threads`).toBe(true)
            expect(out[0]!.equals(out[2]!), `${m}×${n}×${k} at 3 threads`).toBe(true)
          }
        }
        // Batches: attention's products, small (split by batch), and large ones in batches under 8
        // (split into blocks; at 3 threads they were split by batch at 2 and into blocks at 3).
        for (const [batch, m, n, k] of [
          [64, 128, 128, 32],
          [3, 128, 700, 32],
          [2, 700, 128, 300]
        ]) {
          const a = random(batch! * m! * k!)
          const b = random(batch! * k! * n!)
          const out = [1, 2, 3].map((threads) => {
            addon.setThreads(threads)
            const c = new Float32Array(batch! * m! * n!)
            addon.matmul(a, b, c, batch!, m!, n!, k!, 0, 0)
            return Buffer.from(c.buffer)
          })
          expect(out[0]!.equals(out[1]!), `${batch} × ${m}×${n}×${k} at 2 threads`).toBe(true)
          expect(out[0]!.equals(out[2]!), `${batch} × ${m}×${n}×${k} at 3 threads`).toBe(true)
        }
      } finally {
        addon.setThreads(before)
      }
    }
  )

  it.skipIf(!available)(
    'the row-wise kernels (GELU, LayerNorm and its gradient, softmaxes) split over threads and give the same bits',
    () => {
      const addon = loadAddon().addon!
      const before = addon.getThreads()
      let seed = 11
      const random = (n: number, scale = 1): Float32Array =>
        Float32Array.from({ length: n }, () => {
          seed = (seed * 1103515245 + 12345) % 2147483648
          return (seed / 2147483648 - 0.5) * scale
        })
      // Large enough to be split (≥ 65,536 floats per part), with ragged part boundaries.
      const rows = 1031
      const k = 257
      const x = random(rows * k, 8)
      const dy = random(rows * k)
      const g = random(k)
      const b = random(k)
      const mask = random(rows * k, 4)
      const run = (threads: number): Float32Array[] => {
        addon.setThreads(threads)
        const out = (): Float32Array => new Float32Array(rows * k)
        const results = [out(), out(), out(), out(), out(), out(), out()]
        const [y0, y1, y2, y3, y4, y5, y6] = results as [
          Float32Array,
          Float32Array,
          Float32Array,
          Float32Array,
          Float32Array,
          Float32Array,
          Float32Array
        ]
        addon.gelu!(x, y0)
        addon.gelu!(x, y1, dy)
        addon.layerNorm!(x, g, b, y2, 1e-5)
        addon.attnSoftmax!(x, mask, y3, 1, k, 0.3) // one row per block: the blocks are split
        addon.attnSoftmaxGrad!(y3, dy, y4, k, 0.3)
        addon.logSoftmax!(x, y5, k)
        addon.logSoftmax!(y5, dy, y6, k)
        // LayerNorm's gradient: dx split by rows, dg and db by columns (each summed in row order).
        const dx = out()
        const dg = new Float32Array(k)
        const db = new Float32Array(k)
        addon.layerNormGrad!(x, g, dy, dx, dg, db, 1e-5)
        results.push(dx, dg, db)
        return results
      }
      try {
        const one = run(1)
        const two = run(2)
        one.forEach((a, i) =>
          expect(Buffer.from(a.buffer).equals(Buffer.from(two[i]!.buffer)), `output ${i}`).toBe(
            true
          )
        )
      } finally {
        addon.setThreads(before)
      }
    }
  )
})
