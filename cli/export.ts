// `himac export`: a run's episodes with their steps as JSONL (himac.episode v1), or a table as
// CSV, to a file (with a progress bar on stderr) or to stdout.
import fs from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { SingleBar, Presets } from 'cli-progress'
import { openDatabase, StoreReader } from '../core/store'
import { countExport, episodeLines, type ExportFilter } from '../core/store/episode-export'
import { episodesCsv, groupsCsv, runsCsv, type CsvTable } from '../core/store/table-csv'
import { UsageError } from './errors'

export type ExportCliOptions = {
  db: string
  run?: number
  phase?: 'train' | 'eval'
  out?: string
  format: 'jsonl' | 'csv'
  table?: CsvTable
  progress: boolean
}

/** Resolves when `out` drains, closes or fails (the error listener of writeLines decides). */
const drained = (out: Writable): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done).off('close', done).off('error', done)
      resolve()
    }
    out.on('drain', done).on('close', done).on('error', done)
  })

/** Writes `lines` to `out`, waiting whenever the stream's buffer is full. */
export async function writeLines(
  out: Writable,
  lines: Iterable<string>,
  onLine?: () => void
): Promise<void> {
  // A reader that goes away (`| head`) ends the export quietly; other errors are thrown.
  let closed = false
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') throw err
    closed = true
  }
  // Stays attached: a broken pipe is reported after the last write too.
  out.on('error', onError)
  for (const line of lines) {
    if (closed) return
    if (!out.write(line)) await drained(out)
    onLine?.()
  }
}

export async function exportCommand(o: ExportCliOptions): Promise<number> {
  if (!fs.existsSync(o.db)) throw new UsageError(`database ${o.db} does not exist`)
  if (o.out !== undefined && fs.existsSync(o.out))
    throw new UsageError(`${o.out} already exists; choose another file`)
  const table = o.format === 'csv' ? (o.table ?? 'runs') : null
  if (table !== 'runs' && o.run === undefined)
    throw new UsageError(`export of ${table ?? 'episodes'} needs --run <id>`)
  const db = openDatabase(o.db, { readonly: true, integrity: 'never' })
  try {
    const reader = new StoreReader(db)
    if (o.run !== undefined && !reader.getRun(o.run))
      throw new UsageError(`run ${o.run} is not in ${o.db}`)
    const filter: ExportFilter = o.phase ? { phase: o.phase } : {}
    const runId = o.run ?? 0
    const lines: Iterable<string> =
      table === 'runs'
        ? runsCsv(reader)
        : table === 'episodes'
          ? episodesCsv(reader, runId, filter)
          : table === 'groups'
            ? groupsCsv(reader, runId)
            : (function* () {
                for (const line of episodeLines(db, runId, filter))
                  yield `${JSON.stringify(line)}\n`
              })()
    const out = o.out === undefined ? process.stdout : fs.createWriteStream(o.out, { flags: 'wx' })
    const showBar = o.progress && o.out !== undefined && table === null && process.stderr.isTTY
    const bar = new SingleBar(
      { format: 'export |{bar}| {value}/{total} episodes | {eta_formatted}', hideCursor: true },
      Presets.shades_classic
    )
    const started = performance.now()
    const total = table === null ? countExport(db, runId, filter) : null
    if (showBar && total) bar.start(total.episodes, 0)
    let n = 0
    await writeLines(out, lines, () => {
      n++
      if (showBar && n % 100 === 0) bar.update(n)
    })
    if (showBar) {
      bar.update(n)
      bar.stop()
    }
    if (out !== process.stdout) {
      out.end()
      await once(out, 'finish')
      const what = table === null ? `${n} episodes, ${total?.steps ?? 0} steps` : `${n - 1} rows`
      const s = (performance.now() - started) / 1000
      console.error(`${o.out}: ${what} in ${s.toFixed(1)} s`)
    }
    return 0
  } finally {
    db.close()
  }
}
