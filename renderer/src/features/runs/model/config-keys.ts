// A run's config as flat `a.b.c` keys (the runs table's columns, the compare view's diff).

export type Cell = string | number | boolean | null

/**
 * Nested objects become dotted keys (`policy.hidden`, `envConfig.size`); arrays and other
 * non-scalars become one JSON text value, so `[128,128]` compares and groups as a whole.
 */
export function flattenConfig(config: object, prefix = ''): Record<string, Cell> {
  const out: Record<string, Cell> = {}
  for (const [k, v] of Object.entries(config)) {
    const key = prefix === '' ? k : `${prefix}.${k}`
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      Object.assign(out, flattenConfig(v as object, key))
    } else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
      out[key] = v
    } else {
      out[key] = v === undefined || v === null ? null : JSON.stringify(v)
    }
  }
  return out
}

/** Every key any of the configs has, sorted. */
export function allKeys(flat: Record<string, Cell>[]): string[] {
  const keys = new Set<string>()
  for (const f of flat) for (const k of Object.keys(f)) keys.add(k)
  return [...keys].sort()
}

/** A cell as text: numbers through `formatNumber`, the rest as is, missing as an em dash. */
export function cellText(v: Cell | undefined, formatNumber: (n: number) => string): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'number') return formatNumber(v)
  return String(v)
}

/** A stable text key for grouping and diffing (1 and '1' stay apart). */
export const cellKey = (v: Cell | undefined): string =>
  v === undefined || v === null ? '∅' : `${typeof v}:${String(v)}`
