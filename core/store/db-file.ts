// Checks on a database file before and while opening it, so that a bad path or a file that is not
// a workbench database gets one clear sentence (which file, what is wrong, nothing changed).
import fs from 'node:fs'
import path from 'node:path'

/** A database file that cannot be used; the message is meant for the user as is. */
export class DatabaseFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string
  ) {
    super(`cannot use database ${file}: ${reason}; nothing was changed`)
  }
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code
}

/**
 * Creates the folders above `file` where missing, one level at a time from the nearest existing
 * ancestor (recursive mkdir loops forever under /proc), and checks that the file can be written.
 */
export function prepareDatabasePath(file: string): void {
  const target = path.resolve(file)
  const missing: string[] = []
  let dir = path.dirname(target)
  while (!fs.existsSync(dir)) {
    missing.unshift(dir)
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  if (!fs.statSync(dir).isDirectory()) throw new DatabaseFileError(file, `${dir} is not a folder`)
  for (const d of missing) {
    try {
      fs.mkdirSync(d)
    } catch (err) {
      const why = errnoOf(err) === 'EACCES' ? 'permission denied' : (errnoOf(err) ?? String(err))
      throw new DatabaseFileError(file, `its folder ${d} cannot be created (${why})`)
    }
  }
  if (fs.existsSync(target)) {
    if (fs.statSync(target).isDirectory()) throw new DatabaseFileError(file, 'it is a folder')
    try {
      fs.accessSync(target, fs.constants.R_OK | fs.constants.W_OK)
    } catch {
      throw new DatabaseFileError(file, 'permission denied (it cannot be read and written)')
    }
  }
  try {
    // SQLite writes the -wal and -shm files beside the database.
    fs.accessSync(path.dirname(target), fs.constants.W_OK | fs.constants.X_OK)
  } catch {
    throw new DatabaseFileError(file, `permission denied on its folder ${path.dirname(target)}`)
  }
}

const SQLITE_REASONS: Record<string, string> = {
  SQLITE_NOTADB: 'it is not a SQLite database',
  SQLITE_CORRUPT: 'the database is damaged (malformed)',
  SQLITE_CANTOPEN: 'the file cannot be opened',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_PERM: 'permission denied',
  SQLITE_IOERR: 'an I/O error occurred while reading it',
  SQLITE_FULL: 'the disk is full'
}

/** Turns SQLite's errors about the file itself into a DatabaseFileError; others pass through. */
export function databaseFileErrorOf(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | undefined)?.code
  if (typeof code !== 'string') return err
  const base = Object.keys(SQLITE_REASONS).find((k) => code === k || code.startsWith(`${k}_`))
  if (!base) return err
  return new DatabaseFileError(file, `${SQLITE_REASONS[base]} (${(err as Error).message})`)
}

/** The disk (or the database's size limit) is full: a write was rolled back, earlier ones are kept. */
export class DiskFullError extends Error {
  constructor(
    readonly file: string,
    detail: string
  ) {
    super(
      `disk full: database ${file} cannot grow (${detail}); the last write was rolled back and ` +
        'everything committed before it is kept. Free some space, then resume the run'
    )
  }
}

/** SQLITE_FULL from a write becomes a DiskFullError; other errors pass through. */
export function storageErrorOf(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | undefined)?.code
  if (code !== 'SQLITE_FULL') return err
  return new DiskFullError(file, (err as Error).message)
}
