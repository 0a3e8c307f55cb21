// Hierarchical step-by-step replay (#/episodes/:id?t=…&run=…|group=…): the plan on top, the
// steps grouped by subgoal segment (collapsible, virtualised) beside the selected step in full.
// Step k shows what the agent saw before acting and the action it then took; the last row of a
// finished episode is the final state (no action). The URL follows the selected step and names
// the list the user came from, which j / k walk.
import { useEffect, useMemo, useRef, useState } from 'react'
import { ReplayAnnotations } from '../annotations/replay-annotations'
import { CounterfactualForm } from '../counterfactual/counterfactual-form'
import { CounterfactualList } from '../counterfactual/counterfactual-list'
import type React from 'react'
import type { Episode, Step } from '../../../../core/api/entities'
import { ErrorMessage } from '../../components/error-message'
import { useShortcutsOpen } from '../../components/shortcuts-overlay'
import { href, navigate, parseRoute, replaceRoute } from '../../router'
import { EpisodeFacts, Plan } from './episode-facts'
import { useNeighbours, useReplay } from './hooks'
import { keyAction, moveRow, type ReplayAction } from './model/keys'
import {
  EPISODES_PAGE_SIZE,
  episodesViewOf,
  episodesViewQuery,
  parseReplayView,
  replayStepQuery,
  replayViewQuery,
  type EpisodeList,
  type Neighbour,
  type Neighbours
} from './model/replay-url'
import { replaySegments, rowSegments, runningReturns } from './model/segments'
import { toggled } from './model/step-list'
import { StepDetail } from './step-detail'
import { StepList } from './step-list'
import './replay.css'

/** The URL follows the selected step once stepping pauses (browsers throttle rapid rewrites). */
const URL_DELAY_MS = 150

const rowOfT = (steps: readonly Step[], t: number | null): number => {
  if (t === null) return 0
  const k = steps.findIndex((s) => s.t === t)
  return k < 0 ? 0 : k
}

/** Subgoals finished before row k: those whose last step (`<sub_done>`) came earlier. */
function finishedSubgoals(steps: readonly Step[], k: number): Set<number> {
  const done = new Set<number>()
  for (const s of steps.slice(0, k))
    if (s.subDone && s.subgoalIndex !== null) done.add(s.subgoalIndex)
  return done
}

function Replay({
  episode,
  steps,
  query,
  neighbours
}: {
  episode: Episode
  steps: Step[]
  query: string
  neighbours: Neighbours | null
}): React.JSX.Element {
  const view = parseReplayView(query)
  const [row, setRow] = useState(() => rowOfT(steps, view.t))
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set())
  const segments = useMemo(
    () => replaySegments(steps, episode.blueprint),
    [steps, episode.blueprint]
  )
  const segmentOf = useMemo(() => rowSegments(segments, steps.length), [segments, steps.length])
  const last = steps.length - 1
  const k = Math.min(Math.max(0, row), Math.max(0, last))
  const step = steps[k]
  const overlayOpen = useShortcutsOpen()

  // The URL follows the step (replaced, not pushed); a t typed into the URL moves the step.
  const written = useRef<number | null>(view.t)
  const t = step?.t ?? null
  useEffect(() => {
    if (t === null) return
    const timer = setTimeout(() => {
      const next = replayStepQuery(parseRoute(window.location.hash), episode.id, t, steps[0]?.t)
      if (next === null) return
      written.current = t
      replaceRoute(href.replay(episode.id, next))
    }, URL_DELAY_MS)
    return () => clearTimeout(timer)
  }, [t, episode.id, steps])
  useEffect(() => {
    if (view.t === null || view.t === written.current) return
    written.current = view.t
    setRow(rowOfT(steps, view.t))
  }, [view.t, steps])

  const select = (next: number): void => {
    const seg = segmentOf[next] ?? 0
    if (collapsed.has(seg)) setCollapsed(toggled(collapsed, seg))
    setRow(next)
  }
  const go = (n: Neighbour | null): void => {
    if (n) navigate(href.replay(n.episodeId, replayViewQuery({ t: null, list: n.list })))
  }
  const act = (action: ReplayAction): void => {
    if (action === 'episode-next') go(neighbours?.next ?? null)
    else if (action === 'episode-prev') go(neighbours?.prev ?? null)
    else if (action === 'toggle-segment') setCollapsed(toggled(collapsed, segmentOf[k] ?? 0))
    else select(moveRow(action, k, steps.length, segments, segmentOf))
  }
  const latestAct = useRef(act)
  useEffect(() => {
    latestAct.current = act
  })
  useEffect(() => {
    if (overlayOpen) return
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target instanceof HTMLElement ? e.target : null
      const action = keyAction({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        targetTag: target?.tagName ?? null,
        targetType: target instanceof HTMLInputElement ? target.type : null,
        targetEditable: target?.isContentEditable ?? false
      })
      if (!action) return
      e.preventDefault()
      latestAct.current(action)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [overlayOpen])

  const blueprint = episode.blueprint ?? []
  const returns = useMemo(() => runningReturns(steps), [steps])
  return (
    <>
      <EpisodeFacts episode={episode} />
      {blueprint.length > 0 ? (
        <Plan
          blueprint={blueprint}
          active={step?.subgoalIndex ?? null}
          finished={finishedSubgoals(steps, k)}
          onPick={(i) => {
            const first = segments[i]?.rows[0]
            if (first !== undefined) select(first)
          }}
        />
      ) : null}
      {step ? (
        <div className="replay-body">
          <div className="replay-left">
            <StepDetail
              episode={episode}
              step={step}
              k={k}
              last={last}
              ret={returns[k] ?? 0}
              hasSegments={blueprint.length > 0}
              link={href.replay(episode.id, replayViewQuery({ ...view, t: step.t }))}
              onMove={act}
              onSelect={select}
            />
            <CounterfactualList episode={episode} />
            <CounterfactualForm episode={episode} steps={steps} t={step.t} />
            <ReplayAnnotations episode={episode} t={step.t} />
          </div>
          <div className="replay-right">
            <StepList
              steps={steps}
              returns={returns}
              segments={segments}
              segmentOf={segmentOf}
              blueprintLength={blueprint.length}
              collapsed={collapsed}
              current={k}
              onSelect={select}
              onToggle={(s) => setCollapsed(toggled(collapsed, s))}
            />
          </div>
        </div>
      ) : (
        <p className="muted empty-state">This episode has no recorded steps.</p>
      )}
    </>
  )
}

