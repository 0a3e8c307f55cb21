// One experiment: its runs, start/stop, and the selected run's live progress and metrics.
import { useState } from 'react'
import type React from 'react'
import type { ApiError, Experiment, Run } from '../../../core/api/entities'
import { resumeRun, startExperiment, stopRun } from '../api/actions'
import { isActive, useMetrics, useProgress, useRuns } from '../api/hooks'
import { ErrorMessage } from '../components/error-message'
import { StatusBadge } from '../components/status-badge'
import { fmtDuration, fmtTime } from '../format'
import { href } from '../router'
import { configSummary, isEvaluation, runCount } from '../run-kind'
import { useNow } from '../use-now'
import { MetricsPanel } from './metrics-panel'
import { ExperimentUpkeep } from '../features/experiments/upkeep'
import { AnnotationPanel } from '../features/annotations/annotation-panel'
import { LabelSchemas } from '../features/annotations/label-schemas'

function ProgressBar({ run }: { run: Run }): React.JSX.Element {
  const progress = useProgress(run.id)
  const { done, total, unit } = runCount(run, progress)
  const fraction = total > 0 && done !== null ? Math.min(1, done / total) : 0
  const phase = isActive(run) ? (progress?.phase ?? run.status) : run.status
  return (
    <div
      className="progress"
      data-testid="run-progress"
      data-done={done ?? ''}
      data-total={total}
      data-unit={unit}
    >
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      <span className="progress-label" data-testid="run-progress-label">
        {done ?? '—'} / {total} {unit} · {phase}
      </span>
    </div>
  )
}

/** "tfjs-core 4.22.0 · tfjs-backend-webgpu 4.22.0 · node 20.20.2", or — for runs without them. */
function formatVersions(versions: Record<string, string>): string {
  const parts = Object.entries(versions).map(([name, v]) => `${name} ${v}`)
  return parts.length > 0 ? parts.join(' · ') : '—'
}

function RunFacts({ run }: { run: Run }): React.JSX.Element {
  const now = useNow(run.startedAt !== null && run.endedAt === null)
  return (
    <dl className="facts">
      <div>
        <dt>Run</dt>
        <dd>#{run.id}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={run.status} testId="run-status" />
        </dd>
      </div>
      <div>
        <dt>Backend</dt>
        <dd data-testid="run-backend">{run.backend ?? '—'}</dd>
      </div>
      <div className="wide">
        <dt>Device</dt>
        <dd className="mono small" data-testid="run-device">
          {run.backendDevice ?? '—'}
        </dd>
      </div>
      <div className="wide">
        <dt>Versions</dt>
        <dd className="mono small" data-testid="run-versions">
          {formatVersions(run.backendVersions)}
        </dd>
      </div>
      <div>
        <dt>Seed</dt>
        <dd>{run.seed}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{fmtTime(run.startedAt)}</dd>
      </div>
      <div>
        <dt>{run.endedAt === null && run.startedAt !== null ? 'Elapsed' : 'Duration'}</dt>
        <dd data-testid="run-duration">{fmtDuration(run.startedAt, run.endedAt, now)}</dd>
      </div>
      <div className="wide">
        <dt>Kernels</dt>
        <dd className="mono small" data-testid="run-kernels">
          {run.kernels ?? (isEvaluation(run.config) ? 'none (evaluation only)' : '—')}
        </dd>
      </div>
    </dl>
  )
}

