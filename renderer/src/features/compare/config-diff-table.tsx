// The selected runs' configs side by side; "differences only" hides keys equal in every run.
import type React from 'react'
import { formatNumber } from '../../format'
import { cellText } from '../runs/model/config-keys'
import type { DiffRow } from './model/config-diff'

export function ConfigDiffTable({
  rows,
  runs,
  diffOnly,
  onDiffOnly
}: {
  rows: DiffRow[]
  runs: { id: number; name: string; label: string; color: string }[]
  diffOnly: boolean
  onDiffOnly: (on: boolean) => void
}): React.JSX.Element {
  const shown = diffOnly ? rows.filter((r) => r.differs) : rows
  const differing = rows.filter((r) => r.differs).length
  return (
    <section className="compare-diff">
      <header className="metrics-header">
        <h3>Config</h3>
        <span className="muted small">
          {differing} of {rows.length} keys differ
        </span>
        <label className="small">
          <input
            type="checkbox"
            data-testid="diff-only"
            checked={diffOnly}
            onChange={(e) => onDiffOnly(e.target.checked)}
          />{' '}
          differences only
        </label>
      </header>
      <div className="diff-wrap">
        <table className="table diff-table" data-testid="config-diff" data-rows={shown.length}>
          <thead>
            <tr>
              <th>key</th>
              {runs.map((r) => (
                <th key={r.id} title={r.label}>
                  <span className="legend-line" style={{ background: r.color }} /> #{r.id}
                  <div className="diff-run-name ellipsis">{r.name}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr
                key={row.key}
                className={row.differs ? 'differs' : undefined}
                data-testid={`diff-row-${row.key}`}
              >
                <td className="mono">{row.key}</td>
                {row.values.map((v, i) => (
                  <td key={runs[i]?.id ?? i} className="mono">
                    {cellText(v, (n) => formatNumber(n, 4))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
