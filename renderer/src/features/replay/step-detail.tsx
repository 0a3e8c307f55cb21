// One step in full: the stepping controls, what the agent chose and got (reward, return,
// advantage, log-prob), the active subgoal, the observation drawn for its environment, the
// candidate actions with their probabilities, the raw observation and the admissible actions.
import type React from 'react'
import type { Episode, Step } from '../../../../core/api/entities'
import { formatNumber } from '../../format'
import { CandidateList, isChosen, StepMarkers } from './candidates'
import { CopyLink } from './copy-link'
import { StepView } from './step-view'

/** 1-based number of the subgoal the i-th `<sub_done>` before this step's action ended. */
function endedSubgoal(step: Step, i: number): string {
  const n = step.subDoneChoices?.length ?? 0
  return step.subgoalIndex === null ? '?' : String(step.subgoalIndex - n + i + 1)
}

export type StepMove =
  'first' | 'step-prev' | 'step-next' | 'last' | 'segment-prev' | 'segment-next'

function Controls({
  k,
  last,
  hasSegments,
  onMove,
  onSelect
}: {
  k: number
  last: number
  hasSegments: boolean
  onMove: (m: StepMove) => void
  onSelect: (k: number) => void
}): React.JSX.Element {
  return (
    <div className="step-controls">
      {hasSegments ? (
        <button
          className="button small"
          data-testid="segment-prev"
          onClick={() => onMove('segment-prev')}
          aria-label="Previous subgoal (↑)"
          title="Previous subgoal (↑)"
        >
          ▲
        </button>
      ) : null}
      <button
        className="button small"
        onClick={() => onMove('first')}
        disabled={k === 0}
        aria-label="First step"
        title="First step (Home)"
      >
        «
      </button>
      <button
        className="button small"
        data-testid="step-prev"
        onClick={() => onMove('step-prev')}
        disabled={k === 0}
        aria-label="Previous step"
        title="Previous step (←)"
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
        onChange={(e) => onSelect(Number(e.target.value))}
      />
      <button
        className="button small"
        data-testid="step-next"
        onClick={() => onMove('step-next')}
        disabled={k === last}
        aria-label="Next step"
        title="Next step (→)"
      >
        →
      </button>
      <button
        className="button small"
        onClick={() => onMove('last')}
        disabled={k === last}
        aria-label="Last step"
        title="Last step (End)"
      >
        »
      </button>
      {hasSegments ? (
        <button
          className="button small"
          data-testid="segment-next"
          onClick={() => onMove('segment-next')}
          aria-label="Next subgoal (↓)"
          title="Next subgoal (↓)"
        >
          ▼
        </button>
      ) : null}
      <span className="step-index" data-testid="step-index" data-step={k} title="step / last step">
        {k} / {last}
      </span>
    </div>
  )
}

export function StepDetail({
  episode,
  step,
  k,
  last,
  ret,
  hasSegments,
  link,
  onMove,
  onSelect
}: {
  episode: Episode
  step: Step
  k: number
  last: number
  /** The return up to and including this step. */
  ret: number
  hasSegments: boolean
  /** This step's URL hash. */
  link: string
  onMove: (m: StepMove) => void
  onSelect: (k: number) => void
}): React.JSX.Element {
  const isFinal = step.action === '' && step.done
  return (
    <>
      <Controls k={k} last={last} hasSegments={hasSegments} onMove={onMove} onSelect={onSelect} />
      <div className="step-caption">
        {isFinal ? (
          <span>
            Final state after {k} action{k === 1 ? '' : 's'} —{' '}
            {episode.success ? 'solved' : 'not solved'}
          </span>
        ) : (
          <span>
            State before action {k}; the agent chose{' '}
            <code data-testid="chosen-action">{step.action}</code>
            {step.done ? ' (episode ends)' : ''} <StepMarkers step={step} />
          </span>
        )}
      </div>
      <dl className="step-values" data-testid="step-values">
        <div>
          <dt>reward</dt>
          <dd className="mono" data-testid="step-reward">
            {formatNumber(step.reward)}
          </dd>
        </div>
        <div>
          <dt>return</dt>
          <dd className="mono" data-testid="step-return">
            {formatNumber(ret)}
          </dd>
        </div>
        <div>
          <dt>advantage</dt>
          <dd className="mono" data-testid="step-advantage">
            {formatNumber(step.advantage)}
          </dd>
        </div>
        <div>
          <dt>log-prob</dt>
          <dd className="mono">{formatNumber(step.logProb)}</dd>
        </div>
        <CopyLink hash={link} />
      </dl>
      {episode.blueprint && step.subgoalIndex !== null ? (
        <div className="active-subgoal" data-testid="active-subgoal">
          subgoal {step.subgoalIndex + 1} / {episode.blueprint.length}:{' '}
          <strong>{episode.blueprint[step.subgoalIndex] ?? '?'}</strong>
          {step.subDone ? <code className="sub-done">{'<sub_done>'}</code> : null}
        </div>
      ) : null}
      <StepView step={step} />
      {(step.subDoneChoices ?? []).map((choice, i) => (
        <div key={`${k}:sub-done:${i}`} className="sub-done-choice" data-testid="sub-done-choice">
          <h4>
            <code className="sub-done">{'<sub_done>'}</code> chosen here first
            <span className="muted small"> · ended subgoal {endedSubgoal(step, i)}</span>
          </h4>
          <CandidateList action="<sub_done>" candidates={choice} testId="sub-done-candidate" />
        </div>
      ))}
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
          <CandidateList key={k} action={step.action} candidates={step.candidates} />
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
        {step.admissibleActions.length === 0 ? <li className="muted">none (terminal)</li> : null}
      </ul>
    </>
  )
}
