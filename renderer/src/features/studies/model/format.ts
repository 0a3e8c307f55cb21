// How the study pages write numbers: rates as percentages with their 95 % CI half-width.
import type { CiValue } from '../../../../../core/api/entities'

/** "41.2 ± 5.1" (percent), "41.2 (n=1)", or "—". */
export function ciPercent(ci: CiValue | undefined): string {
  if (!ci || ci.mean === null) return '—'
  const m = (ci.mean * 100).toFixed(1)
  return ci.half === null ? `${m} (n=1)` : `${m} ± ${(ci.half * 100).toFixed(1)}`
}

/** A plain value with its CI: "12.3 ± 4.5". */
export function ciPlain(ci: CiValue | undefined, digits = 1): string {
  if (!ci || ci.mean === null) return '—'
  const m = ci.mean.toFixed(digits)
  return ci.half === null ? `${m} (n=1)` : `${m} ± ${ci.half.toFixed(digits)}`
}

/** A paper cell: "77.6 ± 5.2", "92.1" or "n/r" (not reported). */
export function paperCell(v: number | null, pm: number | null): string {
  if (v === null) return 'n/r'
  return pm === null ? v.toFixed(1) : `${v.toFixed(1)} ± ${pm.toFixed(1)}`
}

export { methodColor as colorOf } from '../../../../../core/api/entities'
