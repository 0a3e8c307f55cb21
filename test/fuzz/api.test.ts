// Property-based fuzzing of every API command: random payloads (any JSON or JS value, the command's
// own keys with random values, a valid input with one key changed) give a valid result or a clear
// error, never an InternalError, a throw or a 5xx, and an invalid payload writes nothing (another
// connection's PRAGMA data_version and the row counts stay the same).
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  annotationHitSchema,
  annotationSchema,
  labelSchemaSchema
} from '../../core/api/annotation-entities'
import { experimentConfigSchema } from '../../core/api/config'
import { commandNames, type CommandName } from '../../core/api/contract'
import {
  apiErrorSchema,
  blueprintPinSchema,
  episodeSchema,
  experimentSchema,
  groupDetailSchema,
  groupFacetsSchema,
  groupSummarySchema,
  metricPointSchema,
  presetSchema,
  runSchema,
  runTableRowSchema,
  stepSchema
} from '../../core/api/entities'
import { startWebServer, type WebServer } from '../../core/api/http-server'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { openDatabase, StoreWriter, type EpisodeRecord } from '../../core/store'
import { registerStoreFunctions } from '../../core/store/functions'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { tempDir } from '../helpers/tmp'
import { z } from 'zod'
import { fuzzRuns, fuzzTally, fuzzTimeout } from './runs'

const tmp = tempDir('himac-fuzz-api-')
const presets = loadPresets()
const smoke = presets.find((p) => p.id === 'sokoban-smoke')!.config

/** What a successful command returns, checked with the entity schemas. */
const outputs: Record<CommandName, z.ZodType> = {
  'presets/list': z.array(presetSchema),
  'experiments/list': z.array(experimentSchema),
  'experiments/create': experimentSchema,
  'experiments/start': runSchema,
  'experiments/stop': runSchema,
  'runs/list': z.array(runSchema),
  'runs/get': runSchema,
  'runs/resume': runSchema,
  'runs/table': z.array(runTableRowSchema),
  'metrics/get': z.object({ runId: z.int(), points: z.array(metricPointSchema) }),
  'metrics/many': z.array(z.object({ runId: z.int(), points: z.array(metricPointSchema) })),
  'episodes/page': z.object({ total: z.int(), items: z.array(episodeSchema) }),
  'episodes/steps': z.object({ episode: episodeSchema, steps: z.array(stepSchema) }),
  'groups/page': z.object({ total: z.int(), items: z.array(groupSummarySchema) }),
  'groups/facets': groupFacetsSchema,
  'groups/get': groupDetailSchema,
  'studies/list': z.array(z.object({ id: z.int(), env: z.string(), status: z.string() })),
  'studies/report': z.object({ study: z.object({ id: z.int() }), methods: z.array(z.unknown()) }),
  'labels/list': z.array(labelSchemaSchema),
  'labels/define': labelSchemaSchema,
  'annotations/list': z.array(annotationSchema),
  'annotations/add': z.array(annotationSchema),
  'annotations/search': z.object({ total: z.int(), items: z.array(annotationHitSchema) }),
  'episodes/counterfactual': z.object({ episode: episodeSchema, steps: z.array(stepSchema) }),
  'episodes/counterfactuals': z.array(episodeSchema),
  'runs/policy-checkpoints': z.array(z.int()),
  'pins/list': z.array(blueprintPinSchema),
  'pins/create': blueprintPinSchema,
  'pins/remove': blueprintPinSchema,
  'experiments/update': experimentSchema,
  'experiments/duplicate': experimentSchema
}

/** Commands whose valid input writes; a refused one must write nothing. */
const WRITES: ReadonlySet<CommandName> = new Set([
  'experiments/create',
  'labels/define',
  'annotations/add',
  'episodes/counterfactual',
  'pins/create',
  'pins/remove',
  'experiments/update',
  'experiments/duplicate'
])

