// A run's rollout groups (#/runs/:id/groups?…): one row per group — one task at one iteration —
// browsed by iteration, level and task type, filtered by outcome, server-paged; a row opens the
// group's blueprint view. The view lives in the URL.
import { useMemo } from 'react'
import type React from 'react'
import type { GroupSummary } from '../../../../core/api/entities'
import { useRun } from '../../api/hooks'
import { ErrorMessage } from '../../components/error-message'
import { StatusBadge } from '../../components/status-badge'
import { formatNumber } from '../../format'
import { href, navigate, replaceRoute } from '../../router'
import { exportUrl } from '../../api/export-links'
import { ExportLink } from '../../components/export-link'
import { useGroupFacets, useGroupsPage } from './hooks'
import {
  browseViewQuery,
  GROUP_FILTERS,
  parseBrowseView,
  type BrowseView
} from './model/browse-view'
import { LevelTag, ZStarOutcome } from './parts'
import './groups.css'

const PAGE_SIZE = 50

function GroupRow({ g }: { g: GroupSummary }): React.JSX.Element {
  const open = (): void => navigate(href.group(g.id))
  return (
    <tr
      data-testid={`group-row-${g.id}`}
      data-level={g.level}
      data-all-equal={g.allEqual}
      onClick={open}
      onKeyDown={(e) => e.key === 'Enter' && open()}
      tabIndex={0}
    >
      <td className="num muted">
        <a href={href.group(g.id)}>{g.id}</a>
      </td>
      <td className="num">{g.iteration}</td>
      <td>
        <LevelTag level={g.level} />
      </td>
      <td className="ellipsis grp-task" title={g.task}>
        {g.task}
      </td>
      <td className="mono small">{g.taskType ?? '—'}</td>
      <td className="num">{g.size}</td>
      <td className="num">{g.level === 'flat' ? '—' : g.distinctBlueprints}</td>
      <td className="num mono">{formatNumber(g.bestReturn)}</td>
      <td className="num mono">{formatNumber(g.meanReturn)}</td>
      <td>{g.allEqual ? <span className="tag grp-flat-tag">all equal</span> : null}</td>
      <td>
        <ZStarOutcome success={g.zStarSuccess} />
      </td>
      <td className="small">
        {g.parentGroupId !== null ? (
          <a href={href.group(g.parentGroupId)} onClick={(e) => e.stopPropagation()}>
            ↑ Phase A #{g.parentGroupId}
          </a>
        ) : g.childGroupId !== null ? (
          <a href={href.group(g.childGroupId)} onClick={(e) => e.stopPropagation()}>
            ↓ Phase B #{g.childGroupId}
          </a>
        ) : null}
      </td>
    </tr>
  )
}

export function GroupsPage({ runId, query }: { runId: number; query: string }): React.JSX.Element {
  const view = useMemo(() => parseBrowseView(query), [query])
  const setView = (next: Partial<BrowseView>): void =>
    replaceRoute(href.groups(runId, browseViewQuery({ ...view, offset: 0, ...next })))
  const run = useRun(runId)
  const facets = useGroupFacets(runId)
  const page = useGroupsPage(runId, view, PAGE_SIZE)
  const total = page.data?.total ?? 0
  const items = page.data?.items ?? []
  const f = facets.data
  return (
    <div className="page" data-testid="groups-page" data-run-id={runId}>
      <header className="pane-header">
        <h2>
          Groups <span className="muted">run #{runId}</span>
        </h2>
        {run.data ? (
          <div className="crumbs">
            <a href={href.experiment(run.data.experimentId)}>
              ← experiment #{run.data.experimentId}
            </a>
            <a href={href.episodes(runId)}>episodes</a>
            <StatusBadge status={run.data.status} />
          </div>
        ) : null}
      </header>
      <ErrorMessage error={run.error ?? facets.error ?? page.error} />
      <div className="toolbar">
        <label>
          Iteration{' '}
          <select
            data-testid="groups-iteration"
            value={view.iteration ?? ''}
            onChange={(e) =>
              setView({ iteration: e.target.value === '' ? null : Number(e.target.value) })
            }
          >
            <option value="">all</option>
            {(f?.iterations ?? []).map((it) => (
              <option key={it} value={it}>
                {it}
              </option>
            ))}
          </select>
        </label>
        <label>
          Level{' '}
          <select
            data-testid="groups-level"
            value={view.level ?? ''}
            onChange={(e) =>
              setView({ level: (f?.levels ?? []).find((l) => l === e.target.value) ?? null })
            }
          >
            <option value="">all</option>
            {(f?.levels ?? []).map((l) => (
              <option key={l} value={l}>
                {l === 'macro' ? 'macro (Phase A)' : l === 'micro' ? 'micro (Phase B)' : l}
              </option>
            ))}
          </select>
        </label>
        {f && f.taskTypes.length > 0 ? (
          <label>
            Task type{' '}
            <select
              data-testid="groups-task-type"
              value={view.taskType ?? ''}
              onChange={(e) => setView({ taskType: e.target.value || null })}
            >
              <option value="">all</option>
              {f.taskTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Show{' '}
          <select
            data-testid="groups-filter"
            value={view.filter}
            onChange={(e) =>
              setView({
                filter: GROUP_FILTERS.find((x) => x.value === e.target.value)?.value ?? 'all'
              })
            }
          >
            {GROUP_FILTERS.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small" data-testid="groups-total" data-total={total}>
          {total === 0
            ? 'no groups'
            : `${view.offset + 1}–${view.offset + items.length} of ${total}`}
          {page.loading ? ' · loading…' : ''}
        </span>
        <span className="spacer" />
        <ExportLink
          testId="export-groups-csv"
          href={exportUrl.groupsCsv(runId, view)}
          title="The groups that match the choices above, as CSV (one row per group)"
        >
          Export CSV
        </ExportLink>
        <button
          className="button small"
          data-testid="groups-prev"
          disabled={view.offset === 0}
          onClick={() => setView({ offset: Math.max(0, view.offset - PAGE_SIZE) })}
        >
          ← Prev
        </button>
        <button
          className="button small"
          data-testid="groups-next"
          disabled={view.offset + PAGE_SIZE >= total}
          onClick={() => setView({ offset: view.offset + PAGE_SIZE })}
        >
          Next →
        </button>
      </div>
      <div className="grp-table-wrap">
        <table className="table selectable grp-table" data-testid="groups-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th className="num">iter</th>
              <th>level</th>
              <th>task</th>
              <th>task type</th>
              <th className="num">size</th>
              <th className="num" title="distinct blueprints">
                plans
              </th>
              <th className="num">best</th>
              <th className="num">mean</th>
              <th title="every member got the same return: no learning signal">returns</th>
              <th>z*</th>
              <th>linked</th>
            </tr>
          </thead>
          <tbody>
            {items.map((g) => (
              <GroupRow key={g.id} g={g} />
            ))}
          </tbody>
        </table>
      </div>
      {items.length === 0 && !page.loading ? (
        <p className="muted pad" data-testid="groups-empty">
          No groups match. Flat runs store one level of groups; HiMAC runs a Phase-A (macro) and a
          Phase-B (micro) group per task and iteration.
        </p>
      ) : null}
      <p className="muted small">
        Click a group to compare its members side by side. z*: the blueprint Phase B executes (the
        best return, ties by plan log-prob).
      </p>
    </div>
  )
}
