// Opening a workbench database: WAL, foreign keys, migrations, and refusal of newer schemas.
import Database from 'better-sqlite3'
import { DatabaseFileError, databaseFileErrorOf, prepareDatabasePath } from './db-file'
import { registerStoreFunctions } from './functions'
import {
  backupTo,
  checkIntegrity,
  migrationBackupPath,
  shouldCheckAtOpen,
  type IntegrityMode
} from './maintenance'
import { LATEST_VERSION, migrations, type Migration } from './migrations'

export type Db = Database.Database

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number
  ) {
    super(
      `database schema version ${found} is newer than this workbench supports (${supported}); ` +
        'upgrade the workbench to open it'
    )
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Applies pending migrations up to `target` (default: all), each in its own transaction. */
export function migrate(
  db: Db,
  target: number = LATEST_VERSION,
  list: readonly Migration[] = migrations
): void {
  registerStoreFunctions(db)
  const current = schemaVersion(db)
  if (current > list.length) throw new SchemaTooNewError(current, list.length)
  for (const m of list) {
    if (m.version <= current || m.version > target) continue
    // Immediate, and the version read again under the lock: another process opening the same
    // file may have applied this migration while this one waited.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return
      if (m.sql) db.exec(m.sql)
      m.up?.(db)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
}

export type OpenOptions = {
  readonly?: boolean
  migrateTo?: number
  /** Quick integrity check at open: 'auto' for files up to QUICK_CHECK_MAX_BYTES. */
  integrity?: IntegrityMode
  /** Copy the file aside before applying migrations to an existing database (default true). */
  backupBeforeMigrate?: boolean
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (!options.readonly && file !== ':memory:') prepareDatabasePath(file)
  let db: Db
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false
    })
  } catch (err) {
    throw databaseFileErrorOf(file, err)
  }
  try {
    registerStoreFunctions(db)
    db.pragma('busy_timeout = 5000')
    // Reads the header and parses the schema: a file that is not a database, or whose schema is
    // damaged, fails here, before anything is written.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get()
    const v = schemaVersion(db)
    if (v > LATEST_VERSION) throw new SchemaTooNewError(v, LATEST_VERSION)
    if (!options.readonly && shouldCheckAtOpen(file, options.integrity ?? 'auto')) {
      const report = checkIntegrity(db)
      if (!report.ok)
        throw new DatabaseFileError(
          file,
          `the integrity check found damage (${report.problems.slice(0, 3).join('; ')}); ` +
            'restore a backup, or copy what is readable with `himac db backup`'
        )
    }
    if (options.readonly) return db
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    const target = options.migrateTo ?? LATEST_VERSION
    if (v > 0 && v < target && file !== ':memory:' && options.backupBeforeMigrate !== false)
      backupTo(db, migrationBackupPath(file, v))
    migrate(db, target)
    return db
  } catch (err) {
    db.close()
    if (err instanceof DatabaseFileError || err instanceof SchemaTooNewError) throw err
    throw databaseFileErrorOf(file, err)
  }
}
