// Exports by their web-mode path (core/api/export-routes.ts): in web mode a same-origin GET that the
// session cookie authorises (a download link); in the desktop app the same path goes to main, which
// shows the save dialog and writes the file (electron/main/files.ts).
import type { GroupFilter, GroupLevel } from '../../../core/api/entities'

/** The desktop app's file dialogs (electron/preload); absent in web mode. */
export type DesktopFiles = {
  saveExport(path: string): Promise<unknown>
  importFile(options: { skipBad?: boolean; file?: string }): Promise<unknown>
}

/** The desktop bridge's file dialogs, or null in web mode (downloads and uploads go over HTTP). */
export const desktopFiles = (): DesktopFiles | null => {
  if (typeof window === 'undefined' || !window.himac) return null
  return (window.himac as { files?: DesktopFiles }).files ?? null
}

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
