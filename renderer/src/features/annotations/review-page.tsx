// The review queue: a run's episodes (filtered by phase and outcome, by default only those without
// a value of the chosen label) one at a time, labelled from the keyboard — y / n, 1–5 or an
// option's number sets the label and moves on; j / k move; l switches label; c comments.
import { useEffect, useRef, useState } from 'react'
import type React from 'react'
import type { Episode, LabelSchema } from '../../../../core/api/entities'
import { useCommand, useEpisodeSteps, useRun } from '../../api/hooks'
import { EpisodeFilterSelects } from '../../components/episode-filter-selects'
import { ErrorMessage } from '../../components/error-message'
import { formatNumber } from '../../format'
import { href, replaceRoute } from '../../router'
import { AnnotationPanelView } from './annotation-panel'
import { useLabels, useTargetAnnotations } from './hooks'
import { reviewKey, valueKeys, valueText } from './model/review-keys'
import { parseReviewView, reviewQuery, type ReviewView } from './model/review-view'

/** How many episodes one queue holds (a queue is a snapshot of the list when it was opened). */
const QUEUE_SIZE = 500

/** Keys typed into a text field or a select are theirs; a checkbox or button leaves them to the queue. */
const typing = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement &&
  ((el instanceof HTMLInputElement && el.type !== 'checkbox' && el.type !== 'radio') ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    el.isContentEditable)

