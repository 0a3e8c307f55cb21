// Migration 7: step extras in the packs, group parents, Phase-A plan log-prob and advantage.
import zlib from 'node:zlib'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import {
  LATEST_VERSION,
  migrate,
  openDatabase,
  schemaVersion,
  StoreReader,
  StoreWriter,
  type EpisodeRecord,
  type GroupRecord,
  type StepRecord
} from '../../../core/store'
import { packSteps, serializeSteps, stepRowOf, unpackSteps } from '../../../core/store/step-pack'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config = experimentConfigSchema.parse({ iterations: 2, seed: 7 })
const ADMISSIBLE = ['go to desk 1', 'look', 'open drawer 1']

/** Steps with every kind of extra, and one without any. */
const lmSteps = (): StepRecord[] => [
  {
    t: 0,
    observation: 'You are in the middle of a room.',
    admissibleActions: ADMISSIBLE,
    action: 'look',
    reward: 0,
    done: false,
    subgoalIndex: 0,
    logProb: -0.4,
    // The admissible list and `<sub_done>`, as the constrained LM decoder records them.
    candidates: [
      { action: 'go to desk 1', prob: 0.1234567 },
      { action: 'look', prob: 0.6666666 },
      { action: 'open drawer 1', prob: 0.000012345678 },
      { action: '<sub_done>', prob: 0.20986436 }
    ],
    subDoneProb: 0.20986436
  },
  {
    t: 1,
    observation: 'Nothing happens.',
    admissibleActions: ADMISSIBLE,
    action: 'fly away',
    reward: -0.1,
    done: false,
    subgoalIndex: 0,
    subDone: true,
    invalid: true,
    fallback: true,
    // Not in admissible order, one of them not admissible at all.
    candidates: [
      { action: 'open drawer 1', prob: 0.5 },
      { action: 'fly away', prob: 0.25 },
      { action: 'go to desk 1', prob: 0.25 }
    ]
  },
  {
    t: 2,
    observation: 'You arrive at desk 1.',
    admissibleActions: ADMISSIBLE,
    action: 'look',
    reward: 0,
    done: false,
    subgoalIndex: 1,
    candidates: ADMISSIBLE.map((action, i) => ({ action, prob: [0.2, 0.3, 0.5][i]! })),
    // Two `<sub_done>` choices in this state before the action: the decoder's list, then one
    // in another order with an action outside the admissible list.
    subDoneChoices: [
      [...ADMISSIBLE, '<sub_done>'].map((action, i) => ({
        action,
        prob: [0.1, 0.1, 0.1, 0.70000004][i]!
      })),
      [
        { action: '<sub_done>', prob: 0.9 },
        { action: 'dance', prob: 0.1 }
      ]
    ]
  },
  { t: 3, observation: 'end', admissibleActions: [], action: '', reward: 0, done: true }
]

const episode = (over: Partial<EpisodeRecord> = {}): EpisodeRecord => ({
  phase: 'train',
  memberIndex: 0,
  env: 'alfworld',
  task: 'put a pen on the desk',
  seed: 3,
  return: 0,
  success: false,
  length: 3,
  steps: lmSteps(),
  ...over
})

const macro = (): GroupRecord => ({
  level: 'macro',
  taskSeed: 3,
  task: 'put a pen on the desk',
  chosenMember: 1,
  chosenBlueprint: ['go to desk', 'put pen'],
  episodes: [
    episode({ planLogProb: -12.5, planAdvantage: -0.7, blueprint: ['look'] }),
    episode({ memberIndex: 1, planLogProb: -9.25, planAdvantage: 0.7 })
  ]
})
const micro = (parent: number | null): GroupRecord => ({
  level: 'micro',
  taskSeed: 3,
  task: 'put a pen on the desk',
  parent,
  episodes: [episode({ blueprint: ['go to desk', 'put pen'] })]
})

function setup(name: string) {
  const db = openDatabase(tmp.file(name))
  const writer = new StoreWriter(db)
  const reader = new StoreReader(db)
  const runId = writer.createRun(writer.createExperiment('exp', null, config), config)
  return { db, writer, reader, runId }
}

