// Step-by-step replay. Step k shows what the agent saw before acting (its view and observation)
// and the action it then took; the last row of a finished episode is the final state (no action).
import { useEffect, useRef, useState } from 'react'
import type React from 'react'
import type { Episode, Step } from '../../../core/api/entities'
import { useEpisodeSteps } from '../api/hooks'
import { ErrorMessage } from '../components/error-message'
import { formatNumber } from '../format'
import { href } from '../router'
import { CandidateList, isChosen, StepMarkers } from './replay/candidates'
import { StepView } from './replay/step-view'

/** Subgoals finished before step k: those whose last step (`<sub_done>`) came earlier. */
function finishedSubgoals(steps: Step[], k: number): Set<number> {
  const done = new Set<number>()
  for (const s of steps.slice(0, k))
    if (s.subDone && s.subgoalIndex !== null) done.add(s.subgoalIndex)
  return done
}

function Blueprint({
  blueprint,
  active,
  finished
}: {
  blueprint: string[]
  active: number | null
  finished: Set<number>
}): React.JSX.Element {
  return (
    <ol className="blueprint" data-testid="blueprint">
      {blueprint.map((b, i) => (
        <li
          key={i}
          className={i === active ? 'active' : finished.has(i) ? 'done' : undefined}
          data-active={i === active}
          data-testid={`blueprint-${i + 1}`}
        >
          {b}
          {finished.has(i) ? <span className="sub-check"> ✓</span> : null}
        </li>
      ))}
    </ol>
  )
}

