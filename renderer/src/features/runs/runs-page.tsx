// The runs table across experiments (#/runs?…): chosen config and metric columns, sort, a filter,
// nested groups by config keys, live status, and a selection to compare. The view is the URL.
import { useMemo, useState } from 'react'
import type React from 'react'
import { ErrorMessage } from '../../components/error-message'
import { href, navigate, replaceRoute } from '../../router'
import { exportUrl } from '../../api/export-links'
import { ExportLink } from '../../components/export-link'
import { useImportJsonl } from './import-jsonl'
import { compareViewQuery, DEFAULT_METRIC } from '../compare/model/compare-view'
import { useRunTable } from './hooks'
import { availableKeys, configColumn, metricColumn, sortRows, type TableRow } from './model/columns'
import { matches, parseFilter } from './model/filter'
import { buildDisplay } from './model/grouping'
import { parseTableView, tableViewQuery, type TableView } from './model/table-view'
import { colId, RunsGrid } from './runs-grid'
import './runs.css'

const NO_ROWS: TableRow[] = []

function FilterHelp(): React.JSX.Element {
  return (
    <details className="rt-help">
      <summary>Filter syntax</summary>
      <ul>
        <li>
          <code>eval/success_rate &gt; 0.5</code> — compare any metric or config key (
          <code>&gt; &gt;= &lt; &lt;= = !=</code>)
        </li>
        <li>
          <code>algo = grpo</code>, <code>status != failed</code> — whole text, any case;{' '}
          <code>name ~ smoke</code> — contains
        </li>
        <li>
          <code>sokoban</code> — found in the name, env, algo or status
        </li>
        <li>
          Join clauses with <code>,</code> or <code>and</code>: all must hold.
        </li>
      </ul>
    </details>
  )
}

export function RunsPage({ query }: { query: string }): React.JSX.Element {
  const view = useMemo(() => parseTableView(query), [query])
  const setView = (next: Partial<TableView>): void =>
    replaceRoute(href.runs(tableViewQuery({ ...view, ...next })))
  const table = useRunTable()
  const importer = useImportJsonl()
  const rows = table.data ?? NO_ROWS
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set())
  const keys = useMemo(() => availableKeys(rows), [rows])
  const filter = useMemo(() => parseFilter(view.filter), [view.filter])
  const shown = useMemo(() => rows.filter((r) => matches(r, filter)), [rows, filter])
  const sorted = useMemo(() => sortRows(shown, view.sort), [shown, view.sort])
  const items = useMemo(
    () => buildDisplay(sorted, view.group, view.columns, collapsed),
    [sorted, view.group, view.columns, collapsed]
  )
  const selected = useMemo(() => new Set(view.selected), [view.selected])
  const chosen = new Set(view.columns)

  const sortBy = (column: string): void => {
    const s = view.sort
    setView({
      sort: s?.column !== column ? { column, desc: false } : s.desc ? null : { column, desc: true }
    })
  }
  const select = (runIds: number[], on: boolean): void => {
    const next = new Set(selected)
    for (const id of runIds) {
      if (on) next.add(id)
      else next.delete(id)
    }
    setView({ selected: [...next] })
  }
  const compare = (): void =>
    navigate(
      href.compare(
        compareViewQuery({
          runs: view.selected,
          metric: DEFAULT_METRIC,
          smoothing: 0,
          x: 'iteration',
          group: [],
          diffOnly: false
        })
      )
    )

  return (
    <div className="page runs-page" data-testid="runs-page">
      <header className="pane-header">
        <h2>Runs</h2>
        <span
          className="muted small"
          data-testid="runs-count"
          data-shown={shown.length}
          data-total={rows.length}
        >
          {table.loading && !table.data
            ? 'loading…'
            : shown.length === rows.length
              ? `${rows.length} runs`
              : `${shown.length} of ${rows.length} runs`}
        </span>
        <span className="spacer" />
        {importer.button}
        <ExportLink
          testId="export-runs-csv"
          href={exportUrl.runs(shown.length === rows.length ? null : shown.map((r) => r.run.id))}
          title="The runs the filter shows, as CSV: run fields, experiment, config and each metric's last value"
        >
          Export CSV
        </ExportLink>
        <span
          className="muted small"
          data-testid="selected-count"
          data-count={view.selected.length}
        >
          {view.selected.length} selected
        </span>
        {view.selected.length > 0 ? (
          <button className="button small" onClick={() => setView({ selected: [] })}>
            Clear
          </button>
        ) : null}
        <button
          className="button small primary"
          data-testid="compare-selected"
          disabled={view.selected.length === 0}
          onClick={compare}
        >
          Compare {view.selected.length > 0 ? view.selected.length : ''}
        </button>
      </header>
      <ErrorMessage error={table.error} />
      {importer.panel}
      <div className="toolbar rt-toolbar">
        <label className="rt-filter">
          Filter{' '}
          <input
            type="search"
            data-testid="runs-filter"
            placeholder="e.g. eval/success_rate > 0.5, grpo"
            defaultValue={view.filter}
            onChange={(e) => setView({ filter: e.target.value })}
          />
        </label>
        <label>
          Column{' '}
          <select
            data-testid="add-column"
            value=""
            onChange={(e) => {
              if (e.target.value !== '') setView({ columns: [...view.columns, e.target.value] })
            }}
          >
            <option value="">add…</option>
            <optgroup label="Last metric value">
              {keys.metrics
                .map(metricColumn)
                .filter((c) => !chosen.has(c))
                .map((c) => (
                  <option key={c} value={c}>
                    {c.slice(7)}
                  </option>
                ))}
            </optgroup>
            <optgroup label="Config">
              {keys.config
                .map(configColumn)
                .filter((c) => !chosen.has(c))
                .map((c) => (
                  <option key={c} value={c}>
                    {c.slice(7)}
                  </option>
                ))}
            </optgroup>
          </select>
        </label>
        <label>
          Group by{' '}
          <select
            data-testid="add-group"
            value=""
            onChange={(e) => {
              if (e.target.value !== '') setView({ group: [...view.group, e.target.value] })
            }}
          >
            <option value="">config key…</option>
            {keys.config
              .filter((k) => !view.group.includes(k))
              .map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
          </select>
        </label>
        {view.group.map((k) => (
          <span key={k} className="chip on">
            {k}
            <button
              className="rt-remove"
              aria-label={`stop grouping by ${k}`}
              data-testid={`group-chip-${colId(k)}`}
              onClick={() => setView({ group: view.group.filter((g) => g !== k) })}
            >
              ×
            </button>
          </span>
        ))}
      </div>
      <FilterHelp />
      {filter.errors.length > 0 ? (
        <div className="error" data-testid="filter-errors">
          {filter.errors.join('; ')}
        </div>
      ) : null}
      {table.data && rows.length === 0 ? (
        <p className="muted pad" data-testid="runs-empty">
          No runs yet. Start one from an <a href={href.experiments()}>experiment</a>.
        </p>
      ) : (
        <RunsGrid
          items={items}
          columns={view.columns}
          sort={view.sort}
          selected={selected}
          onSort={sortBy}
          onRemoveColumn={(c) => setView({ columns: view.columns.filter((x) => x !== c) })}
          onSelect={select}
          onToggleGroup={(path) =>
            setCollapsed((s) => {
              const next = new Set(s)
              if (!next.delete(path)) next.add(path)
              return next
            })
          }
        />
      )}
      {table.data && rows.length > 0 && shown.length === 0 ? (
        <p className="muted pad" data-testid="runs-none-match">
          No runs match the filter.
        </p>
      ) : null}
    </div>
  )
}
