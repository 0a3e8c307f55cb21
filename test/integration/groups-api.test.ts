// The group browser's commands (groups/page, groups/facets, groups/get) through the service on the
// SQLite file of a real tiny HiMAC run on ALFWorld (macro and micro groups) and of a flat GRPO run,
// every number checked against the stored rows read another way; bad inputs are errors as data
// and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  experimentConfigSchema,
  type ExperimentConfig,
  type ExperimentConfigInput
} from '../../core/api/config'
import type { GroupDetail, GroupSummary } from '../../core/api/entities'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { ALFWORLD_TASK_TYPES } from '../../core/envs/alfworld/generator'
import { openDatabase, type StoreReader, StoreWriter, type StoredGroup } from '../../core/store'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
const file = tmp.file('groups.db')
let service: WorkbenchService
let himacRun = 0
let flatRun = 0

const himac = experimentConfigSchema.parse({
  env: 'alfworld',
  algo: 'himac',
  iterations: 2,
  seed: 3,
  groupsPerIteration: 2,
  groupSize: 3,
  evalEvery: 0,
  policy: {
    lm: { dModel: 16, layers: 1, heads: 2 },
    warmStart: { episodes: 6, epochs: 1, batchDecisions: 32 }
  }
} satisfies ExperimentConfigInput)

const flat = experimentConfigSchema.parse({
  env: 'sokoban',
  algo: 'grpo',
  iterations: 2,
  seed: 3,
  groupsPerIteration: 2,
  groupSize: 3,
  evalEvery: 0
} satisfies ExperimentConfigInput)

async function train(config: ExperimentConfig): Promise<number> {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment(config.algo, null, config), config)
  const outcome = await runExperiment(config, createStoreSink(writer, runId))
  writer.finishRun(runId, outcome.status)
  db.close()
  return runId
}

beforeAll(async () => {
  himacRun = await train(himac)
  flatRun = await train(flat)
  service = createWorkbenchService({ dbPath: file, launcher: nodeForkLauncher, presets: [] })
}, 240_000)
afterAll(async () => {
  await service?.close()
  tmp.remove()
})

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await service.invoke(name, input)
  if (r.error) throw new Error(`${name}: ${JSON.stringify(r.error)}`)
  return r.data as T
}

type Page = { total: number; items: GroupSummary[] }

/** Every stored group of a run with its members, read with the plain store queries. */
function storedGroups(reader: StoreReader, runId: number): ReturnType<StoreReader['getGroup']>[] {
  return reader
    .groupIterations(runId)
    .flatMap((it) => reader.listGroups(runId, it))
    .map((g: StoredGroup) => reader.getGroup(g.id))
}

