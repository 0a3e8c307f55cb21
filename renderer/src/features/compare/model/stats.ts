// Smoothing and confidence intervals for the compare chart.
import { tCritical975 } from '../../../../../core/stats'

/**
 * Exponential moving average with TensorBoard's / W&B's debiasing: s_i = w·s_{i-1} + (1-w)·v_i,
 * divided by 1 - w^(i+1) so the first points are not pulled toward zero. Weight 0 = the raw
 * values. Non-finite values pass through and do not enter the average.
 */
export function ema(values: number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999)
  if (w === 0) return [...values]
  let last = 0
  let n = 0
  return values.map((v) => {
    if (!Number.isFinite(v)) return v
    last = last * w + (1 - w) * v
    n++
    return last / (1 - w ** n)
  })
}

export type MeanCi = { n: number; mean: number; lo: number; hi: number }

/** Mean ± t_{0.975}(n-1)·s/√n; a single value has no interval (lo = hi = the value). */
export function meanCi(values: number[]): MeanCi {
  const xs = values.filter(Number.isFinite)
  const n = xs.length
  if (n === 0) return { n, mean: Number.NaN, lo: Number.NaN, hi: Number.NaN }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { n, mean, lo: mean, hi: mean }
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)
  const half = tCritical975(n - 1) * Math.sqrt(variance / n)
  return { n, mean, lo: mean - half, hi: mean + half }
}
