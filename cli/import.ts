// `himac import FILE.jsonl`: episodes (himac.episode v1 or verl-agent.trajectory v1 lines) into a
// new run. Every line is checked first; bad lines are printed with their line numbers and, unless
// --skip-bad, nothing is written (exit 1).
import fs from 'node:fs'
import { SingleBar, Presets } from 'cli-progress'
import { openDatabase, StoreWriter } from '../core/store'
import { importEpisodeFile, ImportError, type ImportReport } from '../core/store/episode-import'
import { UsageError } from './errors'

export type ImportCliOptions = {
  db: string
  experiment?: string
  skipBad?: boolean
  progress: boolean
}

/** Bad lines printed in full; the rest are counted. */
export const PRINTED_BAD_LINES = 20

export function badLinesText(report: ImportReport): string[] {
  const out = report.badLines.slice(0, PRINTED_BAD_LINES).map(({ line, issues }) => {
    const shown = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`)
    const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : ''
    return `  line ${line}: ${shown.join('; ')}${more}`
  })
  const rest = report.badLines.length - PRINTED_BAD_LINES
  if (rest > 0) out.push(`  … and ${rest} more bad lines`)
  return out
}

export async function importCommand(file: string, o: ImportCliOptions): Promise<number> {
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist`)
  const db = openDatabase(o.db)
  const bar = new SingleBar(
    {
      format: 'import |{bar}| {percentage}% | {value}/{total} MB | {eta_formatted}',
      hideCursor: true
    },
    Presets.shades_classic
  )
  let started = false
  const mb = (b: number): number => Math.round(b / 1e5) / 10
  try {
    const report = await importEpisodeFile(db, new StoreWriter(db), file, {
      ...(o.experiment !== undefined ? { experiment: o.experiment } : {}),
      ...(o.skipBad ? { skipBad: true } : {}),
      onProgress: (bytes, total) => {
        if (!o.progress) return
        if (!started) bar.start(mb(total), 0)
        started = true
        bar.update(mb(bytes))
      }
    }).finally(() => {
      if (started) bar.stop()
    })
    const bad = report.badLines.length
    if (bad > 0) {
      console.error(`${file}: ${bad} bad line(s) of ${report.lines}:`)
      for (const l of badLinesText(report)) console.error(l)
    }
    if (report.runId === null) {
      console.error(
        bad > 0
          ? 'nothing was imported; the database is as it was (--skip-bad imports the good lines)'
          : `${file} holds no episodes; nothing was imported`
      )
      return bad > 0 ? 1 : 0
    }
    const steps = report.steps / Math.max(1e-9, report.seconds)
    console.log(
      JSON.stringify(
        {
          runId: report.runId,
          experimentId: report.experimentId,
          episodes: report.episodes,
          steps: report.steps,
          badLines: bad,
          seconds: report.seconds,
          stepsPerSecond: Math.round(steps)
        },
        null,
        2
      )
    )
    return 0
  } catch (err) {
    if (err instanceof ImportError) throw new UsageError(err.message)
    throw err
  } finally {
    db.close()
  }
}
