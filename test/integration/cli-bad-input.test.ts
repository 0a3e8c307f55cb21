// Bad input to the `himac` command gets one clear line and a non-zero exit, never a stack trace or
// a hang, and leaves the files it was pointed at unchanged.
import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, StoreWriter } from '../../core/store'
import { experimentConfigSchema } from '../../core/api/config'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

type Outcome = { code: number | null; stdout: string; stderr: string }

/** Runs `himac`, as another user when `asUser` is given and we are root (root ignores permissions). */
function himac(args: string[], asUser = false): Promise<Outcome> {
  const argv = [process.execPath, 'bin/himac.js', ...args]
  const [cmd, ...rest] =
    asUser && process.getuid?.() === 0
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv]
      : argv
  return new Promise((resolve) => {
    execFile(cmd!, rest, { timeout: 60_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr })
    })
  })
}

const train = (db: string): string[] => [
  'train',
  '--env',
  'sokoban',
  '--iterations',
  '1',
  '--groups',
  '1',
  '--group-size',
  '2',
  '--eval-every',
  '0',
  '--no-progress',
  '--db',
  db
]

const sha = (file: string): string =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** One line on stderr (commander may add its one-line usage hint), no stack frames. */
function expectOneClearLine(out: Outcome, ...phrases: string[]): void {
  expect(out.code, out.stderr).not.toBe(0)
  const lines = out.stderr
    .trim()
    .split('\n')
    .filter((l) => l !== '(add --help for usage)')
  expect(lines, out.stderr).toHaveLength(1)
  expect(out.stderr).not.toMatch(/\n\s+at |SqliteError|node:internal/)
  for (const p of phrases) expect(out.stderr).toContain(p)
}

function workbenchDb(name: string): string {
  const file = tmp.file(name)
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const config = experimentConfigSchema.parse({})
  writer.createExperiment('e', null, config)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return file
}

describe('himac refuses bad input clearly', () => {
  it('a database path whose folder cannot be created (under /proc) fails at once', async () => {
    const out = await himac(train('/proc/himac/x.db'))
    expectOneClearLine(out, '/proc/himac/x.db', 'cannot be created', 'nothing was changed')
  })

  it('a file that is not a database is named, and left unchanged', async () => {
    const file = tmp.file('notes.db')
    fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(200))
    const before = sha(file)
    for (const args of [train(file), ['serve', '--db', file, '--port', '0']]) {
      const out = await himac(args)
      expectOneClearLine(out, file, 'not a SQLite database', 'nothing was changed')
    }
    expect(sha(file)).toBe(before)
    expect(fs.existsSync(`${file}-wal`)).toBe(false)
  })

  it('a malformed database is named, and left unchanged', async () => {
    const file = workbenchDb('malformed.db')
    // Overwrite the schema table's page header on page 1 (after the 100-byte file header).
    const fd = fs.openSync(file, 'r+')
    fs.writeSync(fd, Buffer.alloc(200, 0xa5), 0, 200, 100)
    fs.closeSync(fd)
    const before = sha(file)
    for (const args of [train(file), ['serve', '--db', file, '--port', '0']]) {
      const out = await himac(args)
      expectOneClearLine(out, file, 'malformed', 'nothing was changed')
    }
    expect(sha(file)).toBe(before)
  })

  it('permission denied on the database or its folder is said plainly', async () => {
    const folder = tmp.file('locked')
    fs.mkdirSync(folder)
    const inLocked = `${folder}/runs.db`
    fs.chmodSync(folder, 0o555)
    const readOnlyDb = workbenchDb('readonly.db')
    fs.chmodSync(readOnlyDb, 0o444)
    const before = sha(readOnlyDb)
    const outFolder = await himac(train(inLocked), true)
    expectOneClearLine(outFolder, inLocked, 'permission denied', 'nothing was changed')
    const outFile = await himac(train(readOnlyDb), true)
    expectOneClearLine(outFile, readOnlyDb, 'permission denied', 'nothing was changed')
    expect(sha(readOnlyDb)).toBe(before)
  })

  it('serve on a busy port suggests --port; an impossible port is refused', async () => {
    const blocker = net.createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const busy = (blocker.address() as net.AddressInfo).port
    try {
      const out = await himac(['serve', '--db', tmp.file('serve.db'), '--port', String(busy)])
      expectOneClearLine(out, `port ${busy}`, 'already in use', '--port')
    } finally {
      blocker.close()
    }
    const bad = await himac(['serve', '--db', tmp.file('serve.db'), '--port', '99999'])
    expectOneClearLine(bad, '99999', 'is not a port')
  })

  it('train --warm-start: a missing file, a file that is no warm start, or one of another env is named, and nothing is written', async () => {
    const db = workbenchDb('warm.db')
    const before = sha(db)
    const junk = tmp.file('junk.json')
    fs.writeFileSync(junk, '{"format":"himac-lm-checkpoint"}')
    const lm = [...train(db), '--policy', 'lm']
    expectOneClearLine(
      await himac([...lm, '--warm-start', tmp.file('none.json')]),
      'error: --warm-start:',
      'none.json does not exist'
    )
    expectOneClearLine(
      await himac([...lm, '--warm-start', junk]),
      'junk.json is not a saved warm start'
    )
    const ws = tmp.file('alf-ws.json')
    const cloned = await himac([
      'warmstart',
      '--env',
      'alfworld',
      '--episodes',
      '2',
      '--epochs',
      '1',
      '--d-model',
      '16',
      '--layers',
      '1',
      '--heads',
      '2',
      '--out',
      ws
    ])
    expect(cloned.code, cloned.stderr).toBe(0)
    expectOneClearLine(
      await himac([...lm, '--warm-start', ws]),
      'was cloned on alfworld; this run is on sokoban'
    )
    expect(sha(db)).toBe(before)
  }, 120_000)

  it('bench refuses unknown sections and lists the valid ones', async () => {
    const out = await himac(['bench', '--only', 'nonsense'])
    expectOneClearLine(out, "'nonsense'", 'valid: sokoban, alfworld')
    expect(out.stdout).toBe('')
  })
})
