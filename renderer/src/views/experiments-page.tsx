// Experiments: the list (with each one's latest run) beside either the selected experiment or
// the form for a new one.
import { useState } from 'react'
import type React from 'react'
import type { Experiment, Run } from '../../../core/api/entities'
import { useExperiments, useProgress } from '../api/hooks'
import { ErrorMessage } from '../components/error-message'
import { StatusBadge } from '../components/status-badge'
import { href, navigate } from '../router'
import { runCount } from '../run-kind'
import { ExperimentDetail } from './experiment-detail'
import { NewExperimentForm } from './new-experiment-form'

function LatestRun({ run }: { run: Run }): React.JSX.Element {
  const count = runCount(run, useProgress(run.id))
  const unit = count.unit === 'episodes' ? ' ep.' : ''
  return (
    <div className="latest-run">
      <StatusBadge status={run.status} />
      <span
        className="muted small run-count"
        title={`${count.done ?? '—'} / ${count.total} ${count.unit}`}
      >
        {count.done ?? '—'}/{count.total}
        {unit}
      </span>
    </div>
  )
}

function ExperimentRow({
  experiment: e,
  selected
}: {
  experiment: Experiment
  selected: boolean
}): React.JSX.Element {
  return (
    <tr
      data-testid={`experiment-row-${e.id}`}
      className={selected ? 'selected' : undefined}
      onClick={() => navigate(href.experiment(e.id))}
    >
      <td className="num muted">{e.id}</td>
      <td className="ellipsis" title={`${e.name}\npreset ${e.preset ?? '—'}`}>
        <a href={href.experiment(e.id)} onClick={(ev) => ev.stopPropagation()}>
          {e.name}
        </a>
        <div className="muted small ellipsis">
          {e.preset ?? 'no preset'}
          {e.tags.length > 0 ? ` · ${e.tags.join(' · ')}` : ''}
          {e.archivedAt !== null ? ' · archived' : ''}
        </div>
      </td>
      <td data-testid={`experiment-status-${e.id}`}>
        {e.latestRun ? <LatestRun run={e.latestRun} /> : <StatusBadge status={null} />}
      </td>
    </tr>
  )
}

export function ExperimentsPage({
  experimentId
}: {
  experimentId: number | null
}): React.JSX.Element {
  const experiments = useExperiments()
  const selected = experiments.data?.find((e) => e.id === experimentId)
  const [showArchived, setShowArchived] = useState(false)
  const [tagFilter, setTagFilter] = useState('')
  const archivedCount = (experiments.data ?? []).filter((e) => e.archivedAt !== null).length
  const listed = (experiments.data ?? []).filter(
    (e) =>
      (showArchived || e.archivedAt === null || e.id === experimentId) &&
      (tagFilter.trim() === '' ||
        e.tags.some((t) => t.toLowerCase().includes(tagFilter.trim().toLowerCase())))
  )
  return (
    <div className="split">
      <section className="list-pane" data-testid="experiments-list">
        <div className="list-pane-inner">
          <header className="pane-header">
            <h2>Experiments</h2>
            <a className="button small" href={href.experiments()} data-testid="new-experiment">
              + New
            </a>
          </header>
          <ErrorMessage error={experiments.error} />
          {experiments.data && experiments.data.length > 0 ? (
            <div className="toolbar exp-list-filters">
              <input
                data-testid="exp-tag-filter"
                placeholder="filter by tag"
                value={tagFilter}
                onChange={(ev) => setTagFilter(ev.target.value)}
              />
              {archivedCount > 0 ? (
                <label className="small">
                  <input
                    type="checkbox"
                    data-testid="exp-show-archived"
                    checked={showArchived}
                    onChange={(ev) => setShowArchived(ev.target.checked)}
                  />{' '}
                  archived ({archivedCount})
                </label>
              ) : null}
            </div>
          ) : null}
          {experiments.data && experiments.data.length === 0 ? (
            <p className="muted pad">No experiments yet. Create one from a preset.</p>
          ) : null}
          {experiments.data && experiments.data.length > 0 ? (
            <table className="table selectable experiments-table">
              <colgroup>
                <col className="col-id" />
                <col />
                <col className="col-run" />
              </colgroup>
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Name · preset</th>
                  <th>Latest run</th>
                </tr>
              </thead>
              <tbody>
                {[...listed]
                  .sort((a, b) => b.id - a.id)
                  .map((e) => (
                    <ExperimentRow key={e.id} experiment={e} selected={e.id === experimentId} />
                  ))}
              </tbody>
            </table>
          ) : null}
        </div>
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
          // Keyed: a new experiment starts with its own closed panels, run choice and errors.
          <ExperimentDetail
            key={selected.id}
            experiment={selected}
            onChanged={experiments.reload}
          />
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
