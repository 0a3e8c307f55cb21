// Blueprint pins on a real HiMAC run (Sokoban, tiny model): a Phase-A blueprint pinned while the run
// is stopped is taken at the first resumed iteration — its task joins every later iteration and its
// Phase-B group executes the pinned blueprint, naming the pin — and a removal stops it; the store
// records when each pin started and stopped, so taking pins again for the same iterations (a
// resume) gives the same answer. Bad pins are refused through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema, type ExperimentConfigInput } from '../../core/api/config'
import type { BlueprintPin, Run } from '../../core/api/entities'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { openDatabase, StoreWriter } from '../../core/store'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { resumeRun, trainRun } from '../helpers/store-runs'
import { nextEvent } from '../helpers/service-events'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
const file = tmp.file('pins.db')
let runId = 0
let service: WorkbenchService

const config = experimentConfigSchema.parse({
  env: 'sokoban',
  algo: 'himac',
  iterations: 4,
  seed: 9,
  groupsPerIteration: 2,
  groupSize: 2,
  evalEvery: 0,
  checkpointEvery: 1,
  policy: {
    kind: 'lm',
    lm: { dModel: 16, layers: 1, heads: 2 },
    warmStart: { episodes: 4, epochs: 1, batchDecisions: 32 }
  }
} satisfies ExperimentConfigInput)

type GroupRow = {
  id: number
  iteration: number
  level: string
  task_seed: number
  chosen_blueprint_json: string | null
  pin_id: number | null
}

const groups = (): GroupRow[] => {
  const db = openDatabase(file, { readonly: true })
  try {
    return db
      .prepare(
        'SELECT id, iteration, level, task_seed, chosen_blueprint_json, pin_id FROM rollout_groups WHERE run_id = ? ORDER BY id'
      )
      .all(runId) as GroupRow[]
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  // Iteration 0 clones; RL iterations 1..4; stop after iteration 1.
  runId = await trainRun(file, config, 1)
  service = createWorkbenchService({
    dbPath: file,
    launcher: nodeForkLauncher,
    presets: [],
    author: 'ada'
  })
}, 120_000)
afterAll(async () => {
  await service.close()
  tmp.remove()
})

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await service.invoke(name, input)
  if (r.error) throw new Error(`${name}: ${r.error.message}`)
  return r.data as T
}

