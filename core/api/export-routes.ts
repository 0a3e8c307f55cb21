// Web mode's downloads (GET, same session token as the API; README "Export and import"):
//   /api/export/runs.csv[?ids=1,2]                   the runs table
//   /api/export/runs/:id/episodes.jsonl[?phase=&success=]  episodes with steps, himac.episode v1
//   /api/export/runs/:id/episodes.csv[?phase=&success=]
//   /api/export/runs/:id/groups.csv[?iteration=&level=&filter=&taskType=]
// Streamed with backpressure; the JSONL export reads through a read-only connection of its own,
// since a streaming statement keeps its connection busy while the download waits on the client.
import type http from 'node:http'
import { z } from 'zod'
import { openDatabase, type StoreReader } from '../store'
import { episodeLines, type ExportFilter } from '../store/episode-export'
import { episodesCsv, groupsCsv, runsCsv } from '../store/table-csv'
import { groupFilterSchema, groupLevelSchema } from './group-entities'

export const EXPORT_PREFIX = '/api/export/'

const phase = z.enum(['train', 'eval']).optional()
const bool = z.enum(['true', 'false']).optional()
const whole = z.string().regex(/^\d+$/, 'a whole number').transform(Number)

const queries = {
  runs: z.object({
    ids: z
      .string()
      .regex(/^\d+(,\d+)*$/, 'run ids, comma-separated')
      .optional()
  }),
  'episodes.jsonl': z.object({ phase, success: bool }),
  'episodes.csv': z.object({ phase, success: bool }),
  'groups.csv': z.object({
    iteration: whole.optional(),
    level: groupLevelSchema.optional(),
    filter: groupFilterSchema.optional(),
    taskType: z.string().min(1).max(100).optional()
  })
}

type Send = (status: number, message: string) => void

async function stream(
  res: http.ServerResponse,
  headers: http.OutgoingHttpHeaders,
  lines: Iterable<string>,
  done: () => void = () => undefined
): Promise<void> {
  let gone = false
  res.on('close', () => (gone = true))
  res.writeHead(200, headers)
  try {
    for (const line of lines) {
      if (gone) break
      if (!res.write(line))
        await new Promise<void>((resolve) => {
          const go = (): void => {
            res.off('drain', go).off('close', go)
            resolve()
          }
          res.on('drain', go).on('close', go)
        })
    }
    res.end()
  } catch (err) {
    // Headers are out: the client sees a cut download, not a silent partial file.
    res.destroy(err instanceof Error ? err : new Error(String(err)))
  } finally {
    done()
  }
}

/** One export, ready to be written: its file name, type and lines (close() ends the read). */
export type ExportPlan = {
  filename: string
  contentType: string
  lines: Iterable<string>
  close(): void
}

/**
 * The export an /api/export/… path and query name (shared by web mode's downloads and the desktop
 * app's save dialog), or why there is none (an HTTP status and a message).
 */
export function resolveExport(
  pathname: string,
  query: string,
  ctx: { reader: StoreReader; dbPath: string }
): ExportPlan | { status: number; message: string } {
  const rest = pathname.slice(EXPORT_PREFIX.length)
  const m = /^runs(?:\/(\d+)\/(episodes\.jsonl|episodes\.csv|groups\.csv)|\.csv)$/.exec(rest)
  if (!pathname.startsWith(EXPORT_PREFIX) || !m)
    return { status: 404, message: `no export at ${pathname}` }
  const kind = (m[2] ?? 'runs') as keyof typeof queries
  const parsed = queries[kind].safeParse(Object.fromEntries(new URLSearchParams(query)))
  if (!parsed.success) {
    const i = parsed.error.issues[0]
    return {
      status: 400,
      message: `bad query: ${i?.path.join('.') ?? ''} ${i?.message ?? ''}`.trim()
    }
  }
  const q = parsed.data as Record<string, string | number | undefined>
  const csv = 'text/csv; charset=utf-8'
  const plan = (filename: string, contentType: string, lines: Iterable<string>): ExportPlan => ({
    filename,
    contentType,
    lines,
    close: () => undefined
  })
  if (kind === 'runs') {
    const ids = typeof q['ids'] === 'string' ? new Set(q['ids'].split(',').map(Number)) : null
    return plan('runs.csv', csv, runsCsv(ctx.reader, ids))
  }
  const runId = Number(m[1])
  if (!ctx.reader.getRun(runId)) return { status: 404, message: `run ${runId} does not exist` }
  const p = q['phase']
  const filter: ExportFilter = {
    ...(p === 'train' || p === 'eval' ? { phase: p } : {}),
    ...(q['success'] === undefined ? {} : { success: q['success'] === 'true' })
  }
  if (kind === 'episodes.csv')
    return plan(`run-${runId}-episodes.csv`, csv, episodesCsv(ctx.reader, runId, filter))
  if (kind === 'groups.csv') {
    const g = parsed.data as z.output<(typeof queries)['groups.csv']>
    return plan(
      `run-${runId}-groups.csv`,
      csv,
      groupsCsv(ctx.reader, runId, {
        ...(g.iteration !== undefined ? { iteration: g.iteration } : {}),
        ...(g.level ? { level: g.level } : {}),
        ...(g.filter ? { filter: g.filter } : {}),
        ...(g.taskType ? { taskType: g.taskType } : {})
      })
    )
  }
  const db = openDatabase(ctx.dbPath, { readonly: true, integrity: 'never' })
  const lines = (function* () {
    for (const line of episodeLines(db, runId, filter)) yield `${JSON.stringify(line)}\n`
  })()
  return {
    filename: `run-${runId}-episodes.jsonl`,
    contentType: 'application/x-ndjson; charset=utf-8',
    lines,
    close: () => {
      lines.return(undefined)
      db.close()
    }
  }
}

/**
 * Answers a GET under /api/export/ (the caller has checked Host, Origin and the token). `query` is
 * the request's query text without '?'.
 */
export async function handleExport(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  query: string,
  ctx: { reader: StoreReader; dbPath: string; securityHeaders: http.OutgoingHttpHeaders },
  send: Send
): Promise<void> {
  if (req.method !== 'GET') return send(405, `use GET for ${pathname}`)
  const plan = resolveExport(pathname, query, ctx)
  if (!('lines' in plan)) return send(plan.status, plan.message)
  return stream(
    res,
    {
      ...ctx.securityHeaders,
      'content-type': plan.contentType,
      'content-disposition': `attachment; filename="${plan.filename}"`
    },
    plan.lines,
    plan.close
  )
}
