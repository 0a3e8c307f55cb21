// The group browser's reads on hand-made groups (exact aggregates, filters, z* of Phase-B groups,
// subgoal segments) and migration 8 (task types of existing groups, the group-return index).
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import {
  migrate,
  openDatabase,
  schemaVersion,
  StoreReader,
  StoreWriter,
  type EpisodeRecord,
  type StepRecord
} from '../../../core/store'
import { packSteps, stepRowOf } from '../../../core/store/step-pack'
import { subgoalSegments } from '../../../core/store/subgoal-segments'
import type { Step } from '../../../core/api/entities'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config = experimentConfigSchema.parse({ env: 'alfworld', iterations: 2 })
const view = (taskType: string): unknown => ({ kind: 'alfworld', taskType })

/** Steps as `[subgoal, 'D' | 'F' | '']` (sub_done / fallback after it); the final row added. */
function steps(marks: [number, string][], taskType = 'pick_and_place_simple'): StepRecord[] {
  const acted = marks.map(([subgoalIndex, mark], t): StepRecord => ({
    t,
    observation: `o${t}`,
    admissibleActions: ['look'],
    action: 'look',
    reward: 0,
    done: false,
    subgoalIndex,
    subDone: mark === 'D',
    fallback: mark === 'F',
    advantage: t === 0 ? 1 : 0.5,
    view: view(taskType)
  }))
  const t = acted.length
  return [
    ...acted,
    { t, observation: 'end', admissibleActions: [], action: '', reward: 0, done: true }
  ]
}

const member = (
  memberIndex: number,
  ret: number,
  blueprint: string[] | null,
  marks: [number, string][],
  over: Partial<EpisodeRecord> = {}
): EpisodeRecord => ({
  phase: 'train',
  memberIndex,
  env: 'alfworld',
  task: 'put a pen in desk.',
  seed: 11,
  blueprint,
  planLogProb: blueprint ? -memberIndex - 1 : null,
  planAdvantage: blueprint ? ret - 5 : null,
  return: ret,
  success: ret > 0,
  length: marks.length,
  steps: steps(marks),
  ...over
})

const A = ['find the pen', 'take the pen', 'put the pen in the desk']
const B = ['find the pen', 'go to the desk']

function seeded(name: string): { db: ReturnType<typeof openDatabase>; reader: StoreReader } {
  const db = openDatabase(tmp.file(name))
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment('g', null, config), config)
  // Iteration 0: a macro group (z* = member 1, succeeded) and its Phase-B group; a flat group.
  writer.insertRollouts(runId, {
    iteration: 0,
    groups: [
      {
        level: 'macro',
        taskSeed: 11,
        task: 'put a pen in desk.',
        chosenMember: 1,
        chosenBlueprint: A,
        episodes: [
          member(0, 0, B, [
            [0, 'D'],
            [1, ''],
            [1, 'F'],
            [2, '']
          ]),
          member(1, 10, A, [
            [0, ''],
            [0, 'D'],
            [2, 'D'],
            [3, '']
          ]),
          member(2, 0, A, [
            [0, ''],
            [0, 'D'],
            [2, 'D'],
            [3, '']
          ])
        ]
      },
      {
        level: 'micro',
        taskSeed: 11,
        task: 'put a pen in desk.',
        chosenBlueprint: A,
        parent: 0,
        episodes: [
          member(
            0,
            10,
            A,
            [
              [0, 'D'],
              [1, 'D'],
              [2, 'D'],
              [3, '']
            ],
            { planAdvantage: null }
          ),
          member(
            1,
            0,
            A,
            [
              [0, 'F'],
              [1, '']
            ],
            { planAdvantage: null }
          )
        ]
      },
      {
        level: 'flat',
        taskSeed: 12,
        task: 'look at a pen under the desklamp.',
        episodes: [0, 1].map((m) =>
          member(m, 3, null, [[0, '']], {
            steps: steps([[0, '']], 'look_at_obj_in_light').map((s) => ({
              ...s,
              subgoalIndex: null
            }))
          })
        )
      }
    ],
    loose: []
  })
  // Iteration 1: a macro group whose z* failed, all returns equal.
  writer.insertRollouts(runId, {
    iteration: 1,
    groups: [
      {
        level: 'macro',
        taskSeed: 13,
        task: 'put a pen in desk.',
        chosenMember: 0,
        chosenBlueprint: B,
        episodes: [member(0, 0, B, [[0, '']]), member(1, 0, B, [[0, '']])]
      }
    ],
    loose: []
  })
  return { db, reader: new StoreReader(db) }
}

