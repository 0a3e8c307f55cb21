// A run's episodes: server-paged (episodes/page), each page a virtualised table, filterable by
// phase and success; a row opens the replay.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef, useState } from 'react'
import type React from 'react'
import type { Episode } from '../../../core/api/entities'
import { isActive, useEpisodesPage, useRun, type EpisodeFilter } from '../api/hooks'
import { ErrorMessage } from '../components/error-message'
import { StatusBadge } from '../components/status-badge'
import { formatNumber } from '../format'
import { href } from '../router'
import { downloadsAvailable, exportUrl } from '../api/export-links'

const PAGE_SIZE = 200
const ROW_HEIGHT = 28

function EpisodeTable({ items }: { items: Episode[] }): React.JSX.Element {
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
                href={href.replay(e.id)}
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

export function EpisodesPage({ runId }: { runId: number }): React.JSX.Element {
  const run = useRun(runId)
  const [filter, setFilter] = useState<EpisodeFilter>({})
  const [offset, setOffset] = useState(0)
  const page = useEpisodesPage(runId, offset, PAGE_SIZE, filter)
  const total = page.data?.total ?? 0
  const items = page.data?.items ?? []
  const changeFilter = (next: EpisodeFilter): void => {
    setFilter(next)
    setOffset(0)
  }
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
        <label>
          Phase{' '}
          <select
            data-testid="filter-phase"
            value={filter.phase ?? ''}
            onChange={(e) => {
              const v = e.target.value
              const { phase: _drop, ...rest } = filter
              changeFilter(v === 'train' || v === 'eval' ? { ...rest, phase: v } : rest)
            }}
          >
            <option value="">all</option>
            <option value="train">train</option>
            <option value="eval">eval</option>
          </select>
        </label>
        <label>
          Success{' '}
          <select
            data-testid="filter-success"
            value={filter.success === undefined ? '' : String(filter.success)}
            onChange={(e) => {
              const v = e.target.value
              const { success: _drop, ...rest } = filter
              changeFilter(v === '' ? rest : { ...rest, success: v === 'true' })
            }}
          >
            <option value="">all</option>
            <option value="true">succeeded</option>
            <option value="false">failed</option>
          </select>
        </label>
        <span className="muted small" data-testid="episodes-total" data-total={total}>
          {total === 0 ? 'no episodes' : `${offset + 1}–${offset + items.length} of ${total}`}
          {page.loading ? ' · loading…' : ''}
        </span>
        <span className="spacer" />
        {downloadsAvailable() ? (
          <>
            <a
              className="button small"
              data-testid="export-episodes-csv"
              href={exportUrl.episodesCsv(runId, filter)}
              download
              title="The episodes that match the filters, as CSV (one row per episode)"
            >
              Export CSV
            </a>
            <a
              className="button small"
              data-testid="export-episodes-jsonl"
              href={exportUrl.episodesJsonl(runId, filter)}
              download
              title="The episodes that match the filters with every step, as JSONL (himac.episode v1; himac import reads it)"
            >
              Export JSONL
            </a>
          </>
        ) : null}
        {isActive(run.data) ? (
          <button className="button small" onClick={page.reload}>
            Refresh
          </button>
        ) : null}
        <button
          className="button small"
          data-testid="page-prev"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        >
          ← Prev
        </button>
        <button
          className="button small"
          data-testid="page-next"
          disabled={offset + PAGE_SIZE >= total}
          onClick={() => setOffset(offset + PAGE_SIZE)}
        >
          Next →
        </button>
      </div>
      <EpisodeTable key={`${offset} ${JSON.stringify(filter)}`} items={items} />
      {items.length === 0 && !page.loading ? (
        <p className="muted pad">No episodes match{isActive(run.data) ? ' yet' : ''}.</p>
      ) : null}
      <p className="muted small">Click a row to replay the episode step by step.</p>
    </div>
  )
}