/** A valid input of each command against the seeded database. */
const examples: Record<CommandName, Record<string, unknown>> = {
  'presets/list': {},
  'experiments/list': {},
  'experiments/create': { name: 'fuzz', preset: 'sokoban-smoke', config: smoke },
  'experiments/start': { experimentId: 1 },
  'experiments/stop': { runId: 1 },
  'runs/list': { experimentId: 1 },
  'runs/get': { runId: 1 },
  'runs/resume': { runId: 1 },
  'runs/table': {},
  'metrics/get': { runId: 1, sinceIteration: -1 },
  'metrics/many': { runIds: [1, 1] },
  'episodes/page': { runId: 1, offset: 0, limit: 50, phase: 'train', success: true },
  'episodes/steps': { episodeId: 1 },
  'groups/page': {
    runId: 1,
    iteration: 0,
    level: 'flat',
    filter: 'zstar-succeeded',
    taskType: 'pick_and_place_simple',
    offset: 0,
    limit: 50
  },
  'groups/facets': { runId: 1 },
  'groups/get': { groupId: 1 },
  'studies/list': {},
  'studies/report': { studyId: 1 },
  'labels/list': { experimentId: 1 },
  'labels/define': { experimentId: 1, name: 'verdict', type: 'category', options: ['ok', 'bad'] },
  'annotations/list': { target: { type: 'step', id: 1, t: 2 } },
  'annotations/add': {
    target: { type: 'episode', id: 2 },
    kind: 'label',
    label: 'verdict',
    value: 'ok'
  },
  'annotations/search': { experimentId: 1, text: 'ok', offset: 0, limit: 10 },
  'episodes/counterfactual': {
    episodeId: 1,
    edit: { kind: 'action', t: 1, action: 'up' },
    temperature: 0,
    seed: 0
  },
  'episodes/counterfactuals': { episodeId: 1 },
  'runs/policy-checkpoints': { runId: 1 },
  'pins/list': { runId: 1 },
  'pins/create': { episodeId: 1 },
  'pins/remove': { pinId: 1 },
  'experiments/update': {
    experimentId: 1,
    name: 'renamed',
    tags: ['a', 'b'],
    notes: 'n',
    archived: false
  },
  'experiments/duplicate': { experimentId: 1, name: 'copy' }
}

const oddValue = fc.oneof(
  fc.jsonValue(),
  fc.integer({ min: -2, max: 4 }),
  fc.constantFrom(0, 1, -1, 0.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, '1', '', 'train', null, true),
  fc.string({ unit: 'binary', maxLength: 40 })
)

/** Payloads aimed at a command: near-valid ones most, anything at all some. */
function payloads(example: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(example)
  const own = Object.fromEntries(keys.map((k) => [k, oddValue]))
  return fc.oneof(
    fc.constant(example),
    fc.record(own, { requiredKeys: [] }),
    fc
      .tuple(fc.oneof(fc.constantFrom(...keys, 'config'), fc.string()), oddValue)
      .map(([k, v]) => ({ ...example, [k]: v })),
    keys.length
      ? fc.constantFrom(...keys).map((k) => ({ ...example, [k]: undefined }))
      : fc.constant({}),
    fc.jsonValue(),
    fc.anything()
  )
}

/** experiments/create with a preset's config changed at one key (or envConfig's). */
const createPayloads = fc.oneof(
  payloads(examples['experiments/create']),
  fc
    .tuple(
      fc.constantFrom(...presets),
      fc.constantFrom(...Object.keys(smoke), 'envConfig', 'nope'),
      fc.string({ maxLength: 12 }),
      oddValue
    )
    .map(([p, key, inner, v]) => ({
      name: 'fuzz',
      config:
        key === 'envConfig'
          ? { ...p.config, envConfig: { ...p.config.envConfig, [inner]: v } }
          : { ...p.config, [key]: v }
    }))
)

const episode = (memberIndex: number, success: boolean, length: number): EpisodeRecord => ({
  phase: 'train',
  memberIndex,
  env: 'sokoban',
  task: 'push the box',
  seed: 42,
  return: success ? 10.5 : -1.5,
  success,
  length,
  steps: Array.from({ length }, (_, t) => ({
    t,
    observation: `obs ${t}`,
    admissibleActions: ['up', 'down', 'left', 'right'],
    action: 'left',
    reward: -0.1,
    done: t === length - 1,
    logProb: -1.3,
    advantage: success ? 1 : -1,
    view: { kind: 'sokoban', room: [[0, 5, 4, 2]] }
  }))
})

type Served = { service: WorkbenchService; file: string; watcher: Database.Database }
const open = (name: string): Served => {
  const file = tmp.file(name)
  const service = createWorkbenchService({ dbPath: file, launcher: nodeForkLauncher, presets })
  const watcher = new Database(file, { readonly: true })
  registerStoreFunctions(watcher)
  return { service, file, watcher }
}

