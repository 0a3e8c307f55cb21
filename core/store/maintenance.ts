// Database upkeep: integrity checks, a backup before migrating, vacuum. Used at open and by `himac db`.
import fs from 'node:fs'
import type { Db } from './open'

/** Files up to this size get a quick integrity check at every open (about 1 s per 100 MB here). */
export const QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024

export type IntegrityMode = 'auto' | 'always' | 'never'

export type IntegrityReport = { ok: boolean; problems: string[] }

/** `quick_check` (O(pages), no index cross-check) or the full `integrity_check`, plus foreign keys. */
export function checkIntegrity(db: Db, full = false): IntegrityReport {
  let rows: Record<string, string>[]
  try {
    rows = db.pragma(full ? 'integrity_check(100)' : 'quick_check(100)') as typeof rows
  } catch (err) {
    // Damage bad enough that the check itself cannot walk the file.
    if (!String((err as { code?: unknown }).code).startsWith('SQLITE_CORRUPT')) throw err
    return { ok: false, problems: [(err as Error).message] }
  }
  const problems = rows.map((r) => Object.values(r)[0] ?? '').filter((m) => m !== 'ok')
  if (full) {
    const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
    for (const f of fk.slice(0, 100))
      problems.push(`row ${f.rowid} of ${f.table} points to a missing ${f.parent} row`)
  }
  return { ok: problems.length === 0, problems }
}

export function shouldCheckAtOpen(file: string, mode: IntegrityMode): boolean {
  if (mode !== 'auto' || file === ':memory:') return mode === 'always'
  return fs.existsSync(file) && fs.statSync(file).size <= QUICK_CHECK_MAX_BYTES
}

/** Where the copy taken before migrating from `version` goes: beside the file, never overwritten. */
export function migrationBackupPath(file: string, version: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  return `${file}.v${version}-${stamp}.bak`
}

/** A consistent copy of the whole database in one file (works while the database is in use). */
export function backupTo(db: Db, target: string): void {
  if (fs.existsSync(target)) throw new Error(`${target} already exists; choose another file`)
  db.prepare('VACUUM INTO ?').run(target)
}

export type VacuumReport = { bytesBefore: number; bytesAfter: number }

export function vacuum(db: Db, file: string): VacuumReport {
  const bytesBefore = fs.statSync(file).size
  db.exec('VACUUM')
  db.pragma('wal_checkpoint(TRUNCATE)')
  return { bytesBefore, bytesAfter: fs.statSync(file).size }
}
