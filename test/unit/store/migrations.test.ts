import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import {
  LATEST_VERSION,
  migrate,
  openDatabase,
  SchemaTooNewError,
  schemaVersion,
  StoreReader,
  StoreWriter
} from '../../../core/store'
import { packSteps, type StepRow } from '../../../core/store/step-pack'
import { sampleRows } from '../../helpers/step-pack-rows'
import { addRun } from '../../helpers/old-schema'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const tables = (db: Database.Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string
    }[]
  ).map((r) => r.name)

const schemaRows = (db: Database.Database): unknown[] =>
  db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all()

/** Every row of every table, in a stable order. */
const allRows = (db: Database.Database): Record<string, unknown[]> =>
  Object.fromEntries(
    tables(db).map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()])
  )

/** sampleRows() as WebShop's step pack of episode `episodeId`, as rows of schema versions 4–17. */
function addSamplePack(db: Database.Database, episodeId: number): void {
  const pack = packSteps('webshop', sampleRows())
  db.prepare('INSERT INTO step_packs (episode_id, steps, codec, body) VALUES (?, ?, ?, ?)').run(
    episodeId,
    sampleRows().length,
    pack.codec,
    pack.body
  )
}

describe('migrations', () => {
  it('a new database is migrated to the latest version in WAL mode', () => {
    const db = openDatabase(tmp.file('fresh.db'))
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('migration 1 creates every table and accepts fixture rows', () => {
    const db = new Database(tmp.file('m1.db'))
    expect(schemaVersion(db)).toBe(0)
    migrate(db, 1)
    expect(schemaVersion(db)).toBe(1)
    expect(tables(db)).toEqual([
      'annotations',
      'checkpoints',
      'episodes',
      'experiments',
      'metrics',
      'rollout_groups',
      'runs',
      'steps'
    ])
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'queued', seed: 0, iterations: 3 })
    db.prepare(
      "INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, 0, 'train', 0, 'sokoban', 't', 5, 1.5, 1, 3)"
    ).run()
    db.prepare(
      "INSERT INTO steps (episode_id, t, observation, admissible_json, action, reward, done) VALUES (1, 0, 'o', '[]', 'up', -0.1, 0)"
    ).run()
    expect(() =>
      db
        .prepare(
          "INSERT INTO runs (experiment_id, status, seed, config_json, iterations) VALUES (1, 'bogus', 0, '{}', 1)"
        )
        .run()
    ).toThrow(/CHECK constraint/)
    db.close()
  })

  it('refuses to open a database from a newer version and leaves it untouched', () => {
    const file = tmp.file('newer.db')
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    raw.close()
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError)
    expect(() => openDatabase(file, { readonly: true })).toThrow(
      /newer than this workbench supports/
    )
    const check = new Database(file)
    expect(schemaVersion(check)).toBe(LATEST_VERSION + 1)
    expect(tables(check)).toEqual([])
    check.close()
  })

  it('reopening an up-to-date database applies nothing: schema and rows unchanged', () => {
    const file = tmp.file('reopen.db')
    const first = openDatabase(file)
    const writer = new StoreWriter(first)
    const config = experimentConfigSchema.parse({})
    const runId = writer.createRun(writer.createExperiment('e', null, config), config)
    writer.markRunStarted(runId, 'wasm', ['note'], 'native-blas')
    writer.insertMetrics(runId, 0, { 'train/success_rate': 0.25 })
    writer.insertRollouts(runId, {
      iteration: 0,
      groups: [],
      loose: [
        {
          phase: 'eval',
          memberIndex: 0,
          env: 'sokoban',
          task: 't',
          seed: 5,
          return: 1.5,
          success: true,
          length: 1,
          steps: [
            {
              t: 0,
              observation: 'o',
              admissibleActions: ['up'],
              action: 'up',
              reward: 1.5,
              done: true,
              logProb: -0.5,
              view: { kind: 'sokoban', room: [[0]] }
            }
          ]
        }
      ]
    })
    const before = { schema: schemaRows(first), rows: allRows(first) }
    first.close()
    const db = openDatabase(file)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    expect(schemaRows(db)).toEqual(before.schema)
    expect(allRows(db)).toEqual(before.rows)
    expect(before.rows['episode_rows']).toHaveLength(1)
    db.close()
  })

  it('migrate skips migrations already applied (a non-idempotent one runs once)', () => {
    const db = new Database(tmp.file('once.db'))
    const list = [
      { version: 1, name: 'table', sql: 'CREATE TABLE t (x INTEGER)' },
      { version: 2, name: 'row', sql: 'INSERT INTO t (x) VALUES (1)' }
    ]
    migrate(db, 2, list)
    migrate(db, 2, list)
    expect(schemaVersion(db)).toBe(2)
    expect(db.prepare('SELECT x FROM t').all()).toEqual([{ x: 1 }])
    db.close()
  })

  it('the schema matches the checked-in snapshot', async () => {
    const db = openDatabase(':memory:')
    const sql = (
      db
        .prepare('SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name')
        .all() as { sql: string }[]
    )
      .map((r) => r.sql.trim() + ';')
      .join('\n\n')
    db.close()
    await expect(sql + '\n').toMatchFileSnapshot('./__snapshots__/schema.sql')
  })
})

