// `himac db check|vacuum|backup|thin`: look after a workbench database file.
import fs from 'node:fs'
import path from 'node:path'
import {
  backupTo,
  checkIntegrity,
  DatabaseFileError,
  openDatabase,
  schemaVersion,
  StoreReader,
  StoreWriter,
  vacuum,
  type Db
} from '../core/store'
import type { CheckpointRetain } from '../core/store/records'
import { retainOfStored } from '../core/train/checkpoint-retain'
import { UsageError } from './errors'

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`
/** kB below a megabyte: step packs of a small database. */
const size = (bytes: number): string => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : mb(bytes))

function mustExist(file: string): void {
  if (!fs.existsSync(file)) throw new UsageError(`database ${file} does not exist`)
}

/** Full integrity and foreign-key check; exit code 1 when damage is found. */
export function dbCheck(o: { db: string }): number {
  mustExist(o.db)
  let db: Db
  try {
    db = openDatabase(o.db, { readonly: true, integrity: 'never' })
  } catch (err) {
    if (!(err instanceof DatabaseFileError)) throw err
    console.log(`${o.db}: 1 problem(s):\n  ${err.reason}`)
    return 1
  }
  try {
    const report = checkIntegrity(db, true)
    const reader = new StoreReader(db)
    const count = (t: 'runs' | 'episodes' | 'steps'): string => {
      try {
        return `${reader.countRows(t)} ${t}`
      } catch {
        return `? ${t} (unreadable)`
      }
    }
    const counts = (['runs', 'episodes', 'steps'] as const).map(count).join(', ')
    const head = `${o.db}: schema v${schemaVersion(db)}, ${counts}, ${mb(fs.statSync(o.db).size)}`
    if (report.ok) {
      console.log(`${head}; integrity ok`)
      return 0
    }
    console.log(`${head}; ${report.problems.length} problem(s):`)
    for (const p of report.problems) console.log(`  ${p}`)
    return 1
  } finally {
    db.close()
  }
}

export function dbVacuum(o: { db: string }): number {
  mustExist(o.db)
  const db = openDatabase(o.db)
  try {
    const r = vacuum(db, o.db)
    console.log(`${o.db}: ${mb(r.bytesBefore)} → ${mb(r.bytesAfter)}`)
    return 0
  } finally {
    db.close()
  }
}

export function dbBackup(o: { db: string; to: string }): number {
  mustExist(o.db)
  const target = path.resolve(o.to)
  if (fs.existsSync(target)) throw new UsageError(`${target} already exists; choose another file`)
  const db = openDatabase(o.db, { readonly: true, integrity: 'never' })
  try {
    backupTo(db, target)
    console.log(`${o.db} → ${target} (${mb(fs.statSync(target).size)})`)
    return 0
  } finally {
    db.close()
  }
}

/**
 * Cuts every run's checkpoints but its newest down to their weights, as trainers have done since
 * migration 15 (runs resume only from their newest checkpoint). For databases written before;
 * `himac db vacuum` then gives the space back to the disk.
 */
export function dbThin(o: { db: string }): number {
  mustExist(o.db)
  const db = openDatabase(o.db)
  try {
    const writer = new StoreWriter(db)
    const total = (): number =>
      db
        .prepare('SELECT COALESCE(SUM(length(weights)), 0) FROM checkpoints')
        .pluck()
        .get() as number
    const before = total()
    const runs = db
      .prepare('SELECT DISTINCT run_id FROM checkpoints ORDER BY run_id')
      .pluck()
      .all() as number[]
    const whole = db.prepare(
      `SELECT id, format, meta_json FROM checkpoints
       WHERE run_id = ? AND retain_json IS NULL ORDER BY iteration, id`
    )
    const newestOf = db
      .prepare('SELECT id FROM checkpoints WHERE run_id = ? ORDER BY iteration DESC, id DESC')
      .pluck()
    // One blob at a time: checkpoints run to tens of MB each.
    const blobOf = db.prepare('SELECT weights FROM checkpoints WHERE id = ?').pluck()
    let cut = 0
    for (const runId of runs) {
      const rows = whole.all(runId) as { id: number; format: string; meta_json: string }[]
      const newest = newestOf.get(runId) as number
      const retains = new Map<number, CheckpointRetain>()
      for (const row of rows) {
        const blob = blobOf.get(row.id) as Buffer
        let retain: CheckpointRetain | null
        try {
          retain = retainOfStored(row.format, blob, JSON.parse(row.meta_json))
        } catch (err) {
          console.log(
            `run ${runId}: checkpoint ${row.id} left whole (${err instanceof Error ? err.message : String(err)})`
          )
          continue
        }
        if (retain) retains.set(row.id, retain)
      }
      const n = writer.retainCheckpoints(runId, newest, retains)
      if (n > 0) console.log(`run ${runId}: ${n} older checkpoint(s) cut to their weights`)
      cut += n
    }
    const after = total()
    console.log(
      `${o.db}: ${cut} checkpoint(s) cut, checkpoint blobs ${mb(before)} → ${mb(after)}` +
        (cut > 0 ? '; run `himac db vacuum` to shrink the file' : '')
    )
    return 0
  } finally {
    db.close()
  }
}

/**
 * Packs every run's steps again with the newest codec (pack format 3) and base episodes, one run per
 * transaction, for databases written before; `himac db vacuum` then gives the space back.
 */
export function dbRepack(o: { db: string }): number {
  mustExist(o.db)
  const db = openDatabase(o.db)
  try {
    const writer = new StoreWriter(db)
    const runs = db.prepare('SELECT id FROM runs ORDER BY id').pluck().all() as number[]
    let before = 0
    let after = 0
    for (const runId of runs) {
      const r = writer.repackRun(runId)
      if (r.episodes === 0) continue
      console.log(
        `run ${runId}: ${r.episodes} episode(s), step packs ${size(r.before)} → ${size(r.after)}`
      )
      before += r.before
      after += r.after
    }
    console.log(
      `${o.db}: step packs ${size(before)} → ${size(after)}; run \`himac db vacuum\` to shrink the file`
    )
    return 0
  } finally {
    db.close()
  }
}
