// Download links to web mode's export routes (core/api/export-routes.ts): same-origin GETs that
// the session cookie authorises. The Electron app talks over IPC and has no such URLs, so the
// links are shown in web mode only.
import type { GroupFilter, GroupLevel } from '../../../core/api/entities'

export const downloadsAvailable = (): boolean => typeof window !== 'undefined' && !window.himac

const withQuery = (
  path: string,
  params: Record<string, string | number | boolean | null | undefined>
): string => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null) q.set(k, String(v))
  const text = q.toString()
  return `/api/export/${path}${text ? `?${text}` : ''}`
}

/** More ids than this and the link asks for every run (the URL stays short). */
const MAX_IDS = 300

export const exportUrl = {
  runs: (ids: readonly number[] | null): string =>
    withQuery('runs.csv', { ids: ids && ids.length <= MAX_IDS ? ids.join(',') : null }),
  episodesJsonl: (runId: number, f: { phase?: 'train' | 'eval'; success?: boolean }): string =>
    withQuery(`runs/${runId}/episodes.jsonl`, { phase: f.phase, success: f.success }),
  episodesCsv: (runId: number, f: { phase?: 'train' | 'eval'; success?: boolean }): string =>
    withQuery(`runs/${runId}/episodes.csv`, { phase: f.phase, success: f.success }),
  groupsCsv: (
    runId: number,
    v: {
      iteration: number | null
      level: GroupLevel | null
      filter: GroupFilter
      taskType: string | null
    }
  ): string =>
    withQuery(`runs/${runId}/groups.csv`, {
      iteration: v.iteration,
      level: v.level,
      filter: v.filter === 'all' ? null : v.filter,
      taskType: v.taskType
    })
}
