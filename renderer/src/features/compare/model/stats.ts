// Smoothing and confidence intervals for the compare chart.

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

/** Two-sided 95 % quantiles of Student's t, t_{0.975}(df), for df = 1…30. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042
]

/** t_{0.975}(df); above 30 degrees of freedom the Cornish–Fisher expansion around z = 1.96. */
export function tCritical975(df: number): number {
  if (!(df >= 1)) return Number.NaN
  const exact = T975[Math.floor(df) - 1]
  if (exact !== undefined) return exact
  const z = 1.959964
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
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
