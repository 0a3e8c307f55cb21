// The actions an LM agent could have taken at one step with their probabilities (most likely
// first, a bar each, the one taken marked); the long tail stays folded until asked for.
import { useState } from 'react'
import type React from 'react'
import type { Step } from '../../../../core/api/entities'

const SHOWN = 10

/** The admissible action the agent took; a WebShop search fills the `search[<your query>]` slot. */
export function isChosen(admissible: string, action: string): boolean {
  if (admissible === action) return true
  return admissible === 'search[<your query>]' && action.startsWith('search[')
}

const percent = (p: number): string =>
  p >= 0.001 || p === 0 ? `${(100 * p).toFixed(1)} %` : `${p.toExponential(1)}`

export function CandidateList({
  action,
  candidates,
  testId = 'candidate'
}: {
  /** The action taken ('' on the final state). */
  action: string
  candidates: NonNullable<Step['candidates']>
  /** Test ids: `${testId}s` on the list, `${testId}` per row, `${testId}s-more` on the toggle. */
  testId?: string
}): React.JSX.Element {
  const [open, setOpen] = useState(false)
  const ranked = [...candidates].sort((a, b) => b.prob - a.prob)
  const shown = open ? ranked : ranked.slice(0, SHOWN)
  const hidden = ranked.length - shown.length
  const total = candidates.reduce((s, c) => s + c.prob, 0)
  return (
    <div className="candidates" data-testid={`${testId}s`} data-total={total}>
      <ol>
        {shown.map((c, i) => {
          const chosen = isChosen(c.action, action)
          return (
            <li
              key={`${i}:${c.action}`}
              className={chosen ? 'chosen' : undefined}
              data-testid={testId}
              data-prob={c.prob}
              data-chosen={chosen}
            >
              <span className="candidate-bar" style={{ width: `${100 * c.prob}%` }} />
              <span className="candidate-action mono">
                {chosen ? '▶ ' : ''}
                {c.action}
              </span>
              <span className="candidate-prob mono">{percent(c.prob)}</span>
            </li>
          )
        })}
      </ol>
      {hidden > 0 || open ? (
        <button
          className="button small"
          type="button"
          data-testid={`${testId}s-more`}
          onClick={() => setOpen(!open)}
        >
          {open ? 'show the top ' + SHOWN : `${hidden} more`}
        </button>
      ) : null}
      {action !== '' && !candidates.some((c) => isChosen(c.action, action)) ? (
        <p className="muted small">The action taken is not among the candidates.</p>
      ) : null}
    </div>
  )
}

/** Per-step markers: an invalid action, a subgoal ended by its step budget or by `<sub_done>`. */
export function StepMarkers({ step }: { step: Step }): React.JSX.Element | null {
  if (!step.invalid && !step.fallback && !step.subDone) return null
  return (
    <span className="step-markers">
      {step.invalid ? (
        <span
          className="tag tag-invalid"
          data-testid="marker-invalid"
          title="not an admissible action"
        >
          invalid
        </span>
      ) : null}
      {step.fallback ? (
        <span
          className="tag tag-fallback"
          data-testid="marker-fallback"
          title="the subgoal's step budget ran out here"
        >
          fallback
        </span>
      ) : step.subDone ? (
        <span
          className="tag tag-sub-done"
          data-testid="marker-sub-done"
          title="the executor ended the subgoal with <sub_done>"
        >
          sub_done
        </span>
      ) : null}
    </span>
  )
}