function RunSummary({ run }: { run: Run }): React.JSX.Element {
  const metrics = useMetrics(run.id)
  return (
    <div className="run" data-testid="run-panel" data-run-id={run.id}>
      <RunFacts run={run} />
      <ProgressBar run={run} />
      {run.error ? (
        <div className="error" data-testid="run-error">
          <strong>Run error:</strong> {run.error}
        </div>
      ) : null}
      {run.backendNotes.length > 0 ? (
        <details className="notes" data-testid="run-backend-notes">
          <summary>Backend notes ({run.backendNotes.length})</summary>
          <ul>
            {run.backendNotes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <div className="actions">
        <a className="button" href={href.episodes(run.id)} data-testid="open-episodes">
          Episodes →
        </a>
        {isEvaluation(run.config) ? null : (
          <a className="button" href={href.groups(run.id)} data-testid="open-groups">
            {run.config.algo === 'himac' ? 'Blueprint groups →' : 'Groups →'}
          </a>
        )}
        <a className="button" href={href.review(run.id)} data-testid="open-review">
          Review →
        </a>
      </div>

      <ErrorMessage error={metrics.error} />
      <MetricsPanel
        points={metrics.data ?? []}
        lastIteration={isActive(run) ? run.iterations - 1 : null}
        summary={run.iterations === 1}
      />
      <AnnotationPanel
        target={{ type: 'run', id: run.id }}
        experimentId={run.experimentId}
        title={`Notes on run #${run.id}`}
      />
    </div>
  )
}

/** Every config entry exactly as stored; generic so new config fields appear unasked. */
function ConfigTable({ experiment }: { experiment: Experiment }): React.JSX.Element {
  const show = (v: unknown): string =>
    typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v)
  return (
    <details className="notes" data-testid="experiment-config">
      <summary data-testid="experiment-config-summary">
        Configuration · {configSummary(experiment.config)}
      </summary>
      <table className="table kv">
        <tbody>
          {Object.entries(experiment.config).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td className="mono">{show(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

export function ExperimentDetail({
  experiment,
  onChanged
}: {
  experiment: Experiment
  onChanged: () => void
}): React.JSX.Element {
  const runs = useRuns(experiment.id)
  const [chosen, setChosen] = useState<number | null>(null)
  const [actionError, setActionError] = useState<ApiError | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const list = runs.data ?? []
  const run = list.find((r) => r.id === chosen) ?? list[0]
  const active = list.find((r) => isActive(r))

  const act = async (action: () => Promise<{ error?: ApiError }>): Promise<void> => {
    setBusy(true)
    const result = await action()
    setBusy(false)
    setActionError(result.error)
  }

  return (
    <div className="detail" data-testid="experiment-detail" data-experiment-id={experiment.id}>
      <header className="pane-header">
        <h2>
          {experiment.name} <span className="muted">#{experiment.id}</span>
        </h2>
        <div className="actions">
          <button
            className="button primary"
            data-testid="run-start"
            disabled={busy || active !== undefined}
            onClick={() =>
              void act(async () => {
                const r = await startExperiment(experiment.id)
                if (r.data) setChosen(r.data.id)
                return r
              })
            }
          >
            Start run
          </button>
          <button
            className="button"
            data-testid="run-stop"
            disabled={busy || active === undefined}
            onClick={() => active && void act(() => stopRun(active.id))}
          >
            Stop
          </button>
          {run && (run.status === 'failed' || run.status === 'stopped') ? (
            <button
              className="button"
              data-testid="run-resume"
              title="Continue this run from its last checkpoint"
              disabled={busy || active !== undefined}
              onClick={() => void act(() => resumeRun(run.id))}
            >
              Resume run #{run.id}
            </button>
          ) : null}
        </div>
      </header>
      <p className="muted small">
        Preset {experiment.preset ?? '—'} · created {fmtTime(experiment.createdAt)}
      </p>
      <ExperimentUpkeep experiment={experiment} onChanged={onChanged} />
      <ConfigTable experiment={experiment} />
      <LabelSchemas experimentId={experiment.id} />
      <ErrorMessage error={actionError} testId="action-error" />
      <ErrorMessage error={runs.error} />
      {list.length > 1 ? (
        <div className="run-tabs" role="tablist" data-testid="run-tabs">
          {list.map((r) => (
            <button
              key={r.id}
              role="tab"
              aria-selected={r.id === run?.id}
              className={r.id === run?.id ? 'tab active' : 'tab'}
              onClick={() => setChosen(r.id)}
            >
              Run #{r.id} <StatusBadge status={r.status} />
            </button>
          ))}
        </div>
      ) : null}
      {run ? (
        <RunSummary key={run.id} run={run} />
      ) : runs.loading ? (
        <p className="muted">Loading runs…</p>
      ) : (
        <p className="muted" data-testid="no-runs">
          No runs yet: press Start run.
        </p>
      )}
    </div>
  )
}
