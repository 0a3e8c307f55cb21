// Experiments: the list (with each one's latest run) beside either the selected experiment or
// the form for a new one.
import type React from 'react'
import { useExperiments } from '../api/hooks'
import { ErrorMessage } from '../components/error-message'
import { StatusBadge } from '../components/status-badge'
import { href, navigate } from '../router'
import { ExperimentDetail } from './experiment-detail'
import { NewExperimentForm } from './new-experiment-form'

export function ExperimentsPage({
  experimentId
}: {
  experimentId: number | null
}): React.JSX.Element {
  const experiments = useExperiments()
  const selected = experiments.data?.find((e) => e.id === experimentId)
  return (
    <div className="split">
      <section className="list-pane" data-testid="experiments-list">
        <header className="pane-header">
          <h2>Experiments</h2>
          <a className="button small" href={href.experiments()} data-testid="new-experiment">
            + New
          </a>
        </header>
        <ErrorMessage error={experiments.error} />
        {experiments.data && experiments.data.length === 0 ? (
          <p className="muted pad">No experiments yet. Create one from a preset.</p>
        ) : null}
        {experiments.data && experiments.data.length > 0 ? (
          <table className="table selectable">
            <thead>
              <tr>
                <th>#</th>
                <th>Name</th>
                <th>Preset</th>
                <th>Latest run</th>
              </tr>
            </thead>
            <tbody>
              {[...(experiments.data ?? [])]
                .sort((a, b) => b.id - a.id)
                .map((e) => (
                  <tr
                    key={e.id}
                    data-testid={`experiment-row-${e.id}`}
                    className={e.id === experimentId ? 'selected' : undefined}
                    onClick={() => navigate(href.experiment(e.id))}
                  >
                    <td className="num">{e.id}</td>
                    <td>
                      <a href={href.experiment(e.id)} onClick={(ev) => ev.stopPropagation()}>
                        {e.name}
                      </a>
                    </td>
                    <td className="muted">{e.preset ?? '—'}</td>
                    <td>
                      <StatusBadge status={e.latestRun?.status ?? null} />
                      {e.latestRun ? (
                        <span className="muted small">
                          {' '}
                          {e.latestRun.iterationsDone}/{e.latestRun.iterations}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section className="detail-pane">
        {experimentId === null ? (
          <NewExperimentForm
            onCreated={(id) => {
              experiments.reload()
              navigate(href.experiment(id))
            }}
          />
        ) : selected ? (
          <ExperimentDetail experiment={selected} />
        ) : experiments.loading ? (
          <p className="muted pad">Loading…</p>
        ) : (
          <p className="page-message" data-testid="not-found">
            Experiment {experimentId} does not exist.
          </p>
        )}
      </section>
    </div>
  )
}
