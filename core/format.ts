// How numbers are shown everywhere (renderer tables and charts, CLI output): one rule.
// Float noise near zero prints as 0, magnitudes beyond the significant digits round to grouped
// integers, the rest keep `significant` digits with trailing zeros dropped.

/** Below this magnitude a value is rounding noise (e.g. a mean of advantages, -1.39e-16). */
const NOISE = 1e-9
/** Outside [SMALL, LARGE) plain decimals get unreadable: exponent notation instead. */
const SMALL = 1e-4
const LARGE = 1e15

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

function trimExponent(text: string): string {
  // 1.50e-5 -> 1.5e-5, 2.00e+16 -> 2e+16
  return text.replace(/\.?0+e/, 'e')
}

export function formatNumber(value: number | null | undefined, significant = 3): string {
  if (value === null || value === undefined) return '—'
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞'
  const abs = Math.abs(value)
  if (abs < NOISE) return '0'
  if (abs < SMALL || abs >= LARGE) return trimExponent(value.toExponential(significant - 1))
  const rounded = Number(value.toPrecision(significant))
  if (Number.isInteger(rounded) || abs >= 10 ** significant) return grouped.format(value)
  return String(rounded)
}
