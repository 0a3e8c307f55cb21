// Metric curves over iterations: one small chart per chosen key (W&B-style panels), with the
// latest value in each panel's header and toggles for every key the run has logged.
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
import { fmt } from '../format'

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

const keyId = (key: string): string => key.replace(/[^a-z0-9_]+/gi, '-')

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
  const isRate = metric.endsWith('_rate') || metric.endsWith('fraction')
  return (
    <figure
      className="chart-card"
      data-testid={`metric-panel-${keyId(metric)}`}
      data-points={data.length}
    >
      <figcaption>
        <span className="mono">{metric}</span>
        <span className="chart-latest" data-testid={`metric-latest-${keyId(metric)}`}>
          {last ? `${fmt(last.value)} @ ${last.iteration}` : '—'}
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={data} margin={{ top: 6, right: 12, bottom: 2, left: -8 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis
            dataKey="iteration"
            type="number"
            domain={[0, xMax]}
            allowDecimals={false}
            fontSize={11}
          />
          <YAxis
            fontSize={11}
            width={48}
            domain={isRate ? [0, 1] : ['auto', 'auto']}
            tickFormatter={(v: number) => fmt(v, 2)}
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? fmt(v, 4) : String(v))}
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
 * null fits it to the logged iterations.
 */
export function MetricsPanel({
  points,
  lastIteration
}: {
  points: MetricPoint[]
  lastIteration: number | null
}): React.JSX.Element {
  const [overrides, setOverrides] = useState<Map<string, boolean>>(new Map())
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.values)))].sort()
  const shown = (k: string): boolean => overrides.get(k) ?? DEFAULT_KEYS.has(k)
  const visible = keys.filter(shown)
  const xMax = Math.max(1, lastIteration ?? points[points.length - 1]?.iteration ?? 1)
  return (
    <section className="metrics" data-testid="metrics-chart" data-iterations={points.length}>
      <header className="metrics-header">
        <h3>Metrics</h3>
        <span className="muted small" data-testid="metrics-count">
          {points.length === 0 ? 'no iterations logged yet' : `${points.length} iterations logged`}
        </span>
      </header>
      {keys.length > 0 ? (
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
    </section>
  )
}
