// The values of a single-iteration run (a reference-agent evaluation): its rates as bars on a
// 0..1 axis (overall, then per task type), and every value in a table.
import type React from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  XAxis,
  YAxis,
  type BarShapeProps
} from 'recharts'
import { formatNumber } from '../format'
import { isRate, keyId } from './metric-keys'

const BAR_HEIGHT = 26

/** `eval/success_rate/<type>` reads as its type under `eval/success_rate`, which reads "all". */
function rateLabel(key: string, keys: string[]): string {
  const parent = keys.find((k) => key.startsWith(`${k}/`))
  if (parent) return key.slice(parent.length + 1)
  return keys.some((k) => k.startsWith(`${key}/`)) ? 'all tasks' : key
}

export function EvaluationSummary({
  values
}: {
  values: Record<string, number>
}): React.JSX.Element {
  const keys = Object.keys(values).sort()
  const rates = keys.filter(isRate)
  const bars = rates.map((k) => ({ key: k, label: rateLabel(k, rates), value: values[k] ?? 0 }))
  return (
    <div className="evaluation-summary" data-testid="evaluation-summary">
      {bars.length > 0 ? (
        <figure className="chart-card" data-testid="rate-bars" data-bars={bars.length}>
          <figcaption>
            <span className="chart-title">Rates (0 – 1)</span>
          </figcaption>
          <ResponsiveContainer width="100%" height={bars.length * BAR_HEIGHT + 40}>
            <BarChart
              layout="vertical"
              data={bars}
              margin={{ top: 4, right: 48, bottom: 4, left: 4 }}
            >
              <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" horizontal={false} />
              <XAxis
                type="number"
                domain={[0, 1]}
                ticks={[0, 0.25, 0.5, 0.75, 1]}
                tickFormatter={(v: number) => formatNumber(v)}
                fontSize={11}
              />
              <YAxis type="category" dataKey="label" width="auto" fontSize={11} interval={0} />
              <Bar
                dataKey="value"
                isAnimationActive={false}
                barSize={16}
                shape={(p: BarShapeProps) => (
                  <rect
                    x={p.x}
                    y={p.y}
                    width={Math.max(0, p.width)}
                    height={p.height}
                    fill="#2563eb"
                    data-testid={`rate-bar-${keyId(bars[p.index]?.key ?? '')}`}
                  />
                )}
              >
                <LabelList
                  dataKey="value"
                  position="right"
                  fontSize={11}
                  formatter={(v) => (typeof v === 'number' ? formatNumber(v) : '')}
                />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </figure>
      ) : null}
      <table className="table kv summary-table" data-testid="summary-table">
        <tbody>
          {keys.map((k) => (
            <tr key={k}>
              <th className="mono">{k}</th>
              <td
                className="num mono"
                data-testid={`summary-value-${keyId(k)}`}
                data-value={values[k]}
              >
                {formatNumber(values[k])}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
