// Python-compatible number formatting used in page text (str(float)).

/** Python's repr of a float: 100 -> "100.0", 12.99 -> "12.99". */
export function pyFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`
  const s = String(x)
  // JS writes 1e21 / 1e-7 where Python writes 1e+21 / 1e-07; such prices do not occur.
  return s
}

/** JSON the way Python's json.dumps writes it (", " and ": " separators). */
export function pyJson(obj: Record<string, string>): string {
  const parts = Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
  return `{${parts.join(', ')}}`
}
