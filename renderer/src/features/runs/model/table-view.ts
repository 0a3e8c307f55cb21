// The runs table's view as URL query text (#/runs?cols=…&sort=…&filter=…&group=…&sel=…), so a
// link restores the columns, sort, filter, grouping and selection.
import { DEFAULT_COLUMNS, type SortSpec } from './columns'

export type TableView = {
  columns: string[]
  sort: SortSpec | null
  filter: string
  /** Config keys, outermost group first. */
  group: string[]
  selected: number[]
}

const list = (s: string | null): string[] =>
  s === null ? [] : s.split(',').filter((x) => x !== '')

export const idList = (s: string | null): number[] => [
  ...new Set(
    list(s)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0)
  )
]

export function parseTableView(query: string): TableView {
  const q = new URLSearchParams(query)
  const cols = q.get('cols')
  const sort = q.get('sort')
  return {
    columns: cols === null ? [...DEFAULT_COLUMNS] : list(cols),
    sort:
      sort === null || sort === '' || sort === '-'
        ? null
        : sort.startsWith('-')
          ? { column: sort.slice(1), desc: true }
          : { column: sort, desc: false },
    filter: q.get('filter') ?? '',
    group: list(q.get('group')),
    selected: idList(q.get('sel'))
  }
}

/** Only what differs from the default view is written. */
export function tableViewQuery(view: TableView): string {
  const q = new URLSearchParams()
  if (view.columns.join(',') !== DEFAULT_COLUMNS.join(',')) q.set('cols', view.columns.join(','))
  if (view.sort) q.set('sort', `${view.sort.desc ? '-' : ''}${view.sort.column}`)
  if (view.filter !== '') q.set('filter', view.filter)
  if (view.group.length > 0) q.set('group', view.group.join(','))
  if (view.selected.length > 0) q.set('sel', view.selected.join(','))
  return q.toString()
}