describe('group queries', () => {
  it('pages groups with their aggregates, z* (a Phase-B group: its parent’s) and links', () => {
    const { db, reader } = seeded('page.db')
    const { total, items } = reader.pageGroups({ runId: 1, offset: 0, limit: 10 })
    expect(total).toBe(4)
    const [macro, micro, flat, flatMacro] = items
    expect(macro).toMatchObject({
      id: 1,
      iteration: 0,
      level: 'macro',
      taskType: 'pick_and_place_simple',
      size: 3,
      zStarEpisodeId: 2,
      zStarSuccess: true,
      allEqual: false,
      bestReturn: 10,
      distinctBlueprints: 2,
      parentGroupId: null,
      childGroupId: 2
    })
    expect(macro!.meanReturn).toBeCloseTo(10 / 3, 12)
    expect(micro).toMatchObject({
      level: 'micro',
      zStarEpisodeId: 2,
      zStarSuccess: true,
      distinctBlueprints: 1,
      parentGroupId: 1,
      childGroupId: null
    })
    expect(flat).toMatchObject({
      level: 'flat',
      taskType: 'look_at_obj_in_light',
      zStarEpisodeId: null,
      zStarSuccess: null,
      allEqual: true,
      distinctBlueprints: 0
    })
    expect(flatMacro).toMatchObject({ iteration: 1, allEqual: true, zStarSuccess: false })
    db.close()
  })

  it('filters by iteration, level, task type and outcome, and pages', () => {
    const { db, reader } = seeded('filters.db')
    const ids = (q: Partial<Parameters<StoreReader['pageGroups']>[0]>): number[] =>
      reader.pageGroups({ runId: 1, offset: 0, limit: 10, ...q }).items.map((g) => g.id)
    expect(ids({ iteration: 0 })).toEqual([1, 2, 3])
    expect(ids({ level: 'macro' })).toEqual([1, 4])
    expect(ids({ taskType: 'look_at_obj_in_light' })).toEqual([3])
    expect(ids({ taskType: 'nope' })).toEqual([])
    expect(ids({ filter: 'all-equal' })).toEqual([3, 4])
    expect(ids({ filter: 'zstar-succeeded' })).toEqual([1, 2])
    expect(ids({ filter: 'zstar-failed' })).toEqual([4])
    expect(ids({ filter: 'zstar-succeeded', level: 'micro' })).toEqual([2])
    const page = reader.pageGroups({ runId: 1, offset: 1, limit: 2 })
    expect([page.total, page.items.map((g) => g.id)]).toEqual([4, [2, 3]])
    expect(reader.pageGroups({ runId: 1, offset: 9, limit: 2 })).toEqual({ total: 4, items: [] })
    expect(reader.pageGroups({ runId: 2, offset: 0, limit: 2 })).toEqual({ total: 0, items: [] })
    expect(reader.groupFacets(1)).toEqual({
      iterations: [0, 1],
      levels: ['flat', 'macro', 'micro'],
      taskTypes: ['look_at_obj_in_light', 'pick_and_place_simple']
    })
    db.close()
  })

  it('a group with its members: blueprints, advantages, z*, segments, parent and children', () => {
    const { db, reader } = seeded('detail.db')
    const macro = reader.groupDetail(1)!
    expect(macro.env).toBe('alfworld')
    expect(macro.parent).toBeNull()
    expect(macro.children.map((c) => c.id)).toEqual([2])
    expect(
      macro.members.map((m) => [m.memberIndex, m.isZStar, m.advantage, m.planLogProb, m.blueprint])
    ).toEqual([
      [0, false, -5, -1, B],
      [1, true, 5, -2, A],
      [2, false, -5, -3, A]
    ])
    expect(macro.members[0]!.segments).toEqual([
      { index: 0, steps: 1, firstT: 0, lastT: 0, end: 'sub_done' },
      { index: 1, steps: 2, firstT: 1, lastT: 2, end: 'fallback' },
      { index: 2, steps: 1, firstT: 3, lastT: 3, end: 'episode_end' }
    ])
    expect(macro.members[0]).toMatchObject({ subDoneCount: 1, fallbackCount: 1 })
    // Subgoal 1 of member 1 ended by `<sub_done>` with no step of its own.
    expect(macro.members[1]!.segments.map((s) => [s.steps, s.end])).toEqual([
      [2, 'sub_done'],
      [0, 'sub_done'],
      [1, 'sub_done'],
      [1, 'episode_end']
    ])
    const micro = reader.groupDetail(2)!
    expect(micro.parent?.id).toBe(1)
    expect(micro.children).toEqual([])
    // Phase B: the mean step advantage (1 on the first step, 0.5 on the others).
    expect(micro.members.map((m) => m.advantage)).toEqual([(1 + 0.5 * 3) / 4, (1 + 0.5) / 2])
    expect(micro.members.map((m) => m.isZStar)).toEqual([false, false])
    expect(micro.members[1]!.segments.map((s) => [s.steps, s.end])).toEqual([
      [1, 'fallback'],
      [1, 'episode_end'],
      [0, 'not_reached'],
      [0, 'not_reached']
    ])
    const flat = reader.groupDetail(3)!
    expect(flat.members.map((m) => [m.blueprint, m.segments, m.isZStar])).toEqual([
      [[], [], false],
      [[], [], false]
    ])
    expect(reader.groupDetail(99)).toBeUndefined()
    db.close()
  })
})

