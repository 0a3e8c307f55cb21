// The machine's sgemm peak through the native addon (the same BLAS the kernels call), the
// reference against which `himac bench` states model FLOP utilisation.
import os from 'node:os'
import { loadAddon } from './addon'

export type SgemmPeak = {
  gflops: number
  size: number
  threads: number
  blas: string
  /** Repetitions timed (the best one gives the figure). */
  repeats: number
}

/** The peak's GFLOP/s, or null when it could not be measured. */
export function peakGflops(peak: SgemmPeak | { unavailable: string }): number | null {
  return 'gflops' in peak ? peak.gflops : null
}

/** Best GFLOP/s of a square n×n×n sgemm on `threads` BLAS threads, or the reason it cannot run. */
export function measureSgemmPeak(
  options: { size?: number; threads?: number; minMs?: number } = {}
): SgemmPeak | { unavailable: string } {
  const load = loadAddon()
  if (!load.addon) return { unavailable: load.reason }
  const { addon } = load
  const n = options.size ?? 1024
  const threads = options.threads ?? os.availableParallelism()
  const minMs = options.minMs ?? 1000
  const before = addon.getThreads()
  addon.setThreads(threads)
  try {
    const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5)
    const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5)
    const c = new Float32Array(n * n)
    addon.matmul(a, b, c, 1, n, n, n, 0, 0)
    let best = Infinity
    let repeats = 0
    const t0 = performance.now()
    while (repeats < 3 || performance.now() - t0 < minMs) {
      const s = performance.now()
      addon.matmul(a, b, c, 1, n, n, n, 0, 0)
      best = Math.min(best, performance.now() - s)
      repeats++
    }
    return {
      gflops: +((2 * n ** 3) / best / 1e6).toFixed(1),
      size: n,
      threads,
      blas: addon.blasInfo(),
      repeats
    }
  } finally {
    addon.setThreads(before)
  }
}