function EpisodeSummary({ episode }: { episode: Episode }): React.JSX.Element {
  const steps = useEpisodeSteps(episode.id)
  return (
    <div className="review-episode" data-testid="review-episode" data-episode-id={episode.id}>
      <p>
        <strong>#{episode.id}</strong> · {episode.task}{' '}
        <span className={episode.success ? 'yes' : 'muted'}>
          {episode.success ? 'succeeded' : 'failed'}
        </span>{' '}
        · return {formatNumber(episode.return)} · {episode.length} steps · iteration{' '}
        {episode.iteration} · <span className={`tag tag-${episode.phase}`}>{episode.phase}</span>{' '}
        <a href={href.replay(episode.id)} data-testid="review-open-replay">
          open replay →
        </a>
      </p>
      {episode.blueprint ? (
        <ol className="blueprint">
          {episode.blueprint.map((b, i) => (
            <li key={i}>{b}</li>
          ))}
        </ol>
      ) : null}
      <ErrorMessage error={steps.error} />
      <div className="review-steps">
        <table className="table">
          <thead>
            <tr>
              <th>t</th>
              <th>subgoal</th>
              <th>action</th>
              <th>reward</th>
            </tr>
          </thead>
          <tbody>
            {(steps.data?.steps ?? []).map((s) => (
              <tr key={s.t}>
                <td className="num">{s.t}</td>
                <td className="num">{s.subgoalIndex === null ? '' : s.subgoalIndex + 1}</td>
                <td className="mono">
                  {s.action}
                  {s.subDone ? <span className="tag"> sub_done</span> : null}
                </td>
                <td className="num">{formatNumber(s.reward)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function Reviewer({
  episode,
  experimentId,
  label,
  labels,
  onMove,
  onNextLabel,
  advance
}: {
  episode: Episode
  experimentId: number
  label: LabelSchema | undefined
  labels: LabelSchema[]
  onMove: (by: 1 | -1) => void
  onNextLabel: () => void
  advance: boolean
}): React.JSX.Element {
  const target = { type: 'episode', id: episode.id } as const
  const state = useTargetAnnotations(target)
  const comment = useRef<HTMLTextAreaElement>(null)
  const latest = useRef({ state, label, onMove, onNextLabel, advance })
  useEffect(() => {
    latest.current = { state, label, onMove, onNextLabel, advance }
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
      const { state, label, onMove, onNextLabel, advance } = latest.current
      const action = reviewKey(e.key, label)
      if (!action) return
      e.preventDefault()
      if (action.kind === 'move') onMove(action.by)
      else if (action.kind === 'next-label') onNextLabel()
      else if (action.kind === 'comment') comment.current?.focus()
      else if (label && !state.busy)
        void state.add({ kind: 'label', label: label.name, value: action.value }).then((ok) => {
          if (ok && advance && action.value !== null) onMove(1)
        })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="review-body">
      <EpisodeSummary episode={episode} />
      <AnnotationPanelView
        target={target}
        experimentId={experimentId}
        state={state}
        keysShown
        commentRef={comment}
        title={`Episode #${episode.id}`}
      />
      {labels.length === 0 ? null : (
        <p className="muted small" data-testid="review-keys">
          Keys for <strong>{label?.name}</strong>:{' '}
          {label
            ? valueKeys(label)
                .map((k) => `${k.key} ${valueText(label, k.value)}`)
                .join(' · ')
            : ''}{' '}
          · 0 clear · j / k next / previous · l next label · c comment
        </p>
      )}
    </div>
  )
}

export function ReviewPage({ runId, query }: { runId: number; query: string }): React.JSX.Element {
  const view = parseReviewView(query)
  const run = useRun(runId)
  const experimentId = run.data?.experimentId ?? null
  const labels = useLabels(experimentId)
  const list = labels.data ?? []
  const label = list.find((l) => l.name === view.label) ?? list[0]
  const [advance, setAdvance] = useState(true)
  const queue = useCommand(
    'episodes/page',
    experimentId === null || (view.unlabeledOnly && !label)
      ? null
      : {
          runId,
          offset: 0,
          limit: QUEUE_SIZE,
          ...(view.phase ? { phase: view.phase } : {}),
          ...(view.success !== null ? { success: view.success } : {}),
          ...(view.unlabeledOnly && label ? { unlabeled: label.name } : {})
        }
  )
  const items = queue.data?.items ?? []
  const at = Math.max(
    0,
    items.findIndex((e) => e.id === view.episode)
  )
  const episode = items[at]
  const go = (next: Partial<ReviewView>): void =>
    replaceRoute(href.review(runId, reviewQuery({ ...view, ...next })))
  const move = (by: 1 | -1): void => {
    const target = items[at + by]
    if (target) go({ episode: target.id })
  }
  const nextLabel = (): void => {
    if (list.length === 0 || !label) return
    const i = list.findIndex((l) => l.name === label.name)
    go({ label: list[(i + 1) % list.length]!.name })
  }
  return (
    <div className="page review" data-testid="review-page">
      <header className="pane-header">
        <h2>
          Review <span className="muted">run #{runId}</span>
        </h2>
        {experimentId !== null ? (
          <div className="crumbs">
            <a href={href.experiment(experimentId)}>← experiment #{experimentId}</a>
          </div>
        ) : null}
      </header>
      <ErrorMessage error={run.error ?? labels.error ?? queue.error} />
      <div className="toolbar">
        <label>
          Label{' '}
          <select
            data-testid="review-label"
            value={label?.name ?? ''}
            onChange={(e) => {
              e.target.blur()
              go({ label: e.target.value, episode: null })
            }}
          >
            {list.map((l) => (
              <option key={l.id} value={l.name}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <EpisodeFilterSelects
          value={view}
          testIdPrefix="review"
          onChange={(c) => go({ ...c, episode: null })}
        />
        <label>
          <input
            type="checkbox"
            data-testid="review-unlabeled"
            checked={view.unlabeledOnly}
            onChange={(e) => go({ unlabeledOnly: e.target.checked, episode: null })}
          />{' '}
          only without this label
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="review-advance"
            checked={advance}
            onChange={(e) => setAdvance(e.target.checked)}
          />{' '}
          next after labelling
        </label>
        <span className="spacer" />
        <span
          className="muted small"
          data-testid="review-position"
          data-at={at}
          data-total={items.length}
        >
          {items.length === 0
            ? ''
            : `${at + 1} of ${items.length}${queue.data && queue.data.total > items.length ? ` (first ${QUEUE_SIZE} of ${queue.data.total})` : ''}`}
        </span>
        <button
          className="button small"
          data-testid="review-prev"
          disabled={at === 0}
          onClick={() => move(-1)}
        >
          ← k
        </button>
        <button
          className="button small"
          data-testid="review-next"
          disabled={at + 1 >= items.length}
          onClick={() => move(1)}
        >
          j →
        </button>
      </div>
      {labels.data && list.length === 0 ? (
        <p className="muted pad" data-testid="review-no-labels">
          This experiment has no labels yet: define them on{' '}
          {experimentId !== null ? (
            <a href={href.experiment(experimentId)}>its page</a>
          ) : (
            'its page'
          )}
          .
        </p>
      ) : null}
      {queue.data && items.length === 0 ? (
        <p className="muted pad" data-testid="review-empty">
          Nothing to review: no episode matches
          {view.unlabeledOnly && label ? ` without '${label.name}'` : ''}.
        </p>
      ) : null}
      {episode && experimentId !== null ? (
        <Reviewer
          key={episode.id}
          episode={episode}
          experimentId={experimentId}
          label={label}
          labels={list}
          onMove={move}
          onNextLabel={nextLabel}
          advance={advance}
        />
      ) : null}
    </div>
  )
}