describe('subgoal segments', () => {
  const step = (t: number, subgoalIndex: number | null, mark = '', action = 'look'): Step =>
    ({
      t,
      action,
      subgoalIndex,
      subDone: mark === 'D',
      fallback: mark === 'F'
    }) as Step
  it('no blueprint, no segments; an episode without steps reaches nothing', () => {
    expect(subgoalSegments([step(0, null)], 0)).toEqual({
      segments: [],
      subDoneCount: 0,
      fallbackCount: 0
    })
    expect(subgoalSegments([], 1).segments.map((s) => s.end)).toEqual([
      'not_reached',
      'not_reached'
    ])
  })
  it('the last reached subgoal ends by sub_done or fallback if marked, else with the episode', () => {
    const ends = (marks: string): string[] =>
      subgoalSegments([step(0, 0), step(1, 1, marks), step(2, null, '', '')], 2).segments.map(
        (s) => s.end
      )
    expect(ends('D')).toEqual(['sub_done', 'sub_done', 'not_reached'])
    expect(ends('F')).toEqual(['sub_done', 'fallback', 'not_reached'])
    expect(ends('')).toEqual(['sub_done', 'episode_end', 'not_reached'])
  })
})

describe('migration 8 (group task types)', () => {
  it('fills the task type of existing groups from their first member’s first step view', () => {
    const db = new Database(tmp.file('m8.db'))
    migrate(db, 7)
    const cfg = JSON.stringify(config)
    db.prepare('INSERT INTO experiments (name, config_json) VALUES (?, ?)').run('e', cfg)
    db.prepare(
      "INSERT INTO runs (experiment_id, status, seed, config_json, iterations) VALUES (1, 'completed', 0, ?, 1)"
    ).run(cfg)
    const group = db.prepare(
      "INSERT INTO rollout_groups (run_id, iteration, level, task_seed, task, member_count) VALUES (1, 0, 'flat', ?, 't', 2)"
    )
    const episode = db.prepare(
      "INSERT INTO episodes (run_id, group_id, iteration, phase, member_index, env, task, seed, return, success, length) VALUES (1, ?, 0, 'train', ?, 'alfworld', 't', 3, 0, 0, 1)"
    )
    const pack = db.prepare(
      'INSERT INTO step_packs (episode_id, steps, codec, body) VALUES (?, ?, ?, ?)'
    )
    const packOf = (type: string | null): { codec: number; body: Buffer } =>
      packSteps(
        'alfworld',
        steps([[0, '']], type ?? '').map((s) => stepRowOf(type === null ? { ...s, view: {} } : s))
      )
    // Group 1: member 1 is stored first but member 0 names the type; group 2: no type in the view;
    // group 3: no steps at all.
    for (const g of [1, 2, 3]) group.run(g)
    episode.run(1, 1)
    episode.run(1, 0)
    episode.run(2, 0)
    episode.run(3, 0)
    for (const [id, type] of [
      [1, 'pick_cool_then_place_in_recep'],
      [2, 'pick_heat_then_place_in_recep'],
      [3, null]
    ] as const) {
      const p = packOf(type)
      pack.run(id, 2, p.codec, p.body)
    }
    migrate(db, 8)
    expect(schemaVersion(db)).toBe(8)
    expect(db.prepare('SELECT id, task_type FROM rollout_groups ORDER BY id').all()).toEqual([
      { id: 1, task_type: 'pick_heat_then_place_in_recep' },
      { id: 2, task_type: null },
      { id: 3, task_type: null }
    ])
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT MIN(return) FROM episodes WHERE group_id = 1')
      .all() as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('episodes_by_group_return')
    db.close()
  })
})
