// Web mode's upload: POST /api/import/episodes[?name=FILE&experiment=NAME&skipBad=true] with a JSONL file as
// the body (`Content-Type: application/x-ndjson`, which no cross-site HTML form can send; the
// caller has checked Host, Origin and the token). The body is spooled to a temporary file and
// imported as `himac import` does; the answer is `{data: ImportReport}` — bad lines included, in
// which case nothing was written unless skipBad.
import fs from 'node:fs'
import type http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { z } from 'zod'
import { ImportError } from '../store/episode-import'
import { toApiError } from './errors'
import type { WorkbenchService } from './service'

export const IMPORT_PATH = '/api/import/episodes'
/** The largest upload taken (about 2.5 million steps of ALFWorld text). */
export const MAX_IMPORT_BYTES = 1 << 30

const querySchema = z
  .object({
    experiment: z.string().trim().min(1).max(200).optional(),
    /** The uploaded file's name, for the run's note and the default experiment name. */
    name: z.string().trim().min(1).max(200).optional(),
    skipBad: z.enum(['true', 'false']).optional()
  })
  .strict()

class TooLarge extends Error {}

type Send = (status: number, body: unknown) => void

export async function handleImportUpload(
  req: http.IncomingMessage,
  query: string,
  service: WorkbenchService,
  send: Send
): Promise<void> {
  const refuse = (status: number, type: string, message: string): void =>
    send(status, { error: { type, message } })
  if (req.method !== 'POST') return refuse(405, 'ValidationError', `use POST for ${IMPORT_PATH}`)
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/x-ndjson')
    return refuse(415, 'ValidationError', 'send the JSONL file as application/x-ndjson')
  if (Number(req.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES)
    return refuse(413, 'ValidationError', `uploads over ${MAX_IMPORT_BYTES} bytes are refused`)
  const q = querySchema.safeParse(Object.fromEntries(new URLSearchParams(query)))
  if (!q.success)
    return refuse(400, 'ValidationError', `bad query: ${q.error.issues[0]?.message ?? ''}`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-upload-'))
  const file = path.join(dir, 'upload.jsonl')
  try {
    let size = 0
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length
        done(size > MAX_IMPORT_BYTES ? new TooLarge() : null, chunk)
      }
    })
    await pipeline(req, cap, fs.createWriteStream(file))
    const report = await service.importEpisodes(file, {
      ...(q.data.experiment ? { experiment: q.data.experiment } : {}),
      ...(q.data.skipBad === 'true' ? { skipBad: true } : {}),
      sourceName: q.data.name ?? 'upload.jsonl'
    })
    send(200, { data: { ...report, file: q.data.name ?? 'upload.jsonl' } })
  } catch (err) {
    if (err instanceof TooLarge)
      return refuse(413, 'ValidationError', `uploads over ${MAX_IMPORT_BYTES} bytes are refused`)
    if (err instanceof ImportError) return refuse(409, 'Conflict', err.message)
    const e = toApiError(err)
    send(e.type === 'Conflict' ? 409 : 500, { error: e })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