describe('migration 2 (run kernels)', () => {
  it('adds runs.kernels and keeps existing runs', () => {
    const db = new Database(tmp.file('m2.db'))
    migrate(db, 1)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 3, iterations: 5, backend: 'wasm' })
    migrate(db, 2)
    expect(schemaVersion(db)).toBe(2)
    const row = db.prepare('SELECT seed, backend, kernels FROM runs WHERE id = 1').get()
    expect(row).toEqual({ seed: 3, backend: 'wasm', kernels: null })
    db.prepare("UPDATE runs SET kernels = 'native-blas' WHERE id = 1").run()
    db.close()
  })
})

describe('migration 3 (content-addressed texts)', () => {
  it('moves every step into step_records, stores each text once, and reads back the same rows', () => {
    const db = new Database(tmp.file('m3.db'))
    migrate(db, 2)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 0, iterations: 1 })
    const episode = db.prepare(
      "INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, 0, 'train', ?, 'alfworld', 't', 1, 0, 0, 2)"
    )
    const step = db.prepare(
      'INSERT INTO steps (episode_id, t, observation, admissible_json, action, reward, done, subgoal_index, sub_done, log_prob, advantage, view_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
    )
    // Two episodes that see the same texts, one step without a view.
    for (let e = 1; e <= 2; e++) {
      episode.run(e - 1)
      step.run(
        e,
        0,
        'You are in the middle of a room.',
        '["go to desk 1","look"]',
        'look',
        0,
        0,
        0,
        0,
        -1.5,
        0.25,
        '{"kind":"alfworld"}'
      )
      step.run(
        e,
        1,
        `Nothing happens ${e}.`,
        '["go to desk 1","look"]',
        'go to desk 1',
        0,
        0,
        0,
        1,
        -0.5,
        0.25,
        null
      )
      step.run(
        e,
        2,
        'You arrive at desk 1.',
        '[]',
        '',
        0,
        1,
        null,
        0,
        null,
        null,
        '{"kind":"alfworld"}'
      )
    }
    const before = db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all()
    migrate(db, 3)
    expect(schemaVersion(db)).toBe(3)
    expect(db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all()).toEqual(before)
    expect(db.prepare('SELECT COUNT(*) AS n FROM step_records').get()).toEqual({ n: 6 })
    // 4 observations + 2 admissible lists + 1 view, each once.
    expect(db.prepare('SELECT COUNT(*) AS n FROM texts').get()).toEqual({ n: 7 })
    db.close()
  })
})

