// #/studies: every reproduction study (`himac repro`), newest first; a row opens its report.
import type React from 'react'
import { ErrorMessage } from '../../components/error-message'
import { href, navigate } from '../../router'
import { useStudies } from './hooks'
import './studies.css'

export function StudiesPage(): React.JSX.Element {
  const studies = useStudies()
  const items = studies.data ?? []
  return (
    <div className="page" data-testid="studies-page">
      <header className="pane-header">
        <h2>Studies</h2>
        <span className="muted small">
          Reproduction studies: HiMAC, the flat baselines and the ablations, several seeds each.
          Start one with <code>himac repro --env sokoban --quick</code>.
        </span>
      </header>
      <ErrorMessage error={studies.error} />
      {items.length === 0 && !studies.loading ? (
        <div className="page-message" data-testid="studies-empty">
          No studies yet. <code>himac repro --env sokoban --quick --db &lt;this database&gt;</code>{' '}
          runs one.
        </div>
      ) : (
        <table className="table selectable" data-testid="studies-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>name</th>
              <th>env</th>
              <th>preset</th>
              <th>budget</th>
              <th className="num">methods</th>
              <th className="num">seeds</th>
              <th className="num">runs done</th>
              <th>status</th>
              <th>created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => {
              const open = (): void => navigate(href.study(s.id))
              return (
                <tr
                  key={s.id}
                  data-testid={`study-row-${s.id}`}
                  data-status={s.status}
                  onClick={open}
                  onKeyDown={(e) => e.key === 'Enter' && open()}
                  tabIndex={0}
                >
                  <td className="num muted">
                    <a href={href.study(s.id)}>{s.id}</a>
                  </td>
                  <td>{s.name}</td>
                  <td>{s.env}</td>
                  <td>{s.preset}</td>
                  <td className="small">{s.budget}</td>
                  <td className="num">{s.methods.length}</td>
                  <td className="num">{s.seeds.length}</td>
                  <td className="num" data-testid="study-runs-done">
                    {s.runsCompleted}/{s.runsPlanned}
                  </td>
                  <td>
                    <span className={`tag study-status study-${s.status}`}>{s.status}</span>
                  </td>
                  <td className="small muted">{s.createdAt.replace('T', ' ').slice(0, 19)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </div>
  )
}
