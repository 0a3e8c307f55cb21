// Blueprint pins on the group view: pin one of a Phase-A group's blueprints as the Phase-B plan of
// its task for the run's following iterations, and the run's pins with when each applied.
import { useState } from 'react'
import type React from 'react'
import type { ApiError, BlueprintPin, GroupDetail } from '../../../../core/api/entities'
import { getClient } from '../../api/client'
import { useCommand, useRun } from '../../api/hooks'
import { ErrorMessage } from '../../components/error-message'
import { href } from '../../router'

function pinStatus(p: BlueprintPin): string {
  if (p.fromIteration === null)
    return p.removedAt ? 'removed before it applied' : 'waiting for the next iteration'
  if (p.untilIteration !== null)
    return `applied in iterations ${p.fromIteration}–${p.untilIteration - 1}`
  return p.removedAt
    ? `in force since iteration ${p.fromIteration}; removal waits for the next iteration`
    : `in force since iteration ${p.fromIteration}`
}

export function PinsPanel({ detail }: { detail: GroupDetail }): React.JSX.Element | null {
  const runId = detail.group.runId
  const run = useRun(runId)
  const pins = useCommand('pins/list', { runId })
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const r = run.data
  if (!r || r.config.algo !== 'himac') return null
  const act = async (
    name: 'pins/create' | 'pins/remove',
    input: { episodeId: number } | { pinId: number }
  ) => {
    setBusy(true)
    const r = await getClient().invoke(name, input as never)
    setBusy(false)
    setError(r.error)
    pins.reload()
  }
  const forTask = (pins.data ?? []).filter((p) => p.taskSeed === detail.group.taskSeed)
  const livePin = forTask.find((p) => p.removedAt === null)
  return (
    <section className="ann-panel grp-pins" data-testid="pins-panel">
      <h3>Blueprint pins</h3>
      {detail.group.level === 'macro' ? (
        <>
          <p className="muted small">
            A pinned blueprint becomes the Phase-B plan of this task (instead of z*) in the
            run&apos;s following iterations, which all include the task; each Phase-B group that
            executes it says so.
          </p>
          <ul className="grp-pin-choices">
            {detail.members
              .filter((m) => m.blueprint !== null)
              .map((m) => (
                <li key={m.episodeId}>
                  <button
                    className="button small"
                    data-testid={`pin-member-${m.memberIndex}`}
                    disabled={busy || livePin !== undefined || r.status === 'completed'}
                    onClick={() => void act('pins/create', { episodeId: m.episodeId })}
                  >
                    Pin member {m.memberIndex + 1}
                  </button>{' '}
                  <span className="small">{(m.blueprint ?? []).join(' → ')}</span>
                </li>
              ))}
          </ul>
          {r.status === 'completed' ? (
            <p className="muted small">
              This run has completed: pins apply to iterations still to train.
            </p>
          ) : null}
        </>
      ) : null}
      <ErrorMessage error={error ?? pins.error} testId="pin-error" />
      {forTask.length > 0 ? (
        <ul className="grp-pin-list" data-testid="pin-list">
          {forTask.map((p) => (
            <li key={p.id} data-testid={`pin-${p.id}`} data-from={p.fromIteration ?? ''}>
              Pin #{p.id} ({p.author}): {p.blueprint.join(' → ')} ·{' '}
              <a href={href.replay(p.sourceEpisodeId)}>from episode #{p.sourceEpisodeId}</a> ·{' '}
              <span className="muted">{pinStatus(p)}</span>{' '}
              {p.removedAt === null ? (
                <button
                  className="link-button"
                  data-testid={`unpin-${p.id}`}
                  disabled={busy}
                  onClick={() => void act('pins/remove', { pinId: p.id })}
                >
                  remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