function ListNav({
  list,
  neighbours
}: {
  list: EpisodeList | null
  neighbours: Neighbours | null
}): React.JSX.Element | null {
  if (!list) return null
  const link = (n: Neighbour | null, label: string, testId: string): React.JSX.Element =>
    n ? (
      <a
        className="button small"
        data-testid={testId}
        data-episode={n.episodeId}
        href={href.replay(n.episodeId, replayViewQuery({ t: null, list: n.list }))}
      >
        {label}
      </a>
    ) : (
      <span className="button small disabled" data-testid={testId} aria-disabled="true">
        {label}
      </span>
    )
  const where = list.kind === 'group' ? `group #${list.groupId}` : 'the list'
  return (
    <div className="list-nav" data-testid="list-nav">
      {link(neighbours?.prev ?? null, '‹ k', 'episode-prev')}
      <span className="muted small" data-testid="list-position">
        {neighbours === null
          ? '…'
          : neighbours.position === null
            ? `not in ${where} any more`
            : `${neighbours.position + 1} of ${neighbours.total} in ${where}`}
      </span>
      {link(neighbours?.next ?? null, 'j ›', 'episode-next')}
    </div>
  )
}

function BackLink({
  episode,
  list
}: {
  episode: Episode
  list: EpisodeList | null
}): React.JSX.Element {
  if (list?.kind === 'group')
    return (
      <a href={href.group(list.groupId)} data-testid="back-to-group">
        ← group #{list.groupId}
      </a>
    )
  const query =
    list?.kind === 'run' && list.runId === episode.runId
      ? episodesViewQuery(episodesViewOf(list, EPISODES_PAGE_SIZE))
      : ''
  return (
    <a href={href.episodes(episode.runId, query)} data-testid="back-to-episodes">
      ← episodes of run #{episode.runId}
    </a>
  )
}

export function EpisodeReplay({
  episodeId,
  query
}: {
  episodeId: number
  query: string
}): React.JSX.Element {
  const loaded = useReplay(episodeId)
  const list = parseReplayView(query).list
  const neighbours = useNeighbours(list, episodeId)
  const episode = loaded.data?.episode
  const steps = useMemo(
    () => [...(loaded.data?.steps ?? [])].sort((a, b) => a.t - b.t),
    [loaded.data]
  )
  return (
    <div className="page replay-page" data-testid="episode-replay">
      <header className="pane-header">
        <h2>
          Episode replay <span className="muted">#{episodeId}</span>
        </h2>
        {episode ? (
          <div className="crumbs">
            <BackLink episode={episode} list={list} />
          </div>
        ) : null}
        <span className="spacer" />
        <ListNav list={list} neighbours={neighbours} />
      </header>
      <ErrorMessage error={loaded.error} />
      {loaded.loading && !episode ? (
        <p className="muted loading-state" data-testid="loading">
          Loading…
        </p>
      ) : null}
      {episode ? (
        <Replay episode={episode} steps={steps} query={query} neighbours={neighbours} />
      ) : null}
    </div>
  )
}
