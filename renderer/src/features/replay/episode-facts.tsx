// The episode's facts (iteration, phase, env, group, return, outcome, length, plan scores, task)
// and its plan: the blueprint with the active subgoal marked and finished ones ticked.
import type React from 'react'
import type { Episode } from '../../../../core/api/entities'
import { formatNumber } from '../../format'
import { href } from '../../router'

export function EpisodeFacts({ episode }: { episode: Episode }): React.JSX.Element {
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
    </dl>
  )
}

/** The blueprint; a click on a subgoal jumps to its segment's first step. */
export function Plan({
  blueprint,
  active,
  finished,
  onPick
}: {
  blueprint: readonly string[]
  active: number | null
  finished: ReadonlySet<number>
  onPick: (subgoal: number) => void
}): React.JSX.Element {
  return (
    <section className="plan-panel" aria-label="Plan">
      <h4>Plan</h4>
      <ol className="blueprint" data-testid="blueprint">
        {blueprint.map((b, i) => (
          <li
            key={i}
            className={i === active ? 'active' : finished.has(i) ? 'done' : undefined}
            data-active={i === active}
            data-testid={`blueprint-${i + 1}`}
            onClick={() => onPick(i)}
          >
            <span className="blueprint-n">{i + 1}.</span>
            {b}
            {finished.has(i) ? <span className="sub-check"> ✓</span> : null}
          </li>
        ))}
      </ol>
    </section>
  )
}
