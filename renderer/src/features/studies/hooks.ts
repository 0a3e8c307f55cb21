// The study pages' data: the studies list and one study's report, fetched again when runs change
// (a `himac repro` in another process writes them; `store/changed` names the runs).
import type { StudyReport, StudySummary } from '../../../../core/api/entities'
import { useCommand, useEvent, type Query } from '../../api/hooks'

export function useStudies(): Query<StudySummary[]> {
  const query = useCommand('studies/list', {})
  useEvent('store/changed', () => query.reload())
  return query
}

export function useStudyReport(studyId: number): Query<StudyReport> {
  const query = useCommand('studies/report', { studyId })
  useEvent('store/changed', ({ runIds }) => {
    const mine = new Set(query.data?.runs.map((r) => r.runId) ?? [])
    // New runs of a running study are not in the report yet: reload on any change while running.
    if (query.data?.study.status === 'running' || runIds.some((id) => mine.has(id))) query.reload()
  })
  return query
}
