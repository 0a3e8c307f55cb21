// `himac import` as a user runs it: bad lines printed with their line numbers (20, then a count),
// exit 1, nothing written.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { afterAll, expect, it } from 'vitest'
import { openDatabase } from '../../core/store'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

type Outcome = { code: number; stdout: string; stderr: string }

function himac(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/himac.js', ...args],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        resolve({ code, stdout, stderr })
      }
    )
  })
}

it('reports every bad line by number and writes nothing', async () => {
  const db = tmp.file('cli.db')
  openDatabase(db).close()
  const good = {
    schema: 'himac.episode',
    version: 1,
    env: 'sokoban',
    task: 't',
    seed: 1,
    iteration: 0,
    phase: 'eval',
    return: 0,
    success: false,
    length: 1,
    steps: [{ t: 0, observation: 'o', admissible: ['up'], action: 'up', reward: 0, done: true }]
  }
  const lines = [JSON.stringify(good)]
  for (let i = 0; i < 25; i++) lines.push(JSON.stringify({ ...good, seed: 'x' }))
  const file = tmp.file('in.jsonl')
  fs.writeFileSync(file, lines.join('\n'))
  const out = await himac(['import', file, '--db', db, '--no-progress'])
  expect(out.code).toBe(1)
  expect(out.stderr).toContain('25 bad line(s) of 26')
  expect(out.stderr).toContain('  line 2: seed: ')
  expect(out.stderr).toContain('  line 21: seed: ')
  expect(out.stderr).not.toContain('line 22:')
  expect(out.stderr).toContain('… and 5 more bad lines')
  expect(out.stderr).toContain('nothing was imported')
  const check = openDatabase(db, { readonly: true })
  expect(check.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0)
  check.close()
})
