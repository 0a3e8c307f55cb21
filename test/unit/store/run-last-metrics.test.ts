// Migration 10's `run_last_metrics` equals "each run's value of each key at its latest iteration"
// computed from `metrics`: after the migration fills it from existing rows, and as the triggers
// keep it through inserts, REPLACEs, out-of-order iterations and a resume's rewind.
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { migrate, openDatabase, StoreReader, StoreWriter } from '../../../core/store'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config = experimentConfigSchema.parse({ env: 'sokoban' })

const lastFromMetrics = (db: Database.Database): unknown[] =>
  db
    .prepare(
      `SELECT m.run_id, m.key, m.iteration, m.value FROM metrics m
       WHERE m.iteration = (SELECT MAX(iteration) FROM metrics x
                            WHERE x.run_id = m.run_id AND x.key = m.key)
       ORDER BY m.run_id, m.key`
    )
    .all()
const summary = (db: Database.Database): unknown[] =>
  db.prepare('SELECT run_id, key, iteration, value FROM run_last_metrics ORDER BY 1, 2').all()

describe('run_last_metrics', () => {
  it('is filled by the migration from the metrics already stored', () => {
    const file = tmp.file('v9.db')
    const raw = new Database(file)
    migrate(raw, 9)
    // Rows as a version-9 writer stored them (today's writer needs today's schema).
    raw
      .prepare('INSERT INTO experiments (name, config_json) VALUES (?, ?)')
      .run('e', JSON.stringify(config))
    const run = Number(
      raw
        .prepare(
          "INSERT INTO runs (experiment_id, status, seed, config_json, iterations) VALUES (1, 'running', 0, ?, 2)"
        )
        .run(JSON.stringify(config)).lastInsertRowid
    )
    const metric = raw.prepare(
      'INSERT INTO metrics (run_id, iteration, key, value) VALUES (?, ?, ?, ?)'
    )
    for (const [iteration, key, value] of [
      [0, 'a', 1],
      [0, 'b', 2],
      [1, 'a', 3]
    ] as const)
      metric.run(run, iteration, key, value)
    raw.close()
    const db = openDatabase(file)
    expect(summary(db)).toEqual([
      { run_id: run, key: 'a', iteration: 1, value: 3 },
      { run_id: run, key: 'b', iteration: 0, value: 2 }
    ])
    db.close()
  })

  it('follows inserts, replaces, late lower iterations and rewinds', () => {
    const db = openDatabase(tmp.file('live.db'))
    const writer = new StoreWriter(db)
    const runs = [0, 1].map(() =>
      writer.createRun(writer.createExperiment('e', null, config), config)
    )
    for (const run of runs)
      for (let it = 0; it < 6; it++)
        writer.insertMetrics(run, it, {
          'train/success_rate': it / 10 + run,
          ...(it % 2 === 0 ? { 'eval/success_rate': it } : {})
        })
    expect(summary(db)).toEqual(lastFromMetrics(db))
    writer.insertMetrics(runs[0]!, 5, { 'train/success_rate': 42 }) // REPLACE at the last iteration
    writer.insertMetrics(runs[0]!, 2, { 'train/success_rate': -1 }) // an earlier iteration again
    expect(summary(db)).toEqual(lastFromMetrics(db))
    expect(
      new StoreReader(db).listRunTable().find((r) => r.run.id === runs[0])?.lastMetrics
    ).toEqual({ 'train/success_rate': 42, 'eval/success_rate': 4 })
    writer.rewindRun(runs[0]!, 3) // iterations 3.. deleted: the last values are iteration 2's
    expect(summary(db)).toEqual(lastFromMetrics(db))
    expect(
      new StoreReader(db).listRunTable().find((r) => r.run.id === runs[0])?.lastMetrics
    ).toEqual({ 'train/success_rate': -1, 'eval/success_rate': 2 })
    writer.rewindRun(runs[1]!, 0)
    expect(summary(db).filter((r) => (r as { run_id: number }).run_id === runs[1])).toEqual([])
    db.close()
  })
})
