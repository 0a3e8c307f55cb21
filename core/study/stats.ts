// Confidence intervals over seeds: Student-t 95 % (two-sided), mean ± t_{0.975}(n−1)·s/√n.
import { tCritical975 } from '../stats'

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
