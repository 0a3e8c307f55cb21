// Grouping the (filtered, sorted) runs by config keys into nested, collapsible groups, flattened
// to the list of header and run items the virtualised table draws.
import { cellKey, type Cell } from './config-keys'
import { cellValue, compareCells, type TableRow } from './columns'

export type GroupItem = {
  kind: 'group'
  /** Unique among the groups: the values of every level down to this one. */
  path: string
  depth: number
  key: string
  value: Cell
  count: number
  runIds: number[]
  /** Mean of each column's numeric values in the group (null where none are numbers). */
  means: Record<string, number | null>
  collapsed: boolean
}
export type RowItem = { kind: 'row'; depth: number; row: TableRow }
export type DisplayItem = GroupItem | RowItem

export function columnMeans(rows: TableRow[], columns: string[]): Record<string, number | null> {
  const means: Record<string, number | null> = {}
  for (const col of columns) {
    let sum = 0
    let n = 0
    for (const r of rows) {
      const v = cellValue(r, col)
      if (typeof v === 'number' && Number.isFinite(v)) {
        sum += v
        n++
      }
    }
    means[col] = n > 0 ? sum / n : null
  }
  return means
}

/**
 * Groups keep their members in the given order and are ordered by their value; a collapsed group
 * keeps its header (count, means) and hides what is inside.
 */
export function buildDisplay(
  rows: TableRow[],
  groupKeys: string[],
  columns: string[],
  collapsed: ReadonlySet<string>,
  depth = 0,
  parent = ''
): DisplayItem[] {
  const [key, ...rest] = groupKeys
  if (key === undefined) return rows.map((row) => ({ kind: 'row', depth, row }))
  const groups = new Map<string, { value: Cell; rows: TableRow[] }>()
  for (const row of rows) {
    const value = row.flat[key] ?? null
    const k = cellKey(value)
    const g = groups.get(k)
    if (g) g.rows.push(row)
    else groups.set(k, { value, rows: [row] })
  }
  const ordered = [...groups.entries()].sort((a, b) => compareCells(a[1].value, b[1].value))
  const out: DisplayItem[] = []
  for (const [k, g] of ordered) {
    const path = `${parent}/${key}=${k}`
    const isCollapsed = collapsed.has(path)
    out.push({
      kind: 'group',
      path,
      depth,
      key,
      value: g.value,
      count: g.rows.length,
      runIds: g.rows.map((r) => r.run.id),
      means: columnMeans(g.rows, columns),
      collapsed: isCollapsed
    })
    if (!isCollapsed) out.push(...buildDisplay(g.rows, rest, columns, collapsed, depth + 1, path))
  }
  return out
}
