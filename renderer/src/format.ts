// Number, time and duration formatting for every view; numbers follow the app-wide rule.
export { formatNumber } from '../../core/api/contract'

export function fmtTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString()
}

export function fmtSeconds(seconds: number): string {
  const s = Math.max(0, seconds)
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m} min ${Math.floor(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`
}

/** From start to end, or to `now` while the run has not ended. */
export function fmtDuration(startIso: string | null, endIso: string | null, now: number): string {
  if (!startIso) return '—'
  const end = endIso ? Date.parse(endIso) : now
  return fmtSeconds((end - Date.parse(startIso)) / 1000)
}
