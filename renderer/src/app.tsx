// The shell: left navigation plus the page the hash route names.
import type React from 'react'
import { useConnection } from './api/hooks'
import {
  ShortcutsOverlay,
  ShortcutsProvider,
  useShortcutsOverlay,
  type ShortcutSection
} from './components/shortcuts-overlay'
import { AnnotationsPage } from './features/annotations/annotations-page'
import { ReviewPage } from './features/annotations/review-page'
import { PairPage } from './features/counterfactual/pair-page'
import { ComparePage } from './features/compare/compare-page'
import { GroupPage } from './features/groups/group-page'
import { GroupsPage } from './features/groups/groups-page'
import { EpisodeReplay } from './features/replay/episode-replay'
import { ThemeSwitch } from './features/theme/theme-switch'
import { REPLAY_SHORTCUTS } from './features/replay/model/keys'
import { RunsPage } from './features/runs/runs-page'
import { StudiesPage } from './features/studies/studies-page'
import { StudyPage } from './features/studies/study-page'
import { href, useRoute, type Route } from './router'
import { EpisodesPage } from './views/episodes-page'
import { ExperimentsPage } from './views/experiments-page'

function Page({ route }: { route: Route }): React.JSX.Element {
  switch (route.page) {
    case 'experiments':
      return <ExperimentsPage experimentId={route.experimentId} />
    case 'episodes':
      return <EpisodesPage key={route.runId} runId={route.runId} query={route.query} />
    case 'replay':
      return <EpisodeReplay key={route.episodeId} episodeId={route.episodeId} query={route.query} />
    case 'groups':
      return <GroupsPage key={route.runId} runId={route.runId} query={route.query} />
    case 'group':
      return <GroupPage key={route.groupId} groupId={route.groupId} />
    case 'runs':
      return <RunsPage query={route.query} />
    case 'compare':
      return <ComparePage query={route.query} />
    case 'studies':
      return <StudiesPage />
    case 'study':
      return <StudyPage key={route.studyId} studyId={route.studyId} />
    case 'review':
      return <ReviewPage key={route.runId} runId={route.runId} query={route.query} />
    case 'annotations':
      return <AnnotationsPage query={route.query} />
    case 'pair':
      return (
        <PairPage
          key={`${route.originId} ${route.otherId}`}
          originId={route.originId}
          otherId={route.otherId}
        />
      )
    case 'not-found':
      return (
        <div className="page-message" data-testid="not-found">
          No page at <code>{route.hash}</code>. <a href={href.experiments()}>Go to experiments</a>
        </div>
      )
  }
}

function ConnectionDot(): React.JSX.Element {
  const state = useConnection()
  const down = state === 'down'
  return (
    <div className={down ? 'conn down' : 'conn'} data-testid="connection" data-state={state}>
      {down ? '○ reconnecting to server…' : '● live updates'}
    </div>
  )
}

const SHORTCUTS: readonly ShortcutSection[] = [
  {
    title: 'Everywhere',
    keys: [
      { keys: '?', what: 'show or hide this list' },
      { keys: 'Esc', what: 'close it' }
    ]
  },
  { title: 'Episode replay', keys: REPLAY_SHORTCUTS },
  {
    title: 'Review queue',
    keys: [
      { keys: 'y / n', what: 'yes / no label' },
      { keys: '1 – 5', what: 'score, or a category option by its number' },
      { keys: '0', what: 'clear the label' },
      { keys: 'j / k', what: 'next / previous episode' },
      { keys: 'l', what: 'next label' },
      { keys: 'c', what: 'write a comment' }
    ]
  }
]

export function App(): React.JSX.Element {
  const route = useRoute()
  const overlay = useShortcutsOverlay()
  return (
    <ShortcutsProvider value={overlay}>
      <div className="shell">
        <nav className="nav" aria-label="Main">
          <div className="brand">
            HiMAC <span>Workbench</span>
          </div>
          <a
            href={href.experiments()}
            data-testid="nav-experiments"
            className={route.page === 'experiments' ? 'nav-link active' : 'nav-link'}
          >
            Experiments
          </a>
          <a
            href={href.runs()}
            data-testid="nav-runs"
            className={
              route.page === 'runs' || route.page === 'compare' ? 'nav-link active' : 'nav-link'
            }
          >
            Runs
          </a>
          <a
            href={href.studies()}
            data-testid="nav-studies"
            className={
              route.page === 'studies' || route.page === 'study' ? 'nav-link active' : 'nav-link'
            }
          >
            Studies
          </a>
          <a
            href={href.annotations()}
            data-testid="nav-annotations"
            className={route.page === 'annotations' ? 'nav-link active' : 'nav-link'}
          >
            Annotations
          </a>
          <ConnectionDot />
          <ThemeSwitch />
          <div className="nav-hint">
            Episodes, groups and replays open from an experiment; the runs table compares runs
            across them.
            <br />
            Replay: ← / → step, ↑ / ↓ subgoal, c fold, j / k episode; ? lists every key.
          </div>
          <button
            type="button"
            className="nav-button"
            data-testid="shortcuts-button"
            onClick={() => overlay.setOpen(!overlay.open)}
          >
            Shortcuts <kbd>?</kbd>
          </button>
        </nav>
        <main className="content">
          <Page route={route} />
        </main>
        <ShortcutsOverlay sections={SHORTCUTS} />
      </div>
    </ShortcutsProvider>
  )
}