describe('migration 4 (step packs)', () => {
  it('packs every episode, drops the per-step tables, and reads back the same rows', () => {
    const db = new Database(tmp.file('m4.db'))
    migrate(db, 3)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 0, iterations: 1 })
    const episode = db.prepare(
      "INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, 0, 'train', 0, ?, 't', 1, 0, 0, 2)"
    )
    const text = db.prepare('INSERT INTO texts (hash, body) VALUES (0, ?)')
    const texts = [
      'You are in the middle of a room.\n',
      '["go to desk 1","look"]',
      '{"kind":"alfworld","inventory":[]}',
      ' # \t P \t _ \n',
      '["up","down","left","right"]',
      'ünïcode ✓ "quoted"',
      '[]'
    ].map((b) => Number(text.run(b).lastInsertRowid))
    const step = db.prepare(
      'INSERT INTO step_records (episode_id, t, observation_id, admissible_id, action, reward, done, subgoal_index, sub_done, log_prob, advantage, view_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
    )
    // ALFWorld, Sokoban, an environment without a dictionary, and an episode without steps.
    for (const env of ['alfworld', 'sokoban', 'other', 'alfworld']) episode.run(env)
    step.run(1, 0, texts[0], texts[1], 'look', 0, 0, 0, 0, -1.0655142919492502, 0.25, texts[2])
    step.run(1, 1, texts[5], texts[1], 'go to desk 1', 1, 1, 2, 1, null, null, null)
    step.run(2, 1, texts[3], texts[4], '', -0.1, 1, null, 0, null, null, texts[2])
    step.run(2, 0, texts[3], texts[4], 'up', -0.1, 0, null, 0, -1e-300, 1e300, null)
    step.run(3, 0, texts[5], texts[6], 'x', 2.5, 1, null, 0, -0.5, 0, null)
    const before = db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all() as (StepRow & {
      episode_id: number
    })[]
    const episodesBefore = db.prepare('SELECT * FROM episodes ORDER BY id').all()
    migrate(db, 4)
    expect(schemaVersion(db)).toBe(4)
    expect(tables(db)).not.toContain('step_records')
    expect(tables(db)).not.toContain('texts')
    expect(db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all()).toEqual(before)
    expect(db.prepare('SELECT * FROM episodes ORDER BY id').all()).toEqual(episodesBefore)
    const reader = new StoreReader(db)
    for (const id of [1, 2, 3, 4]) {
      const rows = before.filter((r) => r.episode_id === id)
      expect(reader.getSteps(id)).toEqual(
        rows.map(({ episode_id: _e, observation, admissible_json, view_json, ...r }) => ({
          t: r.t,
          observation,
          admissibleActions: JSON.parse(admissible_json) as string[],
          action: r.action,
          reward: r.reward,
          done: r.done === 1,
          subgoalIndex: r.subgoal_index,
          subDone: r.sub_done === 1,
          logProb: r.log_prob,
          advantage: r.advantage,
          view: view_json === null ? null : (JSON.parse(view_json) as unknown),
          candidates: null,
          invalid: false,
          fallback: false,
          subDoneProb: null,
          subDoneChoices: null
        }))
      )
    }
    expect(reader.getSteps(1, 1, 5).map((s) => s.t)).toEqual([1])
    expect(reader.countRows('steps')).toBe(5)
    db.close()
  })
})

describe('migration 6 (run backend device and versions)', () => {
  it('adds runs.backend_device and backend_versions_json, existing runs read as unknown', () => {
    const db = new Database(tmp.file('m6.db'))
    migrate(db, 5)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 3, iterations: 5, backend: 'wasm' })
    migrate(db, 6)
    expect(schemaVersion(db)).toBe(6)
    const row = db
      .prepare('SELECT backend, backend_device, backend_versions_json FROM runs WHERE id = 1')
      .get()
    expect(row).toEqual({ backend: 'wasm', backend_device: null, backend_versions_json: '{}' })
    db.close()
  })
})

