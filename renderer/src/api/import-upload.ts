// Web mode's upload of a JSONL file to POST /api/import/episodes (core/api/import-route.ts): the
// file itself is the body; the answer is the import report, bad lines included.
import type { ApiError } from '../../../core/api/entities'

export type UploadReport = {
  file: string
  lines: number
  badLines: { line: number; issues: { path: string; message: string }[] }[]
  runId: number | null
  experimentId: number | null
  episodes: number
  steps: number
  seconds: number
}

export type UploadResult = { data: UploadReport } | { error: ApiError }

export async function uploadEpisodes(
  file: File,
  options: { skipBad?: boolean } = {}
): Promise<UploadResult> {
  const q = new URLSearchParams({ name: file.name })
  if (options.skipBad) q.set('skipBad', 'true')
  try {
    const res = await fetch(`/api/import/episodes?${q.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: file
    })
    const body = (await res.json()) as UploadResult
    if ('data' in body || 'error' in body) return body
    return { error: { type: 'InternalError', message: `unexpected answer (HTTP ${res.status})` } }
  } catch (err) {
    return { error: { type: 'InternalError', message: `upload failed: ${String(err)}` } }
  }
}
