// Confidence intervals over seeds: Student-t 95 % (two-sided), mean ± t_{0.975}(n−1)·s/√n.

/** t_{0.975}(df) for df = 1…30 (standard tables, 3 decimals). */
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

/**
 * A mean with its 95 % interval over n values. `half` is the half-width (null when n < 2: one value
 * has no interval); null mean when there is no value. JSON-safe: no NaN.
 */
export type Ci = { n: number; mean: number | null; half: number | null; sd: number | null }

export function meanCi(values: readonly (number | null | undefined)[]): Ci {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  const n = xs.length
  if (n === 0) return { n, mean: null, half: null, sd: null }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { n, mean, half: null, sd: null }
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1))
  return { n, mean, half: tCritical975(n - 1) * (sd / Math.sqrt(n)), sd }
}

/** "0.412 ± 0.051" (scale 1) or "41.2 ± 5.1" (scale 100); "—" for no value. */
export function formatCi(ci: Ci, scale = 1, digits = scale === 1 ? 3 : 1): string {
  if (ci.mean === null) return '—'
  const m = (ci.mean * scale).toFixed(digits)
  return ci.half === null ? `${m} (n=1)` : `${m} ± ${(ci.half * scale).toFixed(digits)}`
}