describe('migration 9 (studies)', () => {
  it('adds the studies table and runs.study_id / study_method; existing runs belong to no study', () => {
    const db = new Database(tmp.file('m9.db'))
    migrate(db, 8)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 3, iterations: 5 })
    migrate(db, 9)
    expect(schemaVersion(db)).toBe(9)
    expect(db.prepare('SELECT study_id, study_method FROM runs WHERE id = 1').get()).toEqual({
      study_id: null,
      study_method: null
    })
    db.prepare(
      "INSERT INTO studies (name, env, spec_json, status) VALUES ('s', 'sokoban', '{}', 'running')"
    ).run()
    db.prepare("UPDATE runs SET study_id = 1, study_method = 'grpo' WHERE id = 1").run()
    expect(() =>
      db
        .prepare(
          "INSERT INTO studies (name, env, spec_json, status) VALUES ('s', 'sokoban', '{}', 'queued')"
        )
        .run()
    ).toThrow(/CHECK constraint/)
    db.close()
  })
})

describe('migration 11 (annotations)', () => {
  it('rebuilds annotations: rows carried over with their run and iteration, dangling ones dropped', () => {
    const db = new Database(tmp.file('m11.db'))
    migrate(db, 10)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 3, iterations: 5 })
    db.prepare(
      "INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, 4, 'train', 0, 'sokoban', 't', 5, 1.5, 1, 3)"
    ).run()
    const add = db.prepare(
      'INSERT INTO annotations (target_type, target_id, step_t, author, kind, value, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?)'
    )
    add.run('episode', 1, null, 'a', 'label', 'good', null)
    add.run('episode', 1, null, 'b', 'label', 'stuck', 1)
    add.run('step', 1, 2, 'a', 'comment', 'look here', null)
    add.run('run', 1, null, 'a', 'score', '4', null)
    add.run('episode', 99, null, 'a', 'comment', 'dangling', null)
    migrate(db, 11)
    expect(schemaVersion(db)).toBe(11)
    expect(
      db
        .prepare(
          'SELECT id, run_id, target_type, target_id, step_t, iteration, author, kind, label, value, supersedes FROM annotations ORDER BY id'
        )
        .all()
    ).toEqual([
      {
        id: 1,
        run_id: 1,
        target_type: 'episode',
        target_id: 1,
        step_t: null,
        iteration: 4,
        author: 'a',
        kind: 'label',
        label: 'label',
        value: 'good',
        supersedes: null
      },
      {
        id: 2,
        run_id: 1,
        target_type: 'episode',
        target_id: 1,
        step_t: null,
        iteration: 4,
        author: 'b',
        kind: 'label',
        label: 'label',
        value: 'stuck',
        supersedes: 1
      },
      {
        id: 3,
        run_id: 1,
        target_type: 'step',
        target_id: 1,
        step_t: 2,
        iteration: 4,
        author: 'a',
        kind: 'comment',
        label: null,
        value: 'look here',
        supersedes: null
      },
      {
        id: 4,
        run_id: 1,
        target_type: 'run',
        target_id: 1,
        step_t: null,
        iteration: null,
        author: 'a',
        kind: 'label',
        label: 'score',
        value: '4',
        supersedes: null
      }
    ])
    const schemas = db
      .prepare('SELECT experiment_id, name, type, options_json FROM label_schemas ORDER BY name')
      .all() as { options_json: string }[]
    expect(schemas.map((r) => ({ ...r, options_json: JSON.parse(r.options_json).sort() }))).toEqual(
      [
        { experiment_id: 1, name: 'label', type: 'category', options_json: ['good', 'stuck'] },
        { experiment_id: 1, name: 'score', type: 'category', options_json: ['4'] }
      ]
    )
    // Still append-only; a superseded row cannot be superseded twice; ids are not reused.
    expect(() => db.prepare("UPDATE annotations SET value = 'x'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM annotations WHERE id = 4').run()).toThrow(/append-only/)
    expect(() => add.run('episode', 1, null, 'c', 'comment', 'v', 1)).toThrow()
    const insert = db.prepare(
      "INSERT INTO annotations (run_id, target_type, target_id, iteration, author, kind, value, supersedes) VALUES (1, 'episode', 1, 4, 'c', 'comment', 'x', ?)"
    )
    expect(() => insert.run(1)).toThrow(/UNIQUE/)
    expect(Number(insert.run(null).lastInsertRowid)).toBe(5)
    db.close()
  })
})