function EpisodeFacts({
  episode,
  steps,
  k
}: {
  episode: Episode
  steps: Step[]
  k: number
}): React.JSX.Element {
  return (
    <dl className="facts" data-testid="episode-facts">
      <div>
        <dt>Episode</dt>
        <dd>#{episode.id}</dd>
      </div>
      <div>
        <dt>Iteration</dt>
        <dd>{episode.iteration}</dd>
      </div>
      <div>
        <dt>Phase</dt>
        <dd>
          <span className={`tag tag-${episode.phase}`}>{episode.phase}</span>
        </dd>
      </div>
      <div>
        <dt>Env / seed</dt>
        <dd className="mono">
          {episode.env} · {episode.seed}
        </dd>
      </div>
      <div>
        <dt>Group / member</dt>
        <dd>
          {episode.groupId === null ? (
            '—'
          ) : (
            <a href={href.group(episode.groupId)} data-testid="episode-group-link">
              #{episode.groupId}
            </a>
          )}{' '}
          / {episode.memberIndex}
        </dd>
      </div>
      <div>
        <dt>Return</dt>
        <dd className="mono">{formatNumber(episode.return)}</dd>
      </div>
      <div>
        <dt>Outcome</dt>
        <dd>{episode.success ? <span className="yes">✓ solved</span> : 'not solved'}</dd>
      </div>
      <div>
        <dt>Length</dt>
        <dd>{episode.length} actions</dd>
      </div>
      {episode.planLogProb !== null || episode.planAdvantage !== null ? (
        <div data-testid="plan-facts">
          <dt title="Phase A: the blueprint's log-prob under the planner, and its advantage in the macro group">
            Plan log-prob / adv.
          </dt>
          <dd className="mono">
            {formatNumber(episode.planLogProb)} / {formatNumber(episode.planAdvantage)}
          </dd>
        </div>
      ) : null}
      {episode.task ? (
        <div className="wide">
          <dt>Task</dt>
          <dd>{episode.task}</dd>
        </div>
      ) : null}
      {episode.blueprint ? (
        <div className="wide">
          <dt>Blueprint</dt>
          <dd>
            <Blueprint
              blueprint={episode.blueprint}
              active={steps[k]?.subgoalIndex ?? null}
              finished={finishedSubgoals(steps, k)}
            />
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

function StepTable({
  steps,
  current,
  onSelect
}: {
  steps: Step[]
  current: number
  onSelect: (k: number) => void
}): React.JSX.Element {
  const body = useRef<HTMLTableSectionElement>(null)
  useEffect(() => {
    body.current?.querySelector('tr.selected')?.scrollIntoView({ block: 'nearest' })
  }, [current])
  const showSubgoals = steps.some((s) => s.subgoalIndex !== null)
  const returns = steps.reduce<number[]>(
    (acc, s) => [...acc, (acc[acc.length - 1] ?? 0) + s.reward],
    []
  )
  return (
    <div className="step-table-wrap">
      <table className="table selectable step-table" data-testid="step-table">
        <colgroup>
          <col className="col-t" />
          {showSubgoals ? <col className="col-sub" /> : null}
          <col />
          <col className="col-value" />
          <col className="col-value" />
          <col className="col-value" />
          <col className="col-value" />
        </colgroup>
        <thead>
          <tr>
            <th className="num">t</th>
            {showSubgoals ? (
              <th className="num" title="subgoal (1-based); ✓ = finished at this step">
                sub
              </th>
            ) : null}
            <th>action</th>
            <th className="num">reward</th>
            <th className="num">return</th>
            <th className="num">log-prob</th>
            <th className="num">adv.</th>
          </tr>
        </thead>
        <tbody ref={body}>
          {steps.map((s, k) => (
            <tr
              key={s.t}
              data-testid={`step-row-${k}`}
              className={k === current ? 'selected' : undefined}
              onClick={() => onSelect(k)}
            >
              <td className="num">{s.t}</td>
              {showSubgoals ? (
                <td className="num" data-testid={`step-subgoal-${k}`}>
                  {s.subgoalIndex === null ? '—' : s.subgoalIndex + 1}
                  {s.subDone ? '✓' : ''}
                </td>
              ) : null}
              <td className="mono ellipsis" title={s.action || undefined}>
                <StepMarkers step={s} />
                {s.action || <span className="muted">(end)</span>}
              </td>
              <td className="num mono">{formatNumber(s.reward)}</td>
              <td className="num mono">{formatNumber(returns[k])}</td>
              <td className="num mono">{formatNumber(s.logProb)}</td>
              <td className="num mono">{formatNumber(s.advantage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Replay({ episode, steps }: { episode: Episode; steps: Step[] }): React.JSX.Element {
  const [index, setIndex] = useState(0)
  const last = steps.length - 1
  const k = Math.min(Math.max(0, index), last)
  const step = steps[k]

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return
      const moves: Record<string, (i: number) => number> = {
        ArrowRight: (i) => i + 1,
        ArrowLeft: (i) => i - 1,
        Home: () => 0,
        End: () => last
      }
      const move = moves[e.key]
      if (!move) return
      e.preventDefault()
      setIndex((i) => Math.min(Math.max(0, move(Math.min(i, last))), last))
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [last])

  if (!step) {
    return (
      <>
        <EpisodeFacts episode={episode} steps={steps} k={k} />
        <p className="muted">This episode has no recorded steps.</p>
      </>
    )
  }
  const isFinal = step.action === '' && step.done
  return (
    <>
      <EpisodeFacts episode={episode} steps={steps} k={k} />
      <div className="replay-body">
        <div className="replay-left">
          <div className="step-controls">
            <button
              className="button small"
              onClick={() => setIndex(0)}
              disabled={k === 0}
              aria-label="First step"
            >
              «
            </button>
            <button
              className="button small"
              data-testid="step-prev"
              onClick={() => setIndex(k - 1)}
              disabled={k === 0}
              aria-label="Previous step"
            >
              ←
            </button>
            <input
              type="range"
              min={0}
              max={last}
              value={k}
              data-testid="step-slider"
              aria-label="Step"
              onChange={(e) => setIndex(Number(e.target.value))}
            />
            <button
              className="button small"
              data-testid="step-next"
              onClick={() => setIndex(k + 1)}
              disabled={k === last}
              aria-label="Next step"
            >
              →
            </button>
            <button
              className="button small"
              onClick={() => setIndex(last)}
              disabled={k === last}
              aria-label="Last step"
            >
              »
            </button>
            <span className="step-index" data-testid="step-index" data-step={k}>
              step {k} / {last}
            </span>
          </div>
          <div className="step-caption">
            {isFinal ? (
              <span>
                Final state after {k} action{k === 1 ? '' : 's'} —{' '}
                {episode.success ? 'solved' : 'not solved'}
              </span>
            ) : (
              <span>
                State before action {k}; the agent chose{' '}
                <code data-testid="chosen-action">{step.action}</code> → reward{' '}
                {formatNumber(step.reward)}
                {step.done ? ' (episode ends)' : ''} <StepMarkers step={step} />
              </span>
            )}
          </div>
          {episode.blueprint && step.subgoalIndex !== null ? (
            <div className="active-subgoal" data-testid="active-subgoal">
              subgoal {step.subgoalIndex + 1} / {episode.blueprint.length}:{' '}
              <strong>{episode.blueprint[step.subgoalIndex] ?? '?'}</strong>
              {step.subDone ? <code className="sub-done">{'<sub_done>'}</code> : null}
            </div>
          ) : null}
          <StepView step={step} />
          {step.candidates ? (
            <>
              <h4>
                Candidates
                {step.subDoneProb !== null ? (
                  <span className="muted small" data-testid="sub-done-prob">
                    {' '}
                    · P(&lt;sub_done&gt;) = {formatNumber(step.subDoneProb)}
                  </span>
                ) : null}
              </h4>
              <CandidateList key={k} step={step} candidates={step.candidates} />
            </>
          ) : step.subDoneProb !== null ? (
            <p className="muted small" data-testid="sub-done-prob">
              P(&lt;sub_done&gt;) = {formatNumber(step.subDoneProb)}
            </p>
          ) : null}
          <h4>Observation</h4>
          <pre className="obs" data-testid="observation">
            {step.observation}
          </pre>
          <h4>Admissible actions</h4>
          <ul className="admissible" data-testid="admissible-actions">
            {step.admissibleActions.map((a) => (
              <li
                key={a}
                className={isChosen(a, step.action) ? 'chosen' : undefined}
                data-chosen={isChosen(a, step.action)}
              >
                {isChosen(a, step.action) ? '▶ ' : ''}
                {a}
              </li>
            ))}
            {step.admissibleActions.length === 0 ? (
              <li className="muted">none (terminal)</li>
            ) : null}
          </ul>
        </div>
        <div className="replay-right">
          <StepTable steps={steps} current={k} onSelect={setIndex} />
        </div>
      </div>
    </>
  )
}

export function EpisodeReplay({ episodeId }: { episodeId: number }): React.JSX.Element {
  const query = useEpisodeSteps(episodeId)
  const episode = query.data?.episode
  const steps = [...(query.data?.steps ?? [])].sort((a, b) => a.t - b.t)
  return (
    <div className="page" data-testid="episode-replay">
      <header className="pane-header">
        <h2>
          Episode replay <span className="muted">#{episodeId}</span>
        </h2>
        {episode ? (
          <div className="crumbs">
            <a href={href.episodes(episode.runId)} data-testid="back-to-episodes">
              ← episodes of run #{episode.runId}
            </a>
          </div>
        ) : null}
      </header>
      <ErrorMessage error={query.error} />
      {query.loading ? <p className="muted">Loading…</p> : null}
      {episode ? (
        <>
          <Replay episode={episode} steps={steps} />
        </>
      ) : null}
    </div>
  )
}
