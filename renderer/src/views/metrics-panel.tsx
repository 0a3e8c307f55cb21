// Metric curves over iterations: one small chart per chosen key (W&B-style panels), with the
// latest value in each panel's header and toggles for every key the run has logged. A run of a
// single iteration (a reference-agent evaluation) gets a summary instead: bars for its rates and
// a table of every value.
import { useState } from 'react'
import type React from 'react'
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis
} from 'recharts'
import type { MetricPoint } from '../../../core/api/entities'
import { formatNumber } from '../format'
import { EvaluationSummary } from './evaluation-summary'
import { axisTitle, isRate, keyId } from './metric-keys'

const DEFAULT_KEYS = new Set(['train/success_rate', 'train/mean_return', 'eval/success_rate'])
const COLORS = [
  '#2563eb',
  '#d9480f',
  '#0f9d58',
  '#7c3aed',
  '#c2255c',
  '#0b7285',
  '#5c940d',
  '#e67700'
]
const AXIS_LABEL = { fontSize: 11, fill: '#6b7280' }

function MetricChart({
  metric,
  points,
  color,
  xMax
}: {
  metric: string
  points: MetricPoint[]
  color: string
  xMax: number
}): React.JSX.Element {
  const data = points.flatMap((p) => {
    const v = p.values[metric]
    return v === undefined ? [] : [{ iteration: p.iteration, value: v }]
  })
  const last = data[data.length - 1]
  return (
    <figure
      className="chart-card"
      data-testid={`metric-panel-${keyId(metric)}`}
      data-points={data.length}
    >
      <figcaption>
        <span className="mono chart-title" title={metric}>
          {metric}
        </span>
        <span className="chart-latest" data-testid={`metric-latest-${keyId(metric)}`}>
          {last ? `${formatNumber(last.value)} @ it ${last.iteration}` : '—'}
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={190}>
        <LineChart data={data} margin={{ top: 6, right: 14, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis
            dataKey="iteration"
            type="number"
            domain={[0, xMax]}
            allowDecimals={false}
            fontSize={11}
            height={34}
            label={{ value: 'iteration', position: 'insideBottom', offset: 0, ...AXIS_LABEL }}
          />
          <YAxis
            fontSize={11}
            width="auto"
            niceTicks="snap125"
            domain={isRate(metric) ? [0, 1] : ['auto', 'auto']}
            tickFormatter={(v: number) => formatNumber(v)}
            label={{ value: axisTitle(metric), angle: -90, position: 'insideLeft', ...AXIS_LABEL }}
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? formatNumber(v, 4) : String(v))}
            labelFormatter={(l) => `iteration ${String(l)}`}
          />
          <Line
            type="linear"
            dataKey="value"
            name={metric}
            stroke={color}
            strokeWidth={1.8}
            dot={data.length <= 40 ? { r: 2 } : false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  )
}

/**
 * `lastIteration` pins the x axis (a live run's whole length, so curves grow left to right);
 * null fits it to the logged iterations. `summary` shows a single-iteration run's values.
 */
export function MetricsPanel({
  points,
  lastIteration,
  summary
}: {
  points: MetricPoint[]
  lastIteration: number | null
  summary: boolean
}): React.JSX.Element {
  const [overrides, setOverrides] = useState<Map<string, boolean>>(new Map())
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.values)))].sort()
  const shown = (k: string): boolean => overrides.get(k) ?? DEFAULT_KEYS.has(k)
  const visible = keys.filter(shown)
  const xMax = Math.max(1, lastIteration ?? points[points.length - 1]?.iteration ?? 1)
  const single = summary ? points[points.length - 1] : undefined
  return (
    <section className="metrics" data-testid="metrics-chart" data-iterations={points.length}>
      <header className="metrics-header">
        <h3>{summary ? 'Evaluation' : 'Metrics'}</h3>
        <span className="muted small" data-testid="metrics-count">
          {points.length === 0
            ? summary
              ? 'results appear when the evaluation ends'
              : 'no iterations logged yet'
            : summary
              ? `${keys.length} values`
              : `${points.length} iterations logged`}
        </span>
      </header>
      {single ? <EvaluationSummary values={single.values} /> : null}
      {!summary && keys.length > 0 ? (
        <div className="key-toggles" data-testid="metric-toggles">
          {keys.map((k) => (
            <label key={k} className={shown(k) ? 'chip on' : 'chip'}>
              <input
                type="checkbox"
                checked={shown(k)}
                data-testid={`metric-toggle-${keyId(k)}`}
                onChange={(e) => setOverrides((m) => new Map(m).set(k, e.target.checked))}
              />
              {k}
            </label>
          ))}
        </div>
      ) : null}
      {!summary ? (
        <div className="chart-grid">
          {visible.map((k, i) => (
            <MetricChart
              key={k}
              metric={k}
              points={points}
              xMax={xMax}
              color={COLORS[i % COLORS.length] ?? '#2563eb'}
            />
          ))}
        </div>
      ) : null}
    </section>
  )
}