describe('migration 12 (counterfactuals)', () => {
  it('adds the origin link; existing episodes are no counterfactuals', () => {
    const db = new Database(tmp.file('m12.db'))
    migrate(db, 11)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 3, iterations: 5 })
    db.prepare(
      "INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, 0, 'eval', 0, 'sokoban', 't', 5, 1.5, 1, 3)"
    ).run()
    migrate(db, 12)
    expect(db.prepare('SELECT origin_episode_id, counterfactual_json FROM episodes').get()).toEqual(
      {
        origin_episode_id: null,
        counterfactual_json: null
      }
    )
    expect(() =>
      db.prepare('UPDATE episodes SET origin_episode_id = 99 WHERE id = 1').run()
    ).toThrow(/FOREIGN KEY/)
    db.close()
  })
})

describe('migration 13 (blueprint pins)', () => {
  it('adds the pins table and rollout_groups.pin_id; existing groups are unpinned', () => {
    const db = new Database(tmp.file('m13.db'))
    migrate(db, 12)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'stopped', seed: 3, iterations: 5 })
    db.prepare(
      "INSERT INTO rollout_groups (run_id, iteration, level, task_seed, task, member_count) VALUES (1, 0, 'macro', 7, 't', 2)"
    ).run()
    migrate(db, 13)
    expect(db.prepare('SELECT pin_id FROM rollout_groups').get()).toEqual({ pin_id: null })
    db.prepare(
      "INSERT INTO blueprint_pins (run_id, source_episode_id, task_seed, task, blueprint_json, author) VALUES (1, 1, 7, 't', '[\"a\"]', 'me')"
    ).run()
    expect(() => db.prepare('UPDATE rollout_groups SET pin_id = 5').run()).toThrow(/FOREIGN KEY/)
    db.prepare('UPDATE rollout_groups SET pin_id = 1').run()
    db.close()
  })
})

describe('migration 14 (experiment tags, notes, archive)', () => {
  it('existing experiments have no tags, empty notes and are not archived', () => {
    const db = new Database(tmp.file('m14.db'))
    migrate(db, 13)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    db.prepare('INSERT INTO experiments (name, config_json) VALUES (?, ?)').run('e', config)
    migrate(db, 14)
    expect(db.prepare('SELECT tags_json, notes, archived_at FROM experiments').get()).toEqual({
      tags_json: '[]',
      notes: '',
      archived_at: null
    })
    db.close()
  })
})

describe('migration 15 (what a checkpoint retains)', () => {
  it('existing checkpoints are kept whole', () => {
    const db = new Database(tmp.file('m15.db'))
    migrate(db, 14)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'failed', seed: 0, iterations: 1 })
    db.prepare(
      "INSERT INTO checkpoints (run_id, iteration, format, weights) VALUES (1, 3, 'f', x'0102')"
    ).run()
    migrate(db, 15)
    expect(db.prepare('SELECT iteration, weights, retain_json FROM checkpoints').get()).toEqual({
      iteration: 3,
      weights: Buffer.from([1, 2]),
      retain_json: null
    })
    db.close()
  })
})