/** Everything a write could change, seen from another connection. */
function snapshot(s: Served): string {
  const version = s.watcher.pragma('data_version', { simple: true })
  const counts = ['experiments', 'runs', 'episodes', 'steps', 'metrics'].map(
    (t) => (s.watcher.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n
  )
  return JSON.stringify([version, counts])
}

const tally = fuzzTally('api')
// Reads, start, stop and resume run against a store whose one experiment already has a queued run:
// a valid start, stop or resume is a Conflict, so no fuzz case ever launches a trainer. Create has
// its own store.
let reads: Served
let creates: Served
let server: WebServer

beforeAll(async () => {
  reads = open('reads.db')
  creates = open('creates.db')
  const db = openDatabase(reads.file)
  const writer = new StoreWriter(db)
  const config = experimentConfigSchema.parse(smoke)
  const experimentId = writer.createExperiment('seed', 'sokoban-smoke', config)
  const runId = writer.createRun(experimentId, config)
  writer.insertRollouts(runId, {
    iteration: 0,
    groups: [
      {
        level: 'flat',
        taskSeed: 42,
        task: 'push',
        chosenMember: 1,
        episodes: [episode(0, false, 3), episode(1, true, 2)]
      }
    ],
    loose: []
  })
  writer.insertMetrics(runId, 0, { 'train/return': 1.5 })
  db.close()
  server = await startWebServer({ service: reads.service, staticDir: tmp.dir, port: 0 })
})
afterAll(async () => {
  await server.close()
  for (const s of [reads, creates]) {
    s.watcher.close()
    await s.service.close()
  }
  tmp.remove()
})

/** One invoke: a result of the contract's shape, and what it may have written. */
async function invokeChecked(s: Served, name: CommandName, input: unknown): Promise<boolean> {
  const before = snapshot(s)
  const result = await s.service.invoke(name, input)
  const after = snapshot(s)
  if (result.error) {
    expect(apiErrorSchema.parse(result.error).type).not.toBe('InternalError')
    expect(result.error.message.length).toBeGreaterThan(0)
    expect(after, `${name} ${JSON.stringify(input)} wrote while refusing`).toBe(before)
    tally.count(true)
    return false
  }
  outputs[name].parse(result.data)
  if (!WRITES.has(name)) expect(after).toBe(before)
  tally.count(false)
  return true
}

describe('fuzz: API commands', { timeout: fuzzTimeout }, () => {
  const readCommands = commandNames.filter((n) => n !== 'experiments/create')

  it('every command but create: a valid result or a clear error, and no write', async () => {
    const runs = fuzzRuns(60)
    for (const name of readCommands) {
      await fc.assert(
        fc.asyncProperty(payloads(examples[name]), async (input) => {
          await invokeChecked(reads, name, input)
        }),
        { numRuns: runs, seed: 16 }
      )
    }
    // The valid examples succeed or conflict (a queued run), so the payloads reached the handlers.
    expect((await reads.service.invoke('episodes/steps', { episodeId: 1 })).data).toBeDefined()
    expect((await reads.service.invoke('groups/get', { groupId: 1 })).data).toBeDefined()
    for (const [name, input] of [
      ['experiments/start', { experimentId: 1 }],
      ['runs/resume', { runId: 1 }]
    ] as const)
      expect((await reads.service.invoke(name, input)).error?.type).toBe('Conflict')
  })

  it('experiments/create: an invalid payload writes nothing, a valid one one experiment', async () => {
    let created = 0
    await fc.assert(
      fc.asyncProperty(createPayloads, async (input) => {
        const count = creates.service.reader.countRows('experiments')
        const ok = await invokeChecked(creates, 'experiments/create', input)
        if (ok) created++
        expect(creates.service.reader.countRows('experiments')).toBe(count + (ok ? 1 : 0))
      }),
      { numRuns: fuzzRuns(300), seed: 16 }
    )
    expect(created).toBeGreaterThan(0)
    expect(creates.service.reader.countRows('experiments')).toBe(created)
  })

  it('over HTTP: any body to any command path is a JSON answer below 500', async () => {
    const names = fc.oneof(
      fc.constantFrom(...commandNames),
      fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
      fc.constantFrom('experiments', 'runs/get/1', 'events/x', '')
    )
    const bodies = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('{', '[]', 'null', '{"runId":1}', '\u0000', '{"__proto__":{"runId":1}}')
    )
    await fc.assert(
      fc.asyncProperty(names, bodies, async (name, body) => {
        const before = snapshot(reads)
        const res = await fetch(`${server.url}api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
          body
        })
        const json = (await res.json()) as { data?: unknown; error?: unknown }
        expect(res.status, `${name} ${body}`).toBeLessThan(500)
        if (res.status === 200) expect(json.data).toBeDefined()
        else expect(apiErrorSchema.safeParse(json.error).success).toBe(true)
        expect(snapshot(reads)).toBe(before)
        tally.count(res.status !== 200)
      }),
      { numRuns: fuzzRuns(150), seed: 16 }
    )
  })
})
