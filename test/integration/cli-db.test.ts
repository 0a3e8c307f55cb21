// `himac db check|vacuum|backup` as a user runs them, on real database files.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

type Outcome = { code: number; stdout: string; stderr: string }

function himac(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/himac.js', ...args],
      { timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr })
    )
  })
}

const episodes = (file: string): number => {
  const db = new Database(file, { readonly: true })
  const n = (db.prepare('SELECT COUNT(*) AS n FROM episodes').get() as { n: number }).n
  db.close()
  return n
}

describe('himac db', () => {
  const db = tmp.file('runs.db')

  it('check reports counts and integrity of a sound database', async () => {
    const made = await himac([
      'eval',
      '--env',
      'sokoban',
      '--agent',
      'random',
      '--episodes',
      '12',
      '--db',
      db,
      '--no-progress'
    ])
    expect(made.code, made.stderr).toBe(0)
    const out = await himac(['db', 'check', '--db', db])
    expect(out.code, out.stderr).toBe(0)
    expect(out.stdout).toMatch(
      /schema v\d+, 1 runs, 12 episodes, \d+ steps, [\d.]+ MB; integrity ok/
    )
  })

  it('backup writes a copy with the same episodes and refuses to overwrite it', async () => {
    const copy = tmp.file('copy.db')
    const out = await himac(['db', 'backup', copy, '--db', db])
    expect(out.code, out.stderr).toBe(0)
    expect(episodes(copy)).toBe(12)
    const again = await himac(['db', 'backup', copy, '--db', db])
    expect(again.code).toBe(2)
    expect(again.stderr.trim()).toBe(`error: ${copy} already exists; choose another file`)
  })

  it('vacuum prints the size before and after and keeps the data', async () => {
    const out = await himac(['db', 'vacuum', '--db', db])
    expect(out.code, out.stderr).toBe(0)
    expect(out.stdout).toMatch(/[\d.]+ MB → [\d.]+ MB/)
    expect(episodes(db)).toBe(12)
  })

  it('check exits 1 and lists the damage of a damaged file; a missing file is one line', async () => {
    const bad = tmp.file('bad.db')
    fs.copyFileSync(db, bad)
    const size = fs.statSync(bad).size
    const fd = fs.openSync(bad, 'r+')
    fs.writeSync(fd, Buffer.alloc(64, 0xee), 0, 64, Math.floor(size / 4096 / 2) * 4096)
    fs.closeSync(fd)
    const out = await himac(['db', 'check', '--db', bad])
    expect(out.code).toBe(1)
    expect(out.stdout).toMatch(/problem/)
    const missing = await himac(['db', 'check', '--db', tmp.file('nope.db')])
    expect(missing.code).toBe(2)
    expect(missing.stderr.trim()).toBe(`error: database ${tmp.file('nope.db')} does not exist`)
  })
})