describe('migration 16 (step pack bases)', () => {
  it('existing packs have no base and read back unchanged through the steps view', () => {
    const db = new Database(tmp.file('m16.db'))
    migrate(db, 15)
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'failed', seed: 0, iterations: 1 })
    db.prepare(
      "INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, 0, 'eval', 0, 'webshop', 't', 1, 0, 0, 2)"
    ).run()
    addSamplePack(db, 1)
    const before = db.prepare('SELECT * FROM steps ORDER BY t').all()
    expect(before).toHaveLength(sampleRows().length)
    migrate(db, 16)
    expect(db.prepare('SELECT * FROM steps ORDER BY t').all()).toEqual(before)
    expect(db.prepare('SELECT base_episode_id FROM step_packs').get()).toEqual({
      base_episode_id: null
    })
    db.close()
  })

  it('moves task texts into tasks, once each; the episodes and groups views read as the tables did', () => {
    const db = new Database(tmp.file('m17.db'))
    migrate(db, 16)
    db.pragma('foreign_keys = ON')
    const config = JSON.stringify(experimentConfigSchema.parse({}))
    addRun(db, config, { status: 'completed', seed: 0, iterations: 2 })
    const insert = db.prepare(
      `INSERT INTO episodes (run_id, iteration, phase, member_index, env, task, seed, return, success, length, origin_episode_id)
       VALUES (1, ?, 'train', ?, 'webshop', ?, 7, ?, 0, 2, ?)`
    )
    const texts = ['find a red mug', 'buy shoes, size 9', 'find a red mug', '', 'buy shoes, size 9']
    texts.forEach((task, i) => insert.run(i >> 1, i, task, i / 3, i === 4 ? 1 : null))
    const group = db.prepare(
      "INSERT INTO rollout_groups (run_id, iteration, level, task_seed, task, member_count, parent_group_id) VALUES (1, 0, 'flat', 3, ?, 2, ?)"
    )
    group.run('find a red mug', null)
    group.run('a task no episode has', 1)
    db.prepare('UPDATE episodes SET group_id = 1 WHERE id IN (1, 3)').run()
    const groupsBefore = db.prepare('SELECT * FROM rollout_groups ORDER BY id').all()
    addSamplePack(db, 2)
    const before = db.prepare('SELECT * FROM episodes ORDER BY id').all()
    const steps = db.prepare('SELECT * FROM steps').all()
    migrate(db, 17)
    expect(db.prepare('SELECT * FROM episodes ORDER BY id').all()).toEqual(before)
    expect(db.prepare('SELECT * FROM rollout_groups ORDER BY id').all()).toEqual(groupsBefore)
    expect(db.prepare('SELECT * FROM steps').all()).toEqual(steps)
    expect(db.prepare('SELECT body FROM tasks ORDER BY id').pluck().all()).toEqual([
      'find a red mug',
      'buy shoes, size 9',
      '',
      'a task no episode has'
    ])
    expect(db.pragma('foreign_key_check')).toEqual([])
    // Foreign keys follow the renamed table; a new episode through the writer reuses the text.
    expect(() =>
      db
        .prepare(
          "INSERT INTO step_packs (episode_id, steps, codec, body) VALUES (99, 1, 13, x'00')"
        )
        .run()
    ).toThrow(/FOREIGN KEY/)
    // The writer's statements are the latest schema's.
    migrate(db, LATEST_VERSION)
    const writer = new StoreWriter(db)
    writer.insertRollouts(1, {
      iteration: 2,
      groups: [],
      loose: [
        {
          phase: 'eval',
          memberIndex: 0,
          env: 'webshop',
          task: 'buy shoes, size 9',
          seed: 1,
          blueprint: null,
          return: 0,
          success: false,
          length: 0,
          steps: []
        }
      ]
    })
    expect(db.prepare('SELECT COUNT(*) FROM tasks').pluck().get()).toBe(4)
    expect(db.prepare('SELECT task FROM episodes WHERE id = 6').pluck().get()).toBe(
      'buy shoes, size 9'
    )
    // Counting a run's episodes or groups does not read the texts (the LEFT JOIN is left out).
    for (const table of ['episodes', 'rollout_groups']) {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM ${table} WHERE run_id = 1`)
        .all() as { detail: string }[]
      expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/tasks/)
    }
    // The views flatten into a query that LEFT JOINs them (the groups browser): no view is
    // materialized and no table scanned.
    const joined = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT g.id, g.task, MIN(e.return) FROM rollout_groups g
         LEFT JOIN rollout_groups p ON p.id = g.parent_group_id
         LEFT JOIN episodes e ON e.group_id = g.id WHERE g.run_id = 1 GROUP BY g.id`
      )
      .all() as { detail: string }[]
    expect(joined.map((p) => p.detail).join(' ')).not.toMatch(/MATERIALIZE|SCAN/)
    db.close()
  })
})
