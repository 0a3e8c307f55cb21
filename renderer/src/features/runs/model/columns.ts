// The runs table's columns: a few fixed ones, then any config key (`config:<key>`) or last metric
// value (`metric:<key>`) the user picks. Cells, sorting and the keys a filter or group may name.
import { effectiveConfig } from '../../../../../core/api/config'
import type { RunTableRow } from '../../../../../core/api/entities'
import { allKeys, flattenConfig, type Cell } from './config-keys'

/** A row as the table reads it: the served row plus its flattened effective config. */
export type TableRow = RunTableRow & { flat: Record<string, Cell> }

export const toTableRow = (row: RunTableRow): TableRow => ({
  ...row,
  flat: flattenConfig(effectiveConfig(row.run.config))
})

export const FIXED_COLUMNS = ['id', 'name', 'status', 'progress'] as const
export type FixedColumn = (typeof FIXED_COLUMNS)[number]
export const DEFAULT_COLUMNS = [
  'config:env',
  'config:algo',
  'config:learningRate',
  'config:seed',
  'metric:train/success_rate',
  'metric:eval/success_rate'
]

export const configColumn = (key: string): string => `config:${key}`
export const metricColumn = (key: string): string => `metric:${key}`

export type ColumnRef =
  | { kind: 'fixed'; name: FixedColumn }
  | { kind: 'config'; key: string }
  | { kind: 'metric'; key: string }

export function parseColumn(id: string): ColumnRef | null {
  if ((FIXED_COLUMNS as readonly string[]).includes(id))
    return { kind: 'fixed', name: id as FixedColumn }
  if (id.startsWith('config:') && id.length > 7) return { kind: 'config', key: id.slice(7) }
  if (id.startsWith('metric:') && id.length > 7) return { kind: 'metric', key: id.slice(7) }
  return null
}

/** The header text: the key itself (a fixed column's name). */
export function columnLabel(id: string): string {
  const ref = parseColumn(id)
  if (!ref) return id
  return ref.kind === 'fixed' ? ref.name : ref.key
}

function fixedValue(row: TableRow, name: FixedColumn): Cell {
  switch (name) {
    case 'id':
      return row.run.id
    case 'name':
      return row.experimentName
    case 'status':
      return row.run.status
    case 'progress':
      return row.run.iterations > 0 ? row.run.iterationsDone / row.run.iterations : 0
  }
}

export function cellValue(row: TableRow, id: string): Cell {
  const ref = parseColumn(id)
  if (!ref) return null
  if (ref.kind === 'fixed') return fixedValue(row, ref.name)
  if (ref.kind === 'config') return row.flat[ref.key] ?? null
  return row.lastMetrics[ref.key] ?? null
}

/**
 * A key as a filter names it: a fixed column (`id`, `name`, `status`), `experiment` (= name), a
 * metric key (`eval/success_rate`) or a config key (`learningRate`, `policy.hidden`); an explicit
 * `config:` / `metric:` prefix also works.
 */
export function keyValue(row: TableRow, key: string): Cell | undefined {
  if (key === 'experiment') return row.experimentName
  const ref = parseColumn(key)
  if (ref) return cellValue(row, key)
  if (key in row.lastMetrics) return row.lastMetrics[key]
  if (key in row.flat) return row.flat[key]
  return undefined
}

/** Nulls last; numbers before text; numbers by value, text by locale, false before true. */
export function compareCells(a: Cell | undefined, b: Cell | undefined): number {
  const an = a === null || a === undefined
  const bn = b === null || b === undefined
  if (an || bn) return an === bn ? 0 : an ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'number') return -1
  if (typeof b === 'number') return 1
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  return String(a).localeCompare(String(b), undefined, { numeric: true })
}

export type SortSpec = { column: string; desc: boolean }

/** A stable sort; nulls stay last in both directions. */
export function sortRows(rows: TableRow[], sort: SortSpec | null): TableRow[] {
  if (!sort) return rows
  const keyed = rows.map((row, i) => ({ row, i, v: cellValue(row, sort.column) }))
  keyed.sort((a, b) => {
    const nullA = a.v === null
    const nullB = b.v === null
    if (nullA || nullB) return nullA === nullB ? a.i - b.i : nullA ? 1 : -1
    const c = compareCells(a.v, b.v)
    return (sort.desc ? -c : c) || a.i - b.i
  })
  return keyed.map((k) => k.row)
}

/** The config keys and metric keys present in any row, for the column and group pickers. */
export function availableKeys(rows: TableRow[]): { config: string[]; metrics: string[] } {
  return {
    config: allKeys(rows.map((r) => r.flat)),
    metrics: allKeys(rows.map((r) => r.lastMetrics))
  }
}
