// `himac db check|vacuum|backup|thin|repack` as a user runs them, on real database files.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema, type ExperimentConfigInput } from '../../core/api/config'
import { openDatabase, StoreReader, StoreWriter } from '../../core/store'
import { planResume } from '../../core/train/resume'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { packSteps, stepRowOf } from '../../core/store/step-pack'
import { batchOf } from '../helpers/random-episodes'
import { addRun } from '../helpers/old-schema'
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

  it("thin cuts each run's older whole checkpoints to their weights; the newest still resumes", async () => {
    // Runs stored the way trainers did before schema v15: every checkpoint whole.
    const file = tmp.file('old-checkpoints.db')
    const store = openDatabase(file)
    const writer = new StoreWriter(store)
    const configs: ExperimentConfigInput[] = [
      {
        env: 'sokoban',
        algo: 'grpo',
        iterations: 4,
        seed: 2,
        groupsPerIteration: 2,
        groupSize: 2,
        evalEvery: 0,
        checkpointEvery: 1,
        backend: 'cpu',
        nativeKernels: 'off',
        policy: { hidden: [8] }
      },
      {
        env: 'sokoban',
        algo: 'grpo',
        iterations: 3,
        seed: 2,
        groupsPerIteration: 2,
        groupSize: 2,
        evalEvery: 0,
        checkpointEvery: 1,
        policy: {
          kind: 'lm',
          lm: { dModel: 16, layers: 1, heads: 2 },
          warmStart: { episodes: 2, epochs: 1, batchDecisions: 32 }
        }
      }
    ]
    const runIds: number[] = []
    for (const input of configs) {
      const config = experimentConfigSchema.parse(input)
      const runId = writer.createRun(writer.createExperiment('old', null, config), config)
      const sink = createStoreSink(writer, runId)
      await runExperiment(config, {
        ...sink,
        checkpoint: (i, p) => writer.saveCheckpoint(runId, i, p.format, p.bytes, p.meta)
      })
      writer.finishRun(runId, 'stopped')
      runIds.push(runId)
    }
    const rows = (from: typeof store) =>
      from
        .prepare(
          'SELECT run_id, iteration, length(weights) AS bytes, meta_json FROM checkpoints ORDER BY run_id, iteration'
        )
        .all() as { run_id: number; iteration: number; bytes: number; meta_json: string }[]
    const whole = rows(store)
    store.close()
    expect(whole.length).toBeGreaterThanOrEqual(6)

    const out = await himac(['db', 'thin', '--db', file])
    expect(out.code, out.stderr).toBe(0)
    const cut = whole.length - runIds.length
    expect(out.stdout).toContain(`${cut} checkpoint(s) cut`)
    const db = openDatabase(file)
    const after = rows(db)
    for (const runId of runIds) {
      const mine = after.filter((r) => r.run_id === runId)
      const before = whole.filter((r) => r.run_id === runId)
      mine.forEach((r, i) => {
        const newest = i === mine.length - 1
        expect(JSON.parse(r.meta_json).weightsOnly).toBe(newest ? undefined : true)
        if (newest) expect(r.bytes).toBe(before[i]!.bytes)
        else expect(r.bytes).toBeLessThan(before[i]!.bytes / 2)
      })
      // The newest is whole: the run resumes from it.
      expect(planResume(new StoreReader(db), runId).from).toBe(mine.at(-1)!.iteration)
    }
    db.close()
    const again = await himac(['db', 'thin', '--db', file])
    expect(again.stdout).toContain('0 checkpoint(s) cut')
    expect((await himac(['db', 'check', '--db', file])).code).toBe(0)
  }, 120_000)

  it('repack packs the steps of a database from before schema v16 against base episodes', async () => {
    const file = tmp.file('old-packs.db')
    const old = openDatabase(file, { migrateTo: 15 })
    const config = experimentConfigSchema.parse({ env: 'webshop', algo: 'grpo' })
    const runId = addRun(old, JSON.stringify(config), {
      status: 'completed',
      seed: 0,
      iterations: 1
    })
    const insert = old.prepare(
      `INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length)
       VALUES (?, 0, 'train', ?, 'webshop', ?, ?, 0, 0, ?)`
    )
    const insertPack = old.prepare(
      'INSERT INTO step_packs (episode_id, steps, codec, body) VALUES (?, ?, ?, ?)'
    )
    for (const ep of batchOf(config, 0, [7, 8, 9], 4).groups.flatMap((g) => g.episodes)) {
      const id = Number(
        insert.run(runId, ep.memberIndex, ep.task, ep.seed, ep.length).lastInsertRowid
      )
      const pack = packSteps('webshop', ep.steps.map(stepRowOf))
      insertPack.run(id, ep.steps.length, pack.codec, pack.body)
    }
    const rows = (db: Database.Database) =>
      db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all()
    const before = rows(old)
    old.close()

    const out = await himac(['db', 'repack', '--db', file])
    expect(out.code, out.stderr).toBe(0)
    const [, from, to] =
      /run 1: 12 episode\(s\), step packs ([\d.]+) kB → ([\d.]+) kB/.exec(out.stdout) ?? []
    expect(Number(to)).toBeLessThan(Number(from) * 0.8)
    const db = openDatabase(file)
    expect(rows(db)).toEqual(before)
    expect(
      db.prepare('SELECT COUNT(*) FROM step_packs WHERE base_episode_id IS NOT NULL').pluck().get()
    ).toBe(9)
    db.close()
    expect((await himac(['db', 'check', '--db', file])).code).toBe(0)
  })
})
