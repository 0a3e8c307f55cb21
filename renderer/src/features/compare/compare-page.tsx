// Compare runs (#/compare?runs=…): one metric overlaid across the chosen runs with EMA smoothing,
// x = iteration / wall time / env steps, optional groups by config keys as mean ± 95 % CI bands,
// and the runs' configs side by side. The view is the URL.
import { useMemo } from 'react'
import type React from 'react'
import type { MetricPoint } from '../../../../core/api/entities'
import { ErrorMessage } from '../../components/error-message'
import { formatNumber } from '../../format'
import { href, replaceRoute } from '../../router'
import { useRunTable } from '../runs/hooks'
import type { TableRow } from '../runs/model/columns'
import { cellText, type Cell } from '../runs/model/config-keys'
import { parseTableView, tableViewQuery } from '../runs/model/table-view'
import { colId } from '../runs/runs-grid'
import { CompareChart, type ChartLine } from './compare-chart'
import { ConfigDiffTable } from './config-diff-table'
import { useManyMetrics } from './hooks'
import { compareViewQuery, parseCompareView, type CompareView } from './model/compare-view'
import { configDiff, groupRuns } from './model/config-diff'
import { aggregate, runSeries, X_AXES, X_TITLES, type SeriesPoint } from './model/series'
import { ema } from './model/stats'
import '../runs/runs.css'
import './compare.css'

const PALETTE = [
  '#2563eb',
  '#d9480f',
  '#0f9d58',
  '#7c3aed',
  '#c2255c',
  '#0b7285',
  '#5c940d',
  '#e67700',
  '#495057',
  '#1098ad'
]
const color = (i: number): string => PALETTE[i % PALETTE.length] ?? '#2563eb'
const fmt = (v: Cell | undefined): string => cellText(v, (n) => formatNumber(n, 4))
const runLabel = (r: TableRow): string => `${r.experimentName} #${r.run.id}`

function smooth(series: SeriesPoint[], weight: number): SeriesPoint[] {
  const ys = ema(
    series.map((p) => p.y),
    weight
  )
  return series.map((p, i) => ({ ...p, y: ys[i] ?? p.y }))
}

function buildLines(
  rows: TableRow[],
  metrics: Map<number, MetricPoint[]>,
  view: CompareView
): ChartLine[] {
  const seriesOf = (r: TableRow): SeriesPoint[] =>
    runSeries(metrics.get(r.run.id) ?? [], view.metric, view.x, r.run.config)
  if (view.group.length === 0) {
    return rows.map((r, i) => {
      const raw = seriesOf(r)
      return {
        id: String(r.run.id),
        label: runLabel(r),
        color: color(i),
        raw,
        line: smooth(raw, view.smoothing),
        runs: 1
      }
    })
  }
  return groupRuns(rows, (r) => r.flat, view.group, fmt).map((g, i) => {
    const raws = g.members.map(seriesOf)
    const agg = aggregate(raws.map((s) => smooth(s, view.smoothing)))
    const line = agg.map((b) => ({ x: b.x, y: b.mean }))
    return {
      id: g.label,
      label: g.label,
      color: color(i),
      raw: aggregate(raws).map((b) => ({ x: b.x, y: b.mean })),
      line,
      ...(g.members.length > 1
        ? { band: agg.map((b) => ({ x: b.x, band: [b.lo, b.hi] as [number, number] })) }
        : {}),
      runs: g.members.length
    }
  })
}

