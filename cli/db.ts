// `himac db check|vacuum|backup`: look after a workbench database file.
import fs from 'node:fs'
import path from 'node:path'
import {
  backupTo,
  checkIntegrity,
  DatabaseFileError,
  openDatabase,
  schemaVersion,
  StoreReader,
  vacuum,
  type Db
} from '../core/store'
import { UsageError } from './errors'

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`

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
