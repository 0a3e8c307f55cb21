// The report's two charts (the same as the CLI's SVGs): evaluation success over RL updates per
// method with its 95 % CI band, and final success per method with CI whiskers.
import type React from 'react'
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  ResponsiveContainer,
  XAxis,
  YAxis
} from 'recharts'
import type { StudyReport } from '../../../../core/api/entities'
import { colorOf } from './model/format'

const AXIS_LABEL = { fontSize: 11, fill: '#6b7280' }
const pct = (v: number): string => `${Math.round(v * 100)}%`

export function LearningCurves({ report }: { report: StudyReport }): React.JSX.Element {
  const curves = report.curves.filter((c) => c.points.length > 0)
  return (
    <figure
      className="chart-card"
      data-testid="study-curves"
      data-lines={curves.length}
      data-points={curves.reduce((s, c) => s + c.points.length, 0)}
    >
      <figcaption className="small muted">
        Held-out success over RL updates: mean of the seeds, band = 95 % CI
      </figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <ComposedChart margin={{ top: 8, right: 18, bottom: 6, left: 4 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis
            dataKey="x"
            type="number"
            domain={[0, 'dataMax']}
            allowDecimals={false}
            allowDuplicatedCategory={false}
            fontSize={11}
            height={36}
            label={{
              value: 'RL updates before the evaluation',
              position: 'insideBottom',
              offset: 0,
              ...AXIS_LABEL
            }}
          />
          <YAxis
            fontSize={11}
            width={48}
            domain={[0, 1]}
            tickFormatter={pct}
            label={{ value: 'success', angle: -90, position: 'insideLeft', ...AXIS_LABEL }}
          />
          {curves.map((c) => (
            <Area
              key={`band-${c.method}`}
              data={c.points.map((p) => ({ x: p.x, band: [Math.max(0, p.lo), Math.min(1, p.hi)] }))}
              dataKey="band"
              type="linear"
              stroke="none"
              fill={colorOf(c.method)}
              fillOpacity={0.15}
              isAnimationActive={false}
              activeDot={false}
              legendType="none"
            />
          ))}
          {curves.map((c) => (
            <Line
              key={`line-${c.method}`}
              data={c.points.map((p) => ({ x: p.x, y: p.mean }))}
              dataKey="y"
              name={c.label}
              type="linear"
              stroke={colorOf(c.method)}
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
          ))}
          <Legend wrapperStyle={{ fontSize: 11, paddingTop: 10 }} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  )
}

export function FinalSuccessBars({ report }: { report: StudyReport }): React.JSX.Element {
  const data = report.methods.map((m, i) => ({
    key: String(i + 1),
    method: m.method,
    label: m.label,
    mean: m.finalSuccess.mean ?? 0,
    err: m.finalSuccess.half ?? 0
  }))
  return (
    <figure className="chart-card" data-testid="study-bars" data-bars={data.length}>
      <figcaption className="small muted">
        Final success per method (numbered as in the table): mean, whiskers = 95 % CI
      </figcaption>
      <ResponsiveContainer width="100%" height={320}>
        <BarChart data={data} margin={{ top: 8, right: 18, bottom: 6, left: 4 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis
            dataKey="key"
            fontSize={11}
            height={36}
            label={{ value: 'method', position: 'insideBottom', offset: 0, ...AXIS_LABEL }}
          />
          <YAxis fontSize={11} width={48} domain={[0, 1]} tickFormatter={pct} allowDataOverflow />
          <Bar dataKey="mean" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.method} fill={colorOf(d.method)} fillOpacity={0.6} />
            ))}
            <ErrorBar dataKey="err" width={8} stroke="#111827" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
