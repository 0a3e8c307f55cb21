// The runs table's filter: clauses joined by `,` (or `&&`, or the word `and`), all must hold.
//   `eval/success_rate > 0.5`   a comparison (> >= < <= = != ) on any metric or config key
//   `learningRate = 0.01`       numbers compare as numbers
//   `algo = grpo`, `status != failed`   text compares whole, case-insensitive
//   `name ~ smoke`              contains (case-insensitive)
//   `sokoban`                   any other clause: text found in the name, env, algo or status
// A run without the named key does not match a comparison.
import type { Cell } from './config-keys'
import { keyValue, type TableRow } from './columns'

export type Op = '>' | '>=' | '<' | '<=' | '=' | '!=' | '~'
export type Clause =
  { kind: 'compare'; key: string; op: Op; value: number | string } | { kind: 'text'; text: string }
export type ParsedFilter = { clauses: Clause[]; errors: string[] }

const COMPARISON = /^([A-Za-z_][\w.:/-]*)\s*(>=|<=|!=|==|=|>|<|~)\s*(.*)$/
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i

export function parseFilter(text: string): ParsedFilter {
  const clauses: Clause[] = []
  const errors: string[] = []
  for (const raw of text.split(/\s*(?:,|&&|\band\b)\s*/i)) {
    const part = raw.trim()
    if (part === '') continue
    const m = COMPARISON.exec(part)
    if (!m) {
      clauses.push({ kind: 'text', text: part.toLowerCase() })
      continue
    }
    const [, key = '', rawOp = '', rawValue = ''] = m
    const op = (rawOp === '==' ? '=' : rawOp) as Op
    const value = rawValue.trim().replace(/^(["'])(.*)\1$/, '$2')
    if (value === '') {
      errors.push(`"${part}": a value is missing after ${op}`)
      continue
    }
    const numeric = NUMBER.test(value)
    if (['>', '>=', '<', '<='].includes(op) && !numeric) {
      errors.push(`"${part}": ${op} needs a number`)
      continue
    }
    clauses.push({ kind: 'compare', key, op, value: numeric && op !== '~' ? Number(value) : value })
  }
  return { clauses, errors }
}

function compare(cell: Cell | undefined, op: Op, value: number | string): boolean {
  if (cell === undefined || cell === null) return false
  if (op === '~') return String(cell).toLowerCase().includes(String(value).toLowerCase())
  if (typeof value === 'number') {
    const n = typeof cell === 'number' ? cell : typeof cell === 'boolean' ? Number(cell) : NaN
    if (Number.isNaN(n)) return op === '!='
    switch (op) {
      case '>':
        return n > value
      case '>=':
        return n >= value
      case '<':
        return n < value
      case '<=':
        return n <= value
      case '=':
        return n === value
      case '!=':
        return n !== value
    }
  }
  const same = String(cell).toLowerCase() === String(value).toLowerCase()
  return op === '!=' ? !same : op === '=' ? same : false
}

export function matches(row: TableRow, filter: ParsedFilter): boolean {
  return filter.clauses.every((c) => {
    if (c.kind === 'compare') return compare(keyValue(row, c.key), c.op, c.value)
    const hay = [row.experimentName, row.run.config.env, row.run.config.algo, row.run.status]
    return hay.some((h) => h.toLowerCase().includes(c.text))
  })
}