describe('groups API on a real HiMAC run', () => {
  it('facets: the run’s iterations, both levels, ALFWorld task types', async () => {
    const facets = await call<{ iterations: number[]; levels: string[]; taskTypes: string[] }>(
      'groups/facets',
      { runId: himacRun }
    )
    expect(facets.iterations).toEqual(service.reader.groupIterations(himacRun))
    expect(facets.levels).toEqual(['macro', 'micro'])
    expect(facets.taskTypes.length).toBeGreaterThan(0)
    for (const t of facets.taskTypes) expect(ALFWORLD_TASK_TYPES as readonly string[]).toContain(t)
  })

  it('every group’s summary matches its stored members', async () => {
    const page = await call<Page>('groups/page', { runId: himacRun, limit: 200 })
    const stored = storedGroups(service.reader, himacRun)
    // 2 iterations × 2 tasks × (Phase A + Phase B).
    expect(page.total).toBe(8)
    expect(page.items.map((g) => g.id)).toEqual(stored.map((s) => s!.group.id))
    for (const [i, g] of page.items.entries()) {
      const { group, episodes } = stored[i]!
      const returns = episodes.map((e) => e.return)
      const parent =
        group.parentGroupId === null ? null : service.reader.getGroup(group.parentGroupId)
      expect(g).toMatchObject({
        iteration: group.iteration,
        level: group.level,
        taskSeed: group.taskSeed,
        task: group.task,
        size: episodes.length,
        parentGroupId: group.parentGroupId,
        allEqual: returns.every((r) => r === returns[0]),
        bestReturn: Math.max(...returns),
        distinctBlueprints: new Set(episodes.map((e) => JSON.stringify(e.blueprint))).size,
        zStarEpisodeId:
          group.level === 'macro' ? group.chosenEpisodeId : parent!.group.chosenEpisodeId
      })
      expect(g.meanReturn).toBeCloseTo(returns.reduce((a, b) => a + b, 0) / returns.length, 9)
      const zStar = service.reader.getEpisode(g.zStarEpisodeId!)
      expect(g.zStarSuccess).toBe(zStar!.success)
      const taskType = (service.reader.getSteps(episodes[0]!.id)[0]?.view as { taskType: string })
        .taskType
      expect(g.taskType).toBe(taskType)
      if (g.level === 'macro') {
        const child = page.items.find((c) => c.parentGroupId === g.id)
        expect(g.childGroupId).toBe(child?.id)
      }
    }
  })

  it('filters and pages agree with the full list', async () => {
    const all = (await call<Page>('groups/page', { runId: himacRun, limit: 200 })).items
    const ids = (gs: GroupSummary[]): number[] => gs.map((g) => g.id)
    const query = async (q: object): Promise<number[]> =>
      ids((await call<Page>('groups/page', { runId: himacRun, limit: 200, ...q })).items)
    expect(await query({ filter: 'all-equal' })).toEqual(ids(all.filter((g) => g.allEqual)))
    expect(await query({ filter: 'zstar-succeeded' })).toEqual(
      ids(all.filter((g) => g.zStarSuccess === true))
    )
    expect(await query({ filter: 'zstar-failed' })).toEqual(
      ids(all.filter((g) => g.zStarSuccess === false))
    )
    expect(await query({ level: 'micro' })).toEqual(ids(all.filter((g) => g.level === 'micro')))
    const it0 = all[0]!.iteration
    expect(await query({ iteration: it0, level: 'macro' })).toEqual(
      ids(all.filter((g) => g.iteration === it0 && g.level === 'macro'))
    )
    const type = all[0]!.taskType!
    expect(await query({ taskType: type })).toEqual(ids(all.filter((g) => g.taskType === type)))
    const paged: number[] = []
    for (let offset = 0; offset < all.length; offset += 3) {
      const page = await call<Page>('groups/page', { runId: himacRun, offset, limit: 3 })
      expect(page.total).toBe(all.length)
      paged.push(...ids(page.items))
    }
    expect(paged).toEqual(ids(all))
  })

  it('a macro group: G blueprints with plan advantage and log-prob, one z*, its Phase-B child', async () => {
    const { items } = await call<Page>('groups/page', { runId: himacRun, level: 'macro' })
    for (const summary of items) {
      const d = await call<GroupDetail>('groups/get', { groupId: summary.id })
      const episodes = service.reader.getGroup(summary.id)!.episodes
      expect(d.group).toEqual(summary)
      expect(d.env).toBe('alfworld')
      expect(d.members.map((m) => m.episodeId)).toEqual(episodes.map((e) => e.id))
      expect(d.members.map((m) => [m.return, m.success, m.length])).toEqual(
        episodes.map((e) => [e.return, e.success, e.length])
      )
      expect(d.members.map((m) => m.advantage)).toEqual(episodes.map((e) => e.planAdvantage))
      expect(d.members.map((m) => m.planLogProb)).toEqual(episodes.map((e) => e.planLogProb))
      expect(d.members.map((m) => m.blueprint)).toEqual(episodes.map((e) => e.blueprint))
      expect(d.members.filter((m) => m.isZStar).map((m) => m.episodeId)).toEqual([
        summary.zStarEpisodeId
      ])
      expect(d.parent).toBeNull()
      expect(d.children.map((c) => c.id)).toEqual([summary.childGroupId])
      expect(d.children[0]!.parentGroupId).toBe(summary.id)
    }
  })

  it('a micro group: N executions of z* cut by subgoal, linked to its Phase-A group', async () => {
    const { items } = await call<Page>('groups/page', { runId: himacRun, level: 'micro' })
    expect(items.length).toBe(4)
    for (const summary of items) {
      const d = await call<GroupDetail>('groups/get', { groupId: summary.id })
      expect(d.parent?.id).toBe(summary.parentGroupId)
      expect(d.parent?.childGroupId).toBe(summary.id)
      const zStar = service.reader.getEpisode(summary.zStarEpisodeId!)!
      for (const m of d.members) {
        expect(m.isZStar).toBe(false)
        expect(m.blueprint).toEqual(zStar.blueprint)
        expect(m.segments.map((s) => s.index)).toEqual(
          Array.from({ length: m.blueprint.length + 1 }, (_, i) => i)
        )
        const steps = service.reader.getSteps(m.episodeId)
        const acted = steps.filter((s) => s.action !== '')
        expect(m.segments.reduce((n, s) => n + s.steps, 0)).toBe(acted.length)
        expect(m.subDoneCount).toBe(steps.filter((s) => s.subDone).length)
        expect(m.fallbackCount).toBe(steps.filter((s) => s.fallback).length)
        expect(m.segments.filter((s) => s.end === 'fallback').length).toBe(m.fallbackCount)
        // Phase B broadcasts the episode advantage to every step.
        expect(m.advantage).toBeCloseTo(acted[0]!.advantage!, 12)
        for (const s of m.segments)
          if (s.steps > 0)
            expect(acted.filter((a) => a.subgoalIndex === s.index).map((a) => a.t)).toEqual(
              Array.from({ length: s.steps }, (_, k) => s.firstT! + k)
            )
      }
    }
  })

  it('flat GRPO groups: one level, no z*, no blueprints, the episode advantage', async () => {
    const page = await call<Page>('groups/page', { runId: flatRun, limit: 200 })
    expect(page.total).toBe(4)
    expect(page.items.every((g) => g.level === 'flat' && g.zStarEpisodeId === null)).toBe(true)
    expect(page.items.every((g) => g.taskType === null && g.distinctBlueprints === 0)).toBe(true)
    const d = await call<GroupDetail>('groups/get', { groupId: page.items[0]!.id })
    expect(d.members.map((m) => [m.blueprint, m.segments, m.isZStar])).toEqual(
      d.members.map(() => [[], [], false])
    )
    for (const m of d.members) {
      const first = service.reader.getSteps(m.episodeId)[0]!
      expect(m.advantage).toBeCloseTo(first.advantage!, 12)
    }
    expect(
      (await call<Page>('groups/page', { runId: flatRun, filter: 'zstar-succeeded' })).total
    ).toBe(0)
  })

  it('bad inputs are errors as data, naming the field, and change nothing', async () => {
    const before = ['runs', 'episodes', 'steps'].map((t) =>
      service.reader.countRows(t as 'runs' | 'episodes' | 'steps')
    )
    const version = service.reader.dataVersion()
    const cases: [string, unknown, string, string?][] = [
      ['groups/page', { runId: himacRun, limit: 201 }, 'ValidationError', 'limit'],
      ['groups/page', { runId: himacRun, limit: 0 }, 'ValidationError', 'limit'],
      ['groups/page', { runId: himacRun, offset: -1 }, 'ValidationError', 'offset'],
      ['groups/page', { runId: himacRun, level: 'meso' }, 'ValidationError', 'level'],
      ['groups/page', { runId: himacRun, filter: 'best' }, 'ValidationError', 'filter'],
      ['groups/page', { runId: himacRun, iteration: -1 }, 'ValidationError', 'iteration'],
      ['groups/page', { runId: himacRun, taskType: '' }, 'ValidationError', 'taskType'],
      ['groups/page', { runId: himacRun, extra: 1 }, 'ValidationError'],
      ['groups/page', { runId: '1' }, 'ValidationError', 'runId'],
      ['groups/page', {}, 'ValidationError', 'runId'],
      ['groups/page', { runId: 999 }, 'NotFound'],
      ['groups/facets', { runId: 999 }, 'NotFound'],
      ['groups/get', { groupId: 0 }, 'ValidationError', 'groupId'],
      ['groups/get', { groupId: 1.5 }, 'ValidationError', 'groupId'],
      ['groups/get', { groupId: 99_999 }, 'NotFound']
    ]
    for (const [name, input, type, field] of cases) {
      const r = await service.invoke(name, input)
      expect(r.error?.type, `${name} ${JSON.stringify(input)}`).toBe(type)
      expect(r.error?.message.length).toBeGreaterThan(0)
      if (field) expect(r.error?.field).toBe(field)
    }
    expect(
      ['runs', 'episodes', 'steps'].map((t) =>
        service.reader.countRows(t as 'runs' | 'episodes' | 'steps')
      )
    ).toEqual(before)
    expect(service.reader.dataVersion()).toBe(version)
  })
})