describe('blueprint pins', () => {
  let pin: BlueprintPin
  let seed = 0

  it('pins a Phase-A blueprint of a stopped run; refuses what is not one, and a second pin of a task', async () => {
    const macro = groups().find((g) => g.level === 'macro')!
    const micro = groups().find((g) => g.level === 'micro')!
    seed = macro.task_seed
    const members = (
      await call<{ members: { episodeId: number; blueprint: string[] | null }[] }>('groups/get', {
        groupId: macro.id
      })
    ).members
    const member = members.find((m) => m.blueprint !== null)!
    pin = await call<BlueprintPin>('pins/create', { episodeId: member.episodeId })
    expect(pin).toMatchObject({
      runId,
      taskSeed: seed,
      blueprint: member.blueprint,
      author: 'ada',
      fromIteration: null,
      removedAt: null
    })
    const again = await service.invoke('pins/create', { episodeId: member.episodeId })
    expect(again.error?.message).toMatch(/already pinned/)
    const microMember = (
      await call<{ members: { episodeId: number }[] }>('groups/get', {
        groupId: micro.id
      })
    ).members[0]!
    expect(
      (await service.invoke('pins/create', { episodeId: microMember.episodeId })).error?.message
    ).toMatch(/not a Phase-A blueprint/)
    expect((await service.invoke('pins/create', { episodeId: 99_999 })).error?.type).toBe(
      'NotFound'
    )
    expect(await call<BlueprintPin[]>('pins/list', { runId })).toHaveLength(1)
  })

  it('a resumed run executes the pinned blueprint for its task in every later iteration', async () => {
    await service.close()
    await resumeRun(file, runId)
    service = createWorkbenchService({ dbPath: file, launcher: nodeForkLauncher, presets: [] })
    const later = groups().filter((g) => g.iteration >= 2)
    const iterations = [...new Set(later.map((g) => g.iteration))]
    expect(iterations).toEqual([2, 3, 4])
    for (const it of iterations) {
      const pinned = later.filter((g) => g.iteration === it && g.pin_id !== null)
      expect(pinned, `iteration ${it}`).toHaveLength(1)
      expect(pinned[0]).toMatchObject({ level: 'micro', task_seed: seed, pin_id: pin.id })
      expect(JSON.parse(pinned[0]!.chosen_blueprint_json!)).toEqual(pin.blueprint)
      // Phase A still ran on the pinned task.
      expect(
        later.some((g) => g.iteration === it && g.level === 'macro' && g.task_seed === seed)
      ).toBe(true)
    }
    const stored = (await call<BlueprintPin[]>('pins/list', { runId }))[0]!
    expect(stored.fromIteration).toBe(2)
    // A completed run takes no more pins.
    const macro = later.find((g) => g.level === 'macro' && g.task_seed !== seed)
    if (macro) {
      const m = (
        await call<{ members: { episodeId: number }[] }>('groups/get', { groupId: macro.id })
      ).members[0]!
      expect(
        (await service.invoke('pins/create', { episodeId: m.episodeId })).error?.message
      ).toMatch(/completed/)
    }
  }, 120_000)

  it('the store records when pins start and stop; taking them again gives the same answer', () => {
    const db = openDatabase(file)
    const writer = new StoreWriter(db)
    const mk = (taskSeed: number) =>
      writer.pinBlueprint({
        runId,
        sourceEpisodeId: 1,
        taskSeed,
        task: 't',
        blueprint: ['push the box onto the target'],
        planLogProb: -1,
        author: 'x'
      })
    const a = mk(101)
    const b = mk(102)
    writer.removePin(b) // removed before any iteration took it: never applies
    expect(writer.takePins(runId, 10).map((p) => p.id)).toEqual([pin.id, a])
    writer.removePin(a)
    expect(writer.takePins(runId, 12).map((p) => p.id)).toEqual([pin.id])
    // Again for the same iterations (a resume): the same pins.
    expect(writer.takePins(runId, 10).map((p) => p.id)).toEqual([pin.id, a])
    expect(writer.takePins(runId, 11).map((p) => p.id)).toEqual([pin.id, a])
    expect(writer.takePins(runId, 12).map((p) => p.id)).toEqual([pin.id])
    expect(writer.takePins(runId, 9).map((p) => p.id)).toEqual([pin.id])
    const rows = db
      .prepare('SELECT id, from_iteration, until_iteration FROM blueprint_pins WHERE id IN (?, ?)')
      .all(a, b)
    expect(rows).toEqual([
      { id: a, from_iteration: 10, until_iteration: 12 },
      { id: b, from_iteration: null, until_iteration: null }
    ])
    db.close()
  })

  it('through the service: pinned while stopped, taken by the resumed trainer process over IPC', async () => {
    const served = createWorkbenchService({
      dbPath: tmp.file('served.db'),
      launcher: nodeForkLauncher,
      presets: []
    })
    try {
      const created = await served.invoke('experiments/create', { name: 'pins', config })
      const experimentId = (created.data as { id: number }).id
      const run = (await served.invoke('experiments/start', { experimentId })).data as Run
      await nextEvent(served, 'run/metrics', (m) => m.runId === run.id && m.point.iteration >= 1)
      const stopped = nextEvent(
        served,
        'run/status',
        (r) => r.id === run.id && r.status !== 'running'
      )
      await served.invoke('experiments/stop', { runId: run.id })
      expect((await stopped).status).toBe('stopped')
      const macro = (
        (await served.invoke('groups/page', { runId: run.id, level: 'macro', limit: 1 })).data as {
          items: { id: number; taskSeed: number }[]
        }
      ).items[0]!
      const member = (
        (await served.invoke('groups/get', { groupId: macro.id })).data as {
          members: { episodeId: number; blueprint: string[] | null }[]
        }
      ).members.find((m) => m.blueprint !== null)!
      const made = await served.invoke('pins/create', { episodeId: member.episodeId })
      expect(made.error).toBeUndefined()
      const done = nextEvent(
        served,
        'run/status',
        (r) => r.id === run.id && r.status !== 'running' && r.status !== 'queued'
      )
      expect((await served.invoke('runs/resume', { runId: run.id })).error).toBeUndefined()
      expect((await done).status).toBe('completed')
      const [stored] = (await served.invoke('pins/list', { runId: run.id })).data as BlueprintPin[]
      expect(stored!.fromIteration).not.toBeNull()
      const pinned = (
        (await served.invoke('groups/page', { runId: run.id, level: 'micro', limit: 200 }))
          .data as {
          items: { iteration: number; taskSeed: number; pinId: number | null }[]
        }
      ).items.filter((g) => g.pinId === stored!.id)
      expect(pinned.map((g) => g.iteration)).toEqual(
        Array.from({ length: 4 + 1 - stored!.fromIteration! }, (_, i) => stored!.fromIteration! + i)
      )
      expect(pinned.every((g) => g.taskSeed === macro.taskSeed)).toBe(true)
    } finally {
      await served.close()
    }
  }, 120_000)
})