const count = (db: Database.Database, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

describe('step extras in the packs', () => {
  it('round-trip every extra; probabilities in units of 1e-4', () => {
    const { db, writer, reader, runId } = setup('extras.db')
    const [id] = writer.insertRollouts(runId, {
      iteration: 0,
      groups: [],
      loose: [episode()]
    }).episodeIds
    const steps = reader.getSteps(id!)
    expect(steps[0]).toMatchObject({
      candidates: [
        { action: 'go to desk 1', prob: 0.1235 },
        { action: 'look', prob: 0.6667 },
        { action: 'open drawer 1', prob: 0 },
        { action: '<sub_done>', prob: 0.2099 }
      ],
      invalid: false,
      fallback: false,
      subDoneProb: 0.2099
    })
    expect(steps[1]).toMatchObject({
      candidates: [
        { action: 'open drawer 1', prob: 0.5 },
        { action: 'fly away', prob: 0.25 },
        { action: 'go to desk 1', prob: 0.25 }
      ],
      invalid: true,
      fallback: true,
      subDone: true,
      subDoneProb: null
    })
    expect(steps[2]?.candidates?.map((c) => c.prob)).toEqual([0.2, 0.3, 0.5])
    expect(steps[2]?.subDoneChoices).toEqual([
      [
        { action: 'go to desk 1', prob: 0.1 },
        { action: 'look', prob: 0.1 },
        { action: 'open drawer 1', prob: 0.1 },
        { action: '<sub_done>', prob: 0.7 }
      ],
      [
        { action: '<sub_done>', prob: 0.9 },
        { action: 'dance', prob: 0.1 }
      ]
    ])
    expect(steps.filter((s) => s.subDoneChoices !== null).map((s) => s.t)).toEqual([2])
    expect(steps[3]).toMatchObject({
      candidates: null,
      invalid: false,
      fallback: false,
      subDoneProb: null
    })
    // The view's column is plain JSON that SQLite can query.
    const flags = db
      .prepare(
        `SELECT t, json_extract(extra_json, '$.invalid') AS invalid,
           json_array_length(extra_json, '$.candidates') AS n FROM steps ORDER BY t`
      )
      .all()
    expect(flags).toEqual([
      { t: 0, invalid: null, n: 4 },
      { t: 1, invalid: 1, n: 3 },
      { t: 2, invalid: null, n: 3 },
      { t: 3, invalid: null, n: null }
    ])
    db.close()
  })

  it('rows come back byte for byte; a step without extras packs as the 11-column tuple', () => {
    const rows = lmSteps().map(stepRowOf)
    for (const env of ['alfworld', 'other']) {
      const pack = packSteps(env, rows)
      expect(unpackSteps(pack.codec, pack.body)).toEqual(rows)
    }
    const plain = JSON.parse(serializeSteps([rows[3]!])) as unknown[][]
    expect(plain[0]).toHaveLength(11)
    const packed = JSON.parse(serializeSteps([rows[2]!])) as unknown[][]
    // The candidates are the admissible list: only their probabilities are stored. A <sub_done>
    // choice refers to the same list and names what is not in it.
    expect(packed[0]?.[11]).toEqual({
      p: [0.2, 0.3, 0.5],
      d: [
        { p: [0.1, 0.1, 0.1, 0.7], a: [3, '<sub_done>'] },
        { p: [0.9, 0.1], a: [0, '<sub_done>', 'dance'] }
      ]
    })
  })

  it('refuses a probability that JSON cannot hold', () => {
    const bad = { ...lmSteps()[2]!, candidates: [{ action: 'look', prob: Number.NaN }] }
    expect(() => stepRowOf(bad)).toThrow(/finite/)
  })
})

describe('group parents and plan fields', () => {
  it('the writer resolves a parent index to the group id; episodes keep plan log-prob and advantage', () => {
    const { db, writer, reader, runId } = setup('parents.db')
    // The child first: a parent later in the batch resolves too.
    const { episodeIds } = writer.insertRollouts(runId, {
      iteration: 0,
      groups: [micro(1), macro(), micro(1)],
      loose: []
    })
    const groups = reader.listGroups(runId, 0)
    expect(groups.map((g) => [g.level, g.parentGroupId])).toEqual([
      ['micro', groups[1]!.id],
      ['macro', null],
      ['micro', groups[1]!.id]
    ])
    expect(reader.getGroup(groups[0]!.id)?.group.parentGroupId).toBe(groups[1]!.id)
    const members = reader.getGroup(groups[1]!.id)!.episodes
    expect(members.map((e) => [e.planLogProb, e.planAdvantage])).toEqual([
      [-12.5, -0.7],
      [-9.25, 0.7]
    ])
    const child = reader.getEpisode(episodeIds[0]!)!
    expect([child.planLogProb, child.planAdvantage]).toEqual([null, null])
    // Rewinding deletes parents and children together.
    writer.rewindRun(runId, 0)
    expect(count(db, 'rollout_groups')).toBe(0)
    db.close()
  })

  it.each([
    ['out of range', [macro(), micro(2)], /parent 2 is not the index of another group/],
    ['negative', [macro(), micro(-1)], /parent -1 is not/],
    ['itself', [macro(), micro(1)], /group 1 .*parent 1 is not/],
    ['fractional', [macro(), micro(0.5)], /parent 0.5 is not/],
    ['a cycle', [{ ...micro(1) }, { ...micro(0) }], /parents form a cycle/]
  ])('the writer refuses a parent that is %s and writes nothing', (_, groups, error) => {
    const { db, writer, runId } = setup(`bad-parent-${String(_).replace(/ /g, '-')}.db`)
    expect(() =>
      writer.insertRollouts(runId, { iteration: 0, groups, loose: [episode()] })
    ).toThrow(error)
    expect(['rollout_groups', 'episodes', 'step_packs'].map((t) => count(db, t))).toEqual([0, 0, 0])
    db.close()
  })
})

describe('migration 7 (HiMAC records)', () => {
  it('a version-6 database with data migrates; its packs read back without extras', () => {
    const db = new Database(tmp.file('m7.db'))
    migrate(db, 6)
    const cfg = JSON.stringify(config)
    db.prepare('INSERT INTO experiments (name, config_json) VALUES (?, ?)').run('e', cfg)
    db.prepare(
      "INSERT INTO runs (experiment_id, status, seed, config_json, iterations) VALUES (1, 'completed', 0, ?, 1)"
    ).run(cfg)
    db.prepare(
      "INSERT INTO rollout_groups (run_id, iteration, level, task_seed, task, member_count) VALUES (1, 0, 'macro', 3, 't', 2)"
    ).run()
    const insertEpisode = db.prepare(
      "INSERT INTO episodes (run_id, group_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, 1, 0, 'train', ?, ?, 't', 3, 0, 0, 2)"
    )
    insertEpisode.run(0, 'other')
    insertEpisode.run(1, 'alfworld')
    // A pack as versions 4–6 wrote it, made here without the current code: 11-element tuples.
    const oldTuples = [
      [0, 'o0', '["look"]', 'look', 0, 0, 0, 1, -0.5, 0.25, null],
      [1, 'o1', '[]', '', 0, 1, null, 0, null, null, '{"kind":"x"}']
    ]
    const body = zlib.deflateRawSync(JSON.stringify(oldTuples))
    const insertPack = db.prepare(
      'INSERT INTO step_packs (episode_id, steps, codec, body) VALUES (?, ?, ?, ?)'
    )
    insertPack.run(1, 2, 1, body)
    const dictionaryPack = packSteps('alfworld', lmSteps().slice(3).map(stepRowOf))
    insertPack.run(2, 1, dictionaryPack.codec, dictionaryPack.body)
    const before = db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all() as object[]

    migrate(db, 7)
    expect(schemaVersion(db)).toBe(7)
    expect(db.prepare('SELECT * FROM steps ORDER BY episode_id, t').all()).toEqual(
      before.map((r) => ({ ...r, extra_json: null }))
    )
    const reader = new StoreReader(db)
    expect(
      reader.getSteps(1).map((s) => [s.candidates, s.invalid, s.fallback, s.subDoneProb])
    ).toEqual([
      [null, false, false, null],
      [null, false, false, null]
    ])
    expect(reader.getSteps(1)[0]).toMatchObject({ action: 'look', logProb: -0.5, subDone: true })
    expect(reader.getSteps(2)).toHaveLength(1)
    expect(reader.getEpisode(1)).toMatchObject({ planLogProb: null, planAdvantage: null })
    expect(reader.listGroups(1, 0)[0]?.parentGroupId).toBeNull()
    // The migrated file (brought to the latest version, as opening does) takes the new records.
    migrate(db, LATEST_VERSION)
    const writer = new StoreWriter(db)
    writer.insertRollouts(1, { iteration: 1, groups: [macro(), micro(0)], loose: [] })
    expect(reader.listGroups(1, 1).map((g) => g.parentGroupId)).toEqual([null, 2])
    db.close()
  })
})
