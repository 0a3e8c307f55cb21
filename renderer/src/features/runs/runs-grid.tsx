// The runs table body: a virtualised grid of group headers and runs, sortable headers, removable
// chosen columns and a checkbox per run (and per group).
import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef } from 'react'
import type React from 'react'
import { StatusBadge } from '../../components/status-badge'
import { formatNumber } from '../../format'
import { href } from '../../router'
import { cellValue, columnLabel, FIXED_COLUMNS, type SortSpec } from './model/columns'
import { cellText } from './model/config-keys'
import type { DisplayItem, GroupItem } from './model/grouping'

const ROW_HEIGHT = 30
export const colId = (id: string): string => id.replace(/[^a-z0-9_]+/gi, '-')
const fmt = (n: number): string => formatNumber(n)

/** The grid's narrowest width: below it the table scrolls sideways inside its box. */
export const gridMinWidth = (columns: number): number => 32 + 56 + 160 + 96 + 84 + 96 * columns + 16

/** Checkbox, id, name, status, progress, then the chosen columns. */
export function gridTemplate(columns: number): string {
  return `32px 56px minmax(160px, 1.6fr) 96px 84px${' minmax(96px, 1fr)'.repeat(columns)}`
}

type Props = {
  items: DisplayItem[]
  columns: string[]
  sort: SortSpec | null
  selected: ReadonlySet<number>
  onSort: (column: string) => void
  onRemoveColumn: (column: string) => void
  onSelect: (runIds: number[], on: boolean) => void
  onToggleGroup: (path: string) => void
}

function Header({
  columns,
  sort,
  onSort,
  onRemoveColumn
}: Pick<Props, 'columns' | 'sort' | 'onSort' | 'onRemoveColumn'>): React.JSX.Element {
  const arrow = (c: string): string => (sort?.column === c ? (sort.desc ? ' ▼' : ' ▲') : '')
  const fixed = FIXED_COLUMNS.map((c) => (
    <button
      key={c}
      className={c === 'id' || c === 'progress' ? 'rt-head num' : 'rt-head'}
      role="columnheader"
      data-testid={`col-header-${c}`}
      onClick={() => onSort(c)}
    >
      {c === 'id' ? '#' : c}
      {arrow(c)}
    </button>
  ))
  return (
    <div
      className="rt-row rt-header"
      role="row"
      style={{
        gridTemplateColumns: gridTemplate(columns.length),
        minWidth: gridMinWidth(columns.length)
      }}
    >
      <span />
      {fixed}
      {columns.map((c) => (
        <span key={c} className="rt-head rt-chosen" role="columnheader" title={c}>
          <button
            className="rt-sort"
            data-testid={`col-header-${colId(c)}`}
            data-sort={sort?.column === c ? (sort.desc ? 'desc' : 'asc') : ''}
            onClick={() => onSort(c)}
          >
            <span className="rt-kind">{c.startsWith('metric:') ? 'm' : 'c'}</span>
            {columnLabel(c)}
            {arrow(c)}
          </button>
          <button
            className="rt-remove"
            aria-label={`remove column ${c}`}
            data-testid={`remove-col-${colId(c)}`}
            onClick={() => onRemoveColumn(c)}
          >
            ×
          </button>
        </span>
      ))}
    </div>
  )
}

function GroupRow({
  g,
  columns,
  selected,
  onSelect,
  onToggleGroup
}: { g: GroupItem } & Pick<
  Props,
  'columns' | 'selected' | 'onSelect' | 'onToggleGroup'
>): React.JSX.Element {
  const all = g.runIds.every((id) => selected.has(id))
  return (
    <>
      <span>
        <input
          type="checkbox"
          checked={all}
          aria-label={`select the ${g.count} runs of ${g.key} = ${String(g.value)}`}
          data-testid="group-select"
          onChange={(e) => onSelect(g.runIds, e.target.checked)}
        />
      </span>
      <button
        className="rt-group-label"
        style={{ paddingLeft: 4 + g.depth * 16 }}
        data-testid="group-toggle"
        aria-expanded={!g.collapsed}
        onClick={() => onToggleGroup(g.path)}
      >
        {g.collapsed ? '▸' : '▾'} <span className="mono">{g.key}</span> ={' '}
        <strong className="mono">{cellText(g.value, fmt)}</strong>{' '}
        <span className="muted">
          · {g.count} run{g.count === 1 ? '' : 's'}
        </span>
      </button>
      <span />
      <span />
      {columns.map((c) => {
        const m = g.means[c]
        return (
          <span key={c} className="num rt-mean" title={`mean of ${c} over the group`}>
            {m === null || m === undefined ? '' : `μ ${fmt(m)}`}
          </span>
        )
      })}
    </>
  )
}

export function RunsGrid(props: Props): React.JSX.Element {
  const { items, columns, selected, onSelect } = props
  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  })
  const template = gridTemplate(columns.length)
  return (
    <div className="rt" role="table" data-testid="runs-table" data-rows={items.length}>
      <div className="rt-scroll" ref={scroller}>
        <Header {...props} />
        <div
          style={{
            height: virtualizer.getTotalSize(),
            position: 'relative',
            minWidth: gridMinWidth(columns.length)
          }}
        >
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index]
            if (!item) return null
            const style = {
              transform: `translateY(${v.start}px)`,
              height: ROW_HEIGHT,
              gridTemplateColumns: template
            }
            if (item.kind === 'group') {
              return (
                <div
                  key={item.path}
                  role="row"
                  className="rt-row rt-group"
                  style={style}
                  data-testid="group-row"
                  data-path={item.path}
                  data-count={item.count}
                  data-depth={item.depth}
                >
                  <GroupRow g={item} {...props} />
                </div>
              )
            }
            const { run, experimentName } = item.row
            const on = selected.has(run.id)
            return (
              <div
                key={run.id}
                role="row"
                className={on ? 'rt-row selected' : 'rt-row'}
                style={style}
                data-testid={`run-row-${run.id}`}
                data-run-id={run.id}
              >
                <span>
                  <input
                    type="checkbox"
                    checked={on}
                    aria-label={`select run ${run.id}`}
                    data-testid={`select-run-${run.id}`}
                    onChange={(e) => onSelect([run.id], e.target.checked)}
                  />
                </span>
                <span className="num muted">{run.id}</span>
                <span
                  className="ellipsis"
                  title={experimentName}
                  style={{ paddingLeft: 6 + item.depth * 16 }}
                >
                  <a href={href.experiment(run.experimentId)}>{experimentName}</a>
                </span>
                <span>
                  <StatusBadge status={run.status} testId={`run-status-${run.id}`} />
                </span>
                <span
                  className="num muted"
                  title={`${run.iterationsDone} / ${run.iterations} iterations`}
                >
                  {run.iterationsDone}/{run.iterations}
                </span>
                {columns.map((c) => {
                  const v = cellValue(item.row, c)
                  const text = cellText(v, fmt)
                  return (
                    <span
                      key={c}
                      className={typeof v === 'number' ? 'num mono' : 'ellipsis'}
                      title={`${c}: ${v === null ? '—' : String(v)}`}
                      data-testid={`cell-${run.id}-${colId(c)}`}
                    >
                      {text}
                    </span>
                  )
                })}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
