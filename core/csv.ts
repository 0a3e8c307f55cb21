// CSV text (RFC 4180): fields with a comma, quote, CR or LF are quoted, quotes doubled; rows end
// with CRLF. Pure, so the renderer (downloads) and the CLI (exports) write the same files.
export type CsvCell = string | number | boolean | null | undefined

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  let out = csvRow(header)
  for (const r of rows) out += csvRow(r)
  return out
}
