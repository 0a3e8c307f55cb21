// A run's episodes: server-paged (episodes/page), each page a virtualised table, filterable by
// phase and success, filters and page in the URL (#/runs/:id/episodes?phase=…&success=…&offset=…);
// a row opens the replay with this list in its URL, so that j / k there walk it.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef } from 'react'
import type React from 'react'
import type { Episode } from '../../../core/api/entities'
import { isActive, useEpisodesPage, useRun, type EpisodeFilter } from '../api/hooks'
import { ErrorMessage } from '../components/error-message'
import { StatusBadge } from '../components/status-badge'
import { formatNumber } from '../format'
import {
  EPISODES_PAGE_SIZE,
  episodesViewQuery,
  parseEpisodesView,
  replayViewQuery,
  type EpisodesView
} from '../features/replay/model/replay-url'
import { href, replaceRoute } from '../router'
import { exportUrl } from '../api/export-links'
import { EpisodeFilterSelects } from '../components/episode-filter-selects'
import { ExportLink } from '../components/export-link'

const ROW_HEIGHT = 28

function EpisodeTable({
  items,
  runId,
  view
}: {
  items: Episode[]
  runId: number
  view: EpisodesView
}): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  })
  return (
    <div className="vtable" data-testid="episodes-table" role="table">
      <div className="vrow vhead" role="row">
        <span role="columnheader">#</span>
        <span role="columnheader">iter</span>
        <span role="columnheader">phase</span>
        <span role="columnheader">seed</span>
        <span role="columnheader">task</span>
        <span role="columnheader" className="num">
          return
        </span>
        <span role="columnheader">success</span>
        <span role="columnheader" className="num">
          length
        </span>
      </div>
      <div className="vbody" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const e = items[v.index]
            if (!e) return null
            return (
              <a
                key={e.id}
                role="row"
                href={href.replay(
                  e.id,
                  replayViewQuery({
                    t: null,
                    list: {
                      kind: 'run',
                      runId,
                      phase: view.phase,
                      success: view.success,
                      offset: view.offset + v.index
                    }
                  })
                )}
                className={e.success ? 'vrow ok' : 'vrow'}
                data-testid={`episode-row-${e.id}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
              >
                <span className="num muted">{e.id}</span>
                <span className="num">{e.iteration}</span>
                <span>
                  <span className={`tag tag-${e.phase}`}>{e.phase}</span>
                </span>
                <span className="num mono">{e.seed}</span>
                <span className="ellipsis" title={e.task}>
                  {e.task || <span className="muted">{e.env}</span>}
                </span>
                <span className="num mono">{formatNumber(e.return)}</span>
                <span>
                  {e.success ? (
                    <span className="yes">✓ yes</span>
                  ) : (
                    <span className="muted">no</span>
                  )}
                </span>
                <span className="num">{e.length}</span>
              </a>
            )
          })}
        </div>
      </div>
    </div>
  )
}

export function EpisodesPage({
  runId,
  query
}: {
  runId: number
  query: string
}): React.JSX.Element {
  const run = useRun(runId)
  const view = parseEpisodesView(query)
  const { offset } = view
  const filter: EpisodeFilter = {
    ...(view.phase !== null ? { phase: view.phase } : {}),
    ...(view.success !== null ? { success: view.success } : {})
  }
  const page = useEpisodesPage(runId, offset, EPISODES_PAGE_SIZE, filter)
  const total = page.data?.total ?? 0
  const items = page.data?.items ?? []
  const change = (next: Partial<EpisodesView>): void =>
    replaceRoute(href.episodes(runId, episodesViewQuery({ ...view, ...next })))
  return (
    <div className="page" data-testid="episodes-page">
      <header className="pane-header">
        <h2>
          Episodes <span className="muted">run #{runId}</span>
        </h2>
        {run.data ? (
          <div className="crumbs">
            <a href={href.experiment(run.data.experimentId)}>
              ← experiment #{run.data.experimentId}
            </a>
            <StatusBadge status={run.data.status} />
          </div>
        ) : null}
      </header>
      <ErrorMessage error={run.error ?? page.error} />
      <div className="toolbar">
        <EpisodeFilterSelects
          value={view}
          testIdPrefix="filter"
          onChange={(c) => change({ ...c, offset: 0 })}
        />
        <span className="muted small" data-testid="episodes-total" data-total={total}>
          {total === 0 ? 'no episodes' : `${offset + 1}–${offset + items.length} of ${total}`}
          {page.loading ? ' · loading…' : ''}
        </span>
        <span className="spacer" />
        <ExportLink
          testId="export-episodes-csv"
          href={exportUrl.episodesCsv(runId, filter)}
          title="The episodes that match the filters, as CSV (one row per episode)"
        >
          Export CSV
        </ExportLink>
        <ExportLink
          testId="export-episodes-jsonl"
          href={exportUrl.episodesJsonl(runId, filter)}
          title="The episodes that match the filters with every step, as JSONL (himac.episode v1; himac import reads it)"
        >
          Export JSONL
        </ExportLink>
        {isActive(run.data) ? (
          <button className="button small" onClick={page.reload}>
            Refresh
          </button>
        ) : null}
        <button
          className="button small"
          data-testid="page-prev"
          disabled={offset === 0}
          onClick={() => change({ offset: Math.max(0, offset - EPISODES_PAGE_SIZE) })}
        >
          ← Prev
        </button>
        <button
          className="button small"
          data-testid="page-next"
          disabled={offset + EPISODES_PAGE_SIZE >= total}
          onClick={() => change({ offset: offset + EPISODES_PAGE_SIZE })}
        >
          Next →
        </button>
      </div>
      <EpisodeTable key={query} items={items} runId={runId} view={view} />
      {items.length === 0 && !page.loading ? (
        <p className="muted pad">No episodes match{isActive(run.data) ? ' yet' : ''}.</p>
      ) : null}
      <p className="muted small">
        Click a row to replay the episode step by step; there j / k open the next / previous episode
        of this filtered list.
      </p>
    </div>
  )
}