export function ComparePage({ query }: { query: string }): React.JSX.Element {
  const view = useMemo(() => parseCompareView(query), [query])
  const setView = (next: Partial<CompareView>): void =>
    replaceRoute(href.compare(compareViewQuery({ ...view, ...next })))
  const table = useRunTable()
  const metrics = useManyMetrics(view.runs)
  const rows = useMemo(() => {
    const byId = new Map((table.data ?? []).map((r) => [r.run.id, r]))
    return view.runs.flatMap((id) => byId.get(id) ?? [])
  }, [table.data, view.runs])
  const metricKeys = useMemo(() => {
    const keys = new Set<string>()
    for (const points of metrics.data?.values() ?? [])
      for (const p of points) for (const k of Object.keys(p.values)) keys.add(k)
    return [...keys].sort()
  }, [metrics.data])
  const diff = useMemo(() => configDiff(rows.map((r) => r.flat)), [rows])
  const lines = useMemo(
    () => (metrics.data ? buildLines(rows, metrics.data, view) : []),
    [rows, metrics.data, view]
  )
  const back = href.runs(tableViewQuery({ ...parseTableView(''), selected: view.runs }))
  const differing = diff.filter((d) => d.differs).map((d) => d.key)
  const same = diff.filter((d) => !d.differs).map((d) => d.key)

  if (view.runs.length === 0) {
    return (
      <div className="page-message" data-testid="compare-empty">
        No runs chosen. Select runs in the <a href={href.runs()}>runs table</a> and press Compare.
      </div>
    )
  }
  return (
    <div className="page compare-page" data-testid="compare-page">
      <header className="pane-header">
        <h2>
          Compare <span className="muted">{view.runs.length} runs</span>
        </h2>
        <a href={back} data-testid="back-to-runs">
          ← runs table
        </a>
      </header>
      <ErrorMessage error={table.error ?? metrics.error} />
      <div className="toolbar compare-controls">
        <label>
          Metric{' '}
          <select
            data-testid="compare-metric"
            value={view.metric}
            onChange={(e) => setView({ metric: e.target.value })}
          >
            {metricKeys.includes(view.metric) ? null : (
              <option value={view.metric}>{view.metric}</option>
            )}
            {metricKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="smoothing">
          Smoothing{' '}
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={view.smoothing}
            data-testid="smoothing"
            onChange={(e) => setView({ smoothing: Number(e.target.value) })}
          />
          <span className="mono" data-testid="smoothing-value">
            {view.smoothing.toFixed(2)}
          </span>
        </label>
        <span className="segmented" role="group" aria-label="x axis">
          {X_AXES.map((x) => (
            <button
              key={x}
              className={view.x === x ? 'button small chosen' : 'button small'}
              data-testid={`x-axis-${x}`}
              aria-pressed={view.x === x}
              onClick={() => setView({ x })}
            >
              {X_TITLES[x]}
            </button>
          ))}
        </span>
        <label>
          Group by{' '}
          <select
            data-testid="compare-group-add"
            value=""
            onChange={(e) => {
              if (e.target.value !== '') setView({ group: [...view.group, e.target.value] })
            }}
          >
            <option value="">config key…</option>
            <optgroup label="Differ between these runs">
              {differing
                .filter((k) => !view.group.includes(k))
                .map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
            </optgroup>
            <optgroup label="Same in all">
              {same
                .filter((k) => !view.group.includes(k))
                .map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
            </optgroup>
          </select>
        </label>
        {view.group.map((k) => (
          <span key={k} className="chip on">
            {k}
            <button
              className="rt-remove"
              aria-label={`stop grouping by ${k}`}
              data-testid={`compare-group-chip-${colId(k)}`}
              onClick={() => setView({ group: view.group.filter((g) => g !== k) })}
            >
              ×
            </button>
          </span>
        ))}
      </div>
      {metrics.data ? (
        <CompareChart lines={lines} metric={view.metric} x={view.x} smoothing={view.smoothing} />
      ) : (
        <p className="muted pad">Loading metrics…</p>
      )}
      {view.x === 'wall' ? (
        <p className="muted small">
          Wall time is the sum of each iteration&apos;s <code>perf/iteration_s</code> (metrics carry
          no timestamps).
        </p>
      ) : view.x === 'steps' ? (
        <p className="muted small">
          Env steps: each iteration&apos;s <code>train/mean_length</code> × groups × group size,
          summed.
        </p>
      ) : null}
      <ConfigDiffTable
        rows={diff}
        runs={rows.map((r, i) => ({
          id: r.run.id,
          name: r.experimentName,
          label: runLabel(r),
          color: view.group.length === 0 ? color(i) : 'transparent'
        }))}
        diffOnly={view.diffOnly}
        onDiffOnly={(diffOnly) => setView({ diffOnly })}
      />
    </div>
  )
}
