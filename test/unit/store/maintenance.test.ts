// Integrity checks at open, the backup taken before migrating, and `himac db` upkeep on real files.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import {
  backupTo,
  checkIntegrity,
  DatabaseFileError,
  LATEST_VERSION,
  openDatabase,
  schemaVersion,
  StoreWriter,
  vacuum
} from '../../../core/store'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const sha = (file: string): string =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** A database with `episodes` one-step episodes, checkpointed into the main file. */
function filledDb(name: string, episodes: number, migrateTo = LATEST_VERSION): string {
  const file = tmp.file(name)
  const db = openDatabase(file, { migrateTo })
  const config = experimentConfigSchema.parse({})
  const exp = db.prepare('INSERT INTO experiments (name, config_json) VALUES (?, ?)')
  const expId = Number(exp.run('e', JSON.stringify(config)).lastInsertRowid)
  const runId = Number(
    db
      .prepare(
        "INSERT INTO runs (experiment_id, status, seed, config_json, iterations) VALUES (?, 'completed', 0, ?, 1)"
      )
      .run(expId, JSON.stringify(config)).lastInsertRowid
  )
  const task = (i: number): string => `task number ${i} `.repeat(8)
  if (migrateTo >= 17) {
    new StoreWriter(db).insertRollouts(runId, {
      iteration: 0,
      groups: [],
      loose: Array.from({ length: episodes }, (_, i) => ({
        phase: 'train' as const,
        memberIndex: 0,
        env: 'sokoban',
        task: task(i),
        seed: i,
        blueprint: null,
        return: 1,
        success: true,
        length: 1,
        steps: []
      }))
    })
  } else {
    // Before migration 17 (episode_rows + tasks) the task text is a column of episodes.
    const ep = db.prepare(
      "INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (?, 0, 'train', 0, 'sokoban', ?, ?, 1, 1, 1)"
    )
    db.transaction(() => {
      for (let i = 0; i < episodes; i++) ep.run(runId, task(i), i)
    })()
  }
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return file
}

describe('integrity check at open', () => {
  it('refuses a file with damaged data pages, naming it, and leaves it unchanged', () => {
    const file = filledDb('damaged.db', 4000)
    const size = fs.statSync(file).size
    const pageSize = 4096
    // Scribble over the header of a page in the middle of the episodes table.
    const page = Math.floor(size / pageSize / 2)
    const fd = fs.openSync(file, 'r+')
    fs.writeSync(fd, Buffer.alloc(64, 0xee), 0, 64, page * pageSize)
    fs.closeSync(fd)
    const before = sha(file)
    let error: unknown
    try {
      openDatabase(file)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(DatabaseFileError)
    expect((error as Error).message).toMatch(
      /damaged\.db: (the integrity check found damage|the database is damaged)/
    )
    expect((error as Error).message).toMatch(/nothing was changed$/)
    expect(sha(file)).toBe(before)
    // The full check reports the same damage without refusing to open.
    const db = openDatabase(file, { readonly: true, integrity: 'never' })
    expect(checkIntegrity(db, true).ok).toBe(false)
    db.close()
  })

  it('passes a sound database, and finds nothing wrong in it', () => {
    const file = filledDb('sound.db', 50)
    const db = openDatabase(file)
    expect(checkIntegrity(db, true)).toEqual({ ok: true, problems: [] })
    db.close()
  })
})

describe('backup before migrating', () => {
  it('copies an older database aside before applying migrations, with its data', () => {
    const file = filledDb('old.db', 20, 1)
    openDatabase(file).close()
    const backups = fs.readdirSync(tmp.dir).filter((f) => f.startsWith('old.db.v1-'))
    expect(backups).toHaveLength(1)
    const copy = new Database(path.join(tmp.dir, backups[0]!), { readonly: true })
    expect(schemaVersion(copy)).toBe(1)
    expect(copy.prepare('SELECT COUNT(*) AS n FROM episodes').get()).toEqual({ n: 20 })
    copy.close()
    const migrated = openDatabase(file, { readonly: true })
    expect(schemaVersion(migrated)).toBe(LATEST_VERSION)
    migrated.close()
  })

  it('takes no backup for a new file or an up-to-date one', () => {
    const file = filledDb('current.db', 5)
    openDatabase(file).close()
    expect(fs.readdirSync(tmp.dir).filter((f) => f.startsWith('current.db.v'))).toEqual([])
  })
})

describe('backup and vacuum', () => {
  it('backupTo writes a consistent copy and refuses to overwrite', () => {
    const file = filledDb('src.db', 30)
    const db = openDatabase(file)
    const target = tmp.file('copy.db')
    backupTo(db, target)
    expect(() => backupTo(db, target)).toThrow(/already exists/)
    db.close()
    const copy = new Database(target, { readonly: true })
    expect(copy.prepare('SELECT COUNT(*) AS n FROM episodes').get()).toEqual({ n: 30 })
    copy.close()
  })

  it('vacuum reclaims the pages of deleted rows', () => {
    const file = filledDb('vac.db', 3000)
    const db = openDatabase(file)
    db.exec('DELETE FROM episode_rows; DELETE FROM tasks')
    const r = vacuum(db, file)
    db.close()
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore / 2)
    expect(new StoreWriter(openDatabase(file))).toBeDefined()
  })
})
