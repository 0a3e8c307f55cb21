import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { episodeLines } from '../../../core/store/episode-export'
import {
  LATEST_VERSION,
  migrate,
  openDatabase,
  StoreReader,
  StoreWriter
} from '../../../core/store'
import type { Db } from '../../../core/store/open'
import type { EpisodeRecord } from '../../../core/store/records'
import { batchOf } from '../../helpers/random-episodes'
import { packSteps, stepRowOf, unpackRow, type PackRow } from '../../../core/store/step-pack'
import { addRun } from '../../helpers/old-schema'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const packRows = (db: Db): (PackRow & { episode_id: number; base_episode_id: number | null })[] =>
  db
    .prepare(
      `SELECT p.episode_id, p.base_episode_id, p.codec, p.body, b.codec AS base_codec, b.body AS base_body
       FROM step_packs p LEFT JOIN step_packs b ON b.episode_id = p.base_episode_id ORDER BY p.episode_id`
    )
    .all() as (PackRow & { episode_id: number; base_episode_id: number | null })[]

describe('step packs against a base episode (migration 16)', () => {
  const config = experimentConfigSchema.parse({ env: 'webshop', algo: 'grpo', seed: 3 })

  it('episodes of a task are packed against its first one; every row reads back as written', () => {
    const db = openDatabase(tmp.file('bases.db'))
    const writer = new StoreWriter(db)
    const reader = new StoreReader(db)
    const runId = writer.createRun(writer.createExperiment('x', null, config), config)
    const batches = [batchOf(config, 0, [11, 12], 4), batchOf(config, 1, [11, 13], 4)]
    const written: EpisodeRecord[] = []
    for (const b of batches) {
      writer.insertRollouts(runId, b)
      written.push(...b.groups.flatMap((g) => g.episodes))
    }
    const episodes = db.prepare('SELECT id, task, iteration FROM episodes ORDER BY id').all() as {
      id: number
      task: string
      iteration: number
    }[]
    expect(episodes).toHaveLength(16)

    // Every row as written, through the `steps` view, getSteps and the export.
    const viewRows = db.prepare('SELECT * FROM steps WHERE episode_id = ? ORDER BY t')
    const lines = [...episodeLines(db, runId)]
    episodes.forEach((e, i) => {
      const expected = written[i]!.steps.map(stepRowOf)
      expect(viewRows.all(e.id)).toEqual(expected.map((r) => ({ episode_id: e.id, ...r })))
      expect(reader.getSteps(e.id).map((s) => s.observation)).toEqual(
        expected.map((r) => r.observation)
      )
      expect(lines[i]!.steps.map((s) => s.action)).toEqual(expected.map((r) => r.action))
    })

    // Bases: the first episode of the run's task, itself without a base, never of a later iteration.
    const packs = packRows(db)
    const byId = new Map(episodes.map((e) => [e.id, e]))
    const based = packs.filter((p) => p.base_episode_id !== null)
    expect(based.length).toBeGreaterThanOrEqual(10)
    for (const p of based) {
      const e = byId.get(p.episode_id)!
      const b = byId.get(p.base_episode_id!)!
      expect(b.task).toBe(e.task)
      expect(b.iteration).toBeLessThanOrEqual(e.iteration)
      expect(b.id).toBe(episodes.find((x) => x.task === e.task)!.id)
      expect(packs.find((x) => x.episode_id === b.id)!.base_episode_id).toBeNull()
      expect(p.codec).toBe(20)
    }
    // Task 13 appears once: no base. The packs are deterministic and smaller than without bases.
    let alone = 0
    let stored = 0
    for (const p of packs) {
      const rows = unpackRow(p)
      const base = p.base_codec === null ? undefined : { codec: p.base_codec, body: p.base_body! }
      expect(packSteps('webshop', rows, 9, base).body.equals(p.body)).toBe(true)
      alone += packSteps('webshop', rows).body.length
      stored += p.body.length
    }
    expect(stored).toBeLessThan(alone * 0.75)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('a rewind that deletes the bases, then new episodes of the same tasks: all rows read back', () => {
    const db = openDatabase(tmp.file('rewind.db'))
    const writer = new StoreWriter(db)
    const runId = writer.createRun(writer.createExperiment('x', null, config), config)
    writer.insertRollouts(runId, batchOf(config, 0, [21], 3))
    writer.insertRollouts(runId, batchOf(config, 1, [21], 3))
    writer.rewindRun(runId, 0)
    expect(db.prepare('SELECT COUNT(*) AS n FROM step_packs').get()).toEqual({ n: 0 })
    // Episode ids are reused after the delete; the writer's remembered base is gone.
    const again = batchOf(config, 0, [21], 3)
    again.groups[0]!.episodes.reverse()
    writer.insertRollouts(runId, again)
    const packs = packRows(db)
    expect(packs.map((p) => p.base_episode_id)).toEqual([
      null,
      packs[0]!.episode_id,
      packs[0]!.episode_id
    ])
    const viewRows = db.prepare('SELECT * FROM steps WHERE episode_id = ? ORDER BY t')
    packs.forEach((p, i) => {
      const rows = again.groups[0]!.episodes[i]!.steps.map(stepRowOf)
      expect(viewRows.all(p.episode_id)).toEqual(
        rows.map((r) => ({ episode_id: p.episode_id, ...r }))
      )
    })
    // A run's packs are deleted together with their bases, and its task texts with it; the
    // writer interns the task again afterwards.
    expect(db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 1 })
    writer.discardRun(runId, null)
    expect(db.prepare('SELECT COUNT(*) AS n FROM step_packs').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 0 })
    const next = writer.createRun(writer.createExperiment('y', null, config), config)
    writer.insertRollouts(next, batchOf(config, 0, [21], 2))
    expect(db.prepare('SELECT DISTINCT task FROM episodes').pluck().all()).toEqual([
      again.groups[0]!.task
    ])
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('a base is never taken from a later iteration; other runs keep their own bases', () => {
    const db = openDatabase(tmp.file('order.db'))
    const writer = new StoreWriter(db)
    const exp = writer.createExperiment('x', null, config)
    const a = writer.createRun(exp, config)
    const b = writer.createRun(exp, config)
    writer.insertRollouts(a, batchOf(config, 5, [31], 2))
    writer.insertRollouts(b, batchOf(config, 5, [31], 2))
    // A counterfactual-like late write at an earlier iteration of run a.
    writer.insertRollouts(a, batchOf(config, 2, [31], 2))
    const rows = db
      .prepare(
        `SELECT e.run_id, e.iteration, p.base_episode_id, b.run_id AS base_run FROM step_packs p
         JOIN episodes e ON e.id = p.episode_id LEFT JOIN episodes b ON b.id = p.base_episode_id ORDER BY e.id`
      )
      .all() as {
      run_id: number
      iteration: number
      base_episode_id: number | null
      base_run: number | null
    }[]
    // The late episodes cannot use run a's base (iteration 5) and are packed alone.
    expect(rows.map((r) => r.base_episode_id === null)).toEqual([
      true,
      false,
      true,
      false,
      true,
      true
    ])
    for (const r of rows) if (r.base_run !== null) expect(r.base_run).toBe(r.run_id)
    db.close()
  })

  it('repackRun packs a database written before bases against them; rows and reads unchanged', () => {
    const db = new Database(tmp.file('repack.db'))
    migrate(db, 15)
    const runId = addRun(db, JSON.stringify(config), {
      status: 'completed',
      seed: 0,
      iterations: 1
    })
    const batch = batchOf(config, 0, [41, 42], 4)
    // As a writer before schema v16 stored them: every episode packed alone.
    const insert = db.prepare(
      `INSERT INTO episodes (run_id, group_id, iteration, phase, member_index, env, task, seed, return, success, length)
       VALUES (?, NULL, 0, 'train', ?, 'webshop', ?, ?, 0, 0, ?)`
    )
    const insertPack = db.prepare(
      'INSERT INTO step_packs (episode_id, steps, codec, body) VALUES (?, ?, ?, ?)'
    )
    for (const ep of batch.groups.flatMap((g) => g.episodes)) {
      const id = Number(
        insert.run(runId, ep.memberIndex, ep.task, ep.seed, ep.length).lastInsertRowid
      )
      const pack = packSteps('webshop', ep.steps.map(stepRowOf))
      insertPack.run(id, ep.steps.length, pack.codec, pack.body)
    }
    // Opened by today's workbench: every later migration, then its writer.
    migrate(db, LATEST_VERSION)
    const writer = new StoreWriter(db)
    const rowsOf = () => db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all()
    const before = rowsOf()
    const first = writer.repackRun(runId)
    expect(first.episodes).toBe(8)
    expect(first.after).toBeLessThan(first.before * 0.8)
    expect(rowsOf()).toEqual(before)
    const bases = db
      .prepare('SELECT base_episode_id FROM step_packs ORDER BY episode_id')
      .pluck()
      .all()
    expect(bases).toEqual([null, 1, 1, 1, null, 5, 5, 5])
    // Again: the same packs, byte for byte (a fresh writer, as a second `himac db repack` has).
    const packs = db.prepare('SELECT * FROM step_packs ORDER BY episode_id').all()
    expect(new StoreWriter(db).repackRun(runId)).toMatchObject({ after: first.after })
    expect(db.prepare('SELECT * FROM step_packs ORDER BY episode_id').all()).toEqual(packs)
    expect(rowsOf()).toEqual(before)
    db.close()
  })
})
