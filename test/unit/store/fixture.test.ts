import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { measureFile, timeUiQueries } from '../../../cli/bench-store'
import { openDatabase, StoreReader } from '../../../core/store'
import { packSteps, unpackRow, type PackRow } from '../../../core/store/step-pack'
import { buildFixture } from '../../../core/train/store-fixture'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

describe('store fixture', () => {
  it('writes the requested episodes through the writer; shared step arrays pack like fresh ones', async () => {
    const db = openDatabase(tmp.file('fixture.db'))
    const summary = await buildFixture(db, {
      episodes: 50,
      stepsPerEpisode: 6,
      poolSize: 3,
      iterationsPerRun: 2,
      groupsPerIteration: 2,
      groupSize: 4,
      evalEvery: 2,
      evalEpisodes: 3
    })
    const reader = new StoreReader(db)
    expect(summary).toMatchObject({ episodes: 50, steps: 300 })
    expect(reader.countRows('episodes')).toBe(50)
    expect(reader.countRows('steps')).toBe(300)
    expect(summary.runs).toBeGreaterThan(2)
    expect(new Set(reader.listRuns().map((r) => r.config.env))).toEqual(
      new Set(['alfworld', 'webshop', 'sokoban'])
    )
    const packs = db
      .prepare(
        `SELECT p.codec, p.body, b.codec AS base_codec, b.body AS base_body, e.env
         FROM step_packs p JOIN episodes e ON e.id = p.episode_id
         LEFT JOIN step_packs b ON b.episode_id = p.base_episode_id`
      )
      .all() as (PackRow & { env: string })[]
    expect(packs).toHaveLength(50)
    // Repeated tasks of a run are packed against their first episode.
    expect(packs.filter((p) => p.base_codec !== null).length).toBeGreaterThan(10)
    for (const p of packs) {
      const rows = unpackRow(p)
      expect(rows.map((r) => r.t)).toEqual([0, 1, 2, 3, 4, 5])
      const base = p.base_codec === null ? undefined : { codec: p.base_codec, body: p.base_body! }
      expect(packSteps(p.env, structuredClone(rows), 9, base).body.equals(p.body)).toBe(true)
    }
    const ep = reader.pageEpisodes(reader.listRuns().at(-1)!.id, 0, 1).items[0]!
    expect(reader.getSteps(ep.id)[5]).toMatchObject({ t: 5, done: true, logProb: null })
    db.close()
  })

  it('the query bench times every UI read on a fixture, each returning rows', async () => {
    const db = openDatabase(tmp.file('queries.db'))
    await buildFixture(db, {
      episodes: 400,
      stepsPerEpisode: 12,
      poolSize: 2,
      iterationsPerRun: 20,
      groupsPerIteration: 2,
      groupSize: 4,
      evalEvery: 5,
      evalEpisodes: 4
    })
    const timings = timeUiQueries(db, 3)
    expect(timings.length).toBeGreaterThanOrEqual(15)
    for (const t of timings) {
      expect(t.rows, t.query).toBeGreaterThan(0)
      expect(t.medianMs).toBeGreaterThanOrEqual(0)
      expect(t.maxMs).toBeGreaterThanOrEqual(t.medianMs)
    }
    db.close()
  })

  it('the size bench measures a given file on a vacuumed copy, leaving the file as it was', async () => {
    const file = tmp.file('given.db')
    const db = openDatabase(file)
    await buildFixture(db, {
      episodes: 40,
      stepsPerEpisode: 5,
      poolSize: 3,
      iterationsPerRun: 2,
      groupsPerIteration: 2,
      groupSize: 4,
      evalEvery: 2,
      evalEpisodes: 2
    })
    db.pragma('wal_checkpoint(TRUNCATE)')
    const before = fs.readFileSync(file)
    const r = measureFile(file)
    db.close()
    expect(r).toMatchObject({ file: 'given.db', episodes: 40, steps: 200 })
    expect(r.envs.length).toBeGreaterThan(0)
    expect(r.bytesPerStepWithoutCheckpoints).toBeGreaterThan(0)
    expect(r.bytesPerStepWithoutCheckpoints).toBeLessThanOrEqual(r.bytesPerStep)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })
})
