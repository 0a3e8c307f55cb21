// The overlaid chart: per run (or per group: mean with a 95 % CI band) a smoothed line over the
// raw one drawn faint, on the chosen x axis, with axis titles and a legend naming every line.
import type React from 'react'
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  XAxis,
  YAxis
} from 'recharts'
import { formatNumber } from '../../format'
import { axisTitle, isRate } from '../../views/metric-keys'
import { X_TITLES, type XAxisKind } from './model/series'

export type ChartLine = {
  id: string
  label: string
  color: string
  /** Smoothed values (the raw ones when smoothing is 0). */
  line: { x: number; y: number }[]
  raw: { x: number; y: number }[]
  /** Group lines: the 95 % interval per point (absent for a single run). */
  band?: { x: number; band: [number, number] }[]
  runs: number
}

const AXIS_LABEL = { fontSize: 11, fill: '#6b7280' }

export function CompareChart({
  lines,
  metric,
  x,
  smoothing
}: {
  lines: ChartLine[]
  metric: string
  x: XAxisKind
  smoothing: number
}): React.JSX.Element {
  const bands = lines.filter((l) => l.band && l.band.length > 0)
  return (
    <figure
      className="chart-card compare-chart"
      data-testid="compare-chart"
      data-lines={lines.length}
      data-bands={bands.length}
      data-x={x}
      data-smoothing={smoothing}
    >
      <ResponsiveContainer width="100%" height={340}>
        <ComposedChart margin={{ top: 8, right: 18, bottom: 6, left: 4 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDuplicatedCategory={false}
            allowDecimals={x !== 'iteration'}
            fontSize={11}
            height={36}
            tickFormatter={(v: number) => formatNumber(v)}
            label={{ value: X_TITLES[x], position: 'insideBottom', offset: 0, ...AXIS_LABEL }}
          />
          <YAxis
            fontSize={11}
            width="auto"
            niceTicks="snap125"
            domain={isRate(metric) ? [0, 1] : ['auto', 'auto']}
            tickFormatter={(v: number) => formatNumber(v)}
            label={{ value: axisTitle(metric), angle: -90, position: 'insideLeft', ...AXIS_LABEL }}
          />
          {bands.map((l) => (
            <Area
              key={`band-${l.id}`}
              data={l.band}
              dataKey="band"
              type="linear"
              stroke="none"
              fill={l.color}
              fillOpacity={0.18}
              isAnimationActive={false}
              activeDot={false}
            />
          ))}
          {smoothing > 0
            ? lines.map((l) => (
                <Line
                  key={`raw-${l.id}`}
                  data={l.raw}
                  dataKey="y"
                  type="linear"
                  stroke={l.color}
                  strokeOpacity={0.25}
                  strokeWidth={1}
                  dot={false}
                  activeDot={false}
                  isAnimationActive={false}
                  className="raw-line"
                />
              ))
            : null}
          {lines.map((l) => (
            <Line
              key={`line-${l.id}`}
              data={l.line}
              dataKey="y"
              name={l.label}
              type="linear"
              stroke={l.color}
              strokeWidth={2}
              dot={l.line.length <= 30 ? { r: 2 } : false}
              activeDot={false}
              isAnimationActive={false}
              className="main-line"
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <ul className="compare-legend" data-testid="compare-legend">
        {lines.map((l) => (
          <li key={l.id} data-testid="legend-item" title={l.label}>
            <span className="legend-line" style={{ background: l.color }} />
            <span className="ellipsis">{l.label}</span>
            {l.runs > 1 ? <span className="muted small">mean ± 95 % CI of {l.runs}</span> : null}
          </li>
        ))}
      </ul>
    </figure>
  )
}
