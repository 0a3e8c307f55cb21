// The group views' data: a run's groups page and facets, and one group, each fetched again when
// the run changes — a trainer of this server stores an iteration's groups before it reports that
// iteration's metrics; another process's writes arrive as `store/changed`.
import type { GroupDetail, GroupFacets, GroupSummary } from '../../../../core/api/entities'
import { useCommand, useEvent, type Query } from '../../api/hooks'
import type { BrowseView } from './model/browse-view'

/** Reloads when `runId` was written by another process or changed status (a resume rewinds). */
function useRunRewrites(runId: number | null, reload: () => void): void {
  useEvent('store/changed', ({ runIds }) => {
    if (runId !== null && runIds.includes(runId)) reload()
  })
  useEvent('run/status', (run) => {
    if (run.id === runId) reload()
  })
}

/** …and after each iteration this server's trainer of `runId` stored. */
function useRunChanges(runId: number, reload: () => void): void {
  useRunRewrites(runId, reload)
  useEvent('run/metrics', (m) => {
    if (m.runId === runId) reload()
  })
}

export function useGroupsPage(
  runId: number,
  view: BrowseView,
  limit: number
): Query<{ total: number; items: GroupSummary[] }> {
  const query = useCommand('groups/page', {
    runId,
    ...(view.iteration !== null ? { iteration: view.iteration } : {}),
    ...(view.level !== null ? { level: view.level } : {}),
    ...(view.taskType !== null ? { taskType: view.taskType } : {}),
    filter: view.filter,
    offset: view.offset,
    limit
  })
  useRunChanges(runId, query.reload)
  return query
}

export function useGroupFacets(runId: number): Query<GroupFacets> {
  const query = useCommand('groups/facets', { runId })
  useRunChanges(runId, query.reload)
  return query
}

export function useGroup(groupId: number): Query<GroupDetail> {
  const query = useCommand('groups/get', { groupId })
  // A stored group changes only when a resumed run deletes its later iterations.
  useRunRewrites(query.data?.group.runId ?? null, query.reload)
  return query
}
