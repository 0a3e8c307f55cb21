// Export and import of episodes (himac.episode v1 JSONL) and the CSV tables, on real SQLite files:
// a real Sokoban GRPO run and a HiMAC-shaped iteration written through StoreWriter (macro and
// micro groups, z*, parents, blueprints, candidates) go out and come back identical but for ids;
// bad lines are reported with their line numbers and leave the database as it was.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import type { EpisodeLineInput } from '../../core/api/episode-jsonl'
import { csvRecord, parseCsv } from '../../core/csv'
import { openDatabase, StoreReader, StoreWriter, type Db } from '../../core/store'
import { episodeLines } from '../../core/store/episode-export'
import { importEpisodeFile } from '../../core/store/episode-import'
import type { EpisodeRecord, StepRecord } from '../../core/store/records'
import { episodesCsv, groupsCsv, runsCsv } from '../../core/store/table-csv'
import { startWebServer, type WebServer } from '../../core/api/http-server'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { trainRun } from '../helpers/store-runs'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
const src = tmp.file('src.db')
let grpoRun = 0
let himacRun = 0

function himacEpisode(member: number, blueprint: string[], phase: 'train' | 'eval'): EpisodeRecord {
  const steps: StepRecord[] = [0, 1, 2].map((t) => ({
    t,
    observation: `You are in the middle of a room, "step" ${t}.\nYour task is to: put a mug in cabinet 1.`,
    admissibleActions: ['go to cabinet 1', 'take mug 1', 'look'],
    action: t === 2 ? '' : ['go to cabinet 1', 'take mug 1'][t]!,
    reward: t === 1 ? 10 : 0,
    done: t === 2,
    subgoalIndex: t === 2 ? null : t,
    subDone: t === 0,
    logProb: t === 2 ? null : -0.25 * (t + 1),
    advantage: t === 2 ? null : 0.5 - member,
    view: { kind: 'alfworld', taskType: 'pick_and_place_simple', step: t },
    ...(t < 2
      ? {
          candidates: [
            { action: 'go to cabinet 1', prob: 0.6123 },
            { action: 'take mug 1', prob: 0.3 },
            { action: '<sub_done>', prob: 0.0877 }
          ],
          subDoneProb: 0.0877
        }
      : {}),
    ...(t === 1 ? { fallback: true } : {}),
    ...(t === 1
      ? {
          subDoneChoices: [
            [
              { action: 'go to cabinet 1', prob: 0.1 },
              { action: 'take mug 1', prob: 0.2 },
              { action: '<sub_done>', prob: 0.7 }
            ]
          ]
        }
      : {})
  }))
  return {
    phase,
    memberIndex: member,
    env: 'alfworld',
    task: 'put a mug in cabinet 1.',
    seed: 77,
    blueprint,
    planLogProb: -1.5 - member,
    planAdvantage: member === 1 ? 1 : -0.5,
    return: member === 1 ? 10 : 0,
    success: member === 1,
    length: 2,
    steps
  }
}

function writeHimacRun(db: Db): number {
  const writer = new StoreWriter(db)
  const config = experimentConfigSchema.parse({ env: 'alfworld', algo: 'himac', iterations: 1 })
  const runId = writer.createRun(writer.createExperiment('himac-shaped', null, config), config)
  const plans = [['find mug', 'take mug'], ['take mug'], ['find mug', 'put mug, in "cabinet"']]
  writer.insertRollouts(runId, {
    iteration: 0,
    groups: [
      {
        level: 'macro',
        taskSeed: 77,
        task: 'put a mug in cabinet 1.',
        chosenMember: 1,
        chosenBlueprint: plans[1]!,
        episodes: plans.map((p, m) => himacEpisode(m, p, 'train'))
      },
      {
        level: 'micro',
        taskSeed: 77,
        task: 'put a mug in cabinet 1.',
        chosenBlueprint: plans[1]!,
        parent: 0,
        episodes: [0, 1].map((m) => himacEpisode(m, plans[1]!, 'train'))
      }
    ],
    loose: [himacEpisode(0, plans[0]!, 'eval')]
  })
  writer.finishRun(runId, 'completed')
  return runId
}

beforeAll(async () => {
  grpoRun = await trainRun(
    src,
    experimentConfigSchema.parse({
      env: 'sokoban',
      algo: 'grpo',
      iterations: 2,
      seed: 5,
      groupsPerIteration: 2,
      groupSize: 3,
      evalEvery: 1,
      evalEpisodes: 3,
      checkpointEvery: 0
    })
  )
  const db = openDatabase(src)
  himacRun = writeHimacRun(db)
  db.close()
}, 60_000)
afterAll(() => tmp.remove())

function exportRun(file: string, runId: number): EpisodeLineInput[] {
  const db = openDatabase(file, { readonly: true })
  try {
    return [...episodeLines(db, runId)]
  } finally {
    db.close()
  }
}

function writeJsonl(name: string, lines: readonly unknown[]): string {
  const f = tmp.file(name)
  fs.writeFileSync(f, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'))
  return f
}

/** Lines with ids taken out: `source` dropped, group keys renumbered in order of appearance. */
function withoutIds(lines: EpisodeLineInput[]): unknown[] {
  const keys = new Map<string, string>()
  const key = (k: string): string => {
    if (!keys.has(k)) keys.set(k, `g${keys.size}`)
    return keys.get(k)!
  }
  return lines.map((l) => ({
    ...l,
    source: null,
    group: l.group
      ? { ...l.group, key: key(l.group.key), parent: l.group.parent ? key(l.group.parent) : null }
      : null
  }))
}

const TABLES = ['experiments', 'runs', 'episodes', 'rollout_groups', 'step_packs', 'annotations']
function rowCounts(file: string): Record<string, number> {
  const db = openDatabase(file, { readonly: true })
  try {
    return Object.fromEntries(
      TABLES.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number])
    )
  } finally {
    db.close()
  }
}

async function importFile(dbFile: string, jsonl: string, skipBad = false) {
  const db = openDatabase(dbFile)
  try {
    return await importEpisodeFile(db, new StoreWriter(db), jsonl, skipBad ? { skipBad } : {})
  } finally {
    db.close()
  }
}

describe('round trip', () => {
  it.each([
    ['a real GRPO run', () => grpoRun],
    ['a HiMAC-shaped iteration', () => himacRun]
  ])('%s comes back identical but for ids', async (_, runOf) => {
    const runId = runOf()
    const first = exportRun(src, runId)
    expect(first.length).toBeGreaterThan(0)
    const dst = tmp.file(`dst-${runId}.db`)
    const report = await importFile(dst, writeJsonl(`run-${runId}.jsonl`, first))
    expect(report.badLines).toEqual([])
    expect(report.episodes).toBe(first.length)
    const again = exportRun(dst, report.runId!)
    if (runId === himacRun)
      expect(again[0]?.steps[1]?.subDoneChoices?.[0]?.map((c) => c.prob)).toEqual([0.1, 0.2, 0.7])
    expect(withoutIds(again)).toEqual(withoutIds(first))
    expect(JSON.stringify(withoutIds(again))).toBe(JSON.stringify(withoutIds(first)))

    const db = openDatabase(dst, { readonly: true })
    const reader = new StoreReader(db)
    const run = reader.getRun(report.runId!)!
    const experiment = reader.getExperiment(run.experimentId)!
    expect(run.status).toBe('completed')
    expect(run.config.env).toBe(first[0]!.env)
    expect(run.config.algo).toBe(first[0]!.algo)
    const lastIteration = Math.max(...first.map((l) => l.iteration))
    expect([run.iterationsDone, run.iterations]).toEqual([lastIteration + 1, lastIteration + 1])
    expect(experiment.preset).toBe('import')
    expect(experiment.name).toBe(`import run-${runId}.jsonl`)
    const note = db
      .prepare("SELECT value FROM annotations WHERE target_type = 'run' AND target_id = ?")
      .pluck()
      .get(run.id) as string
    expect(note).toContain(`${first.length} episodes`)
    const srcDb = openDatabase(src, { readonly: true })
    const srcGroups = new StoreReader(srcDb).pageGroups({ runId, offset: 0, limit: 100 })
    const dstGroups = reader.pageGroups({ runId: run.id, offset: 0, limit: 100 })
    const shape = (g: (typeof dstGroups.items)[number]) => [
      g.level,
      g.size,
      g.taskType,
      g.parentGroupId !== null,
      g.zStarSuccess,
      g.bestReturn
    ]
    expect(dstGroups.items.map(shape)).toEqual(srcGroups.items.map(shape))
    srcDb.close()
    db.close()
  })
})

describe('bad lines', () => {
  const good = (): EpisodeLineInput[] => exportRun(src, himacRun)
  const broken: [string, (l: Record<string, unknown>) => unknown, RegExp][] = [
    ['malformed JSON', (l) => JSON.stringify(l).slice(0, -5), /not JSON/],
    ['a wrong version', (l) => ({ ...l, version: 3 }), /version 3 is not supported/],
    ['a missing field', ({ task: _task, ...l }) => l, /^task: /],
    ['a wrong type', (l) => ({ ...l, seed: 'seven' }), /^seed: /],
    [
      'steps that disagree with the length',
      (l) => ({ ...l, length: 7 }),
      /^steps: 3 steps for length 7/
    ],
    ['an unknown schema', (l) => ({ ...l, schema: 'other' }), /^schema: expected/]
  ]
  it.each(broken)('%s: reported with its line number, nothing written', async (_, breakIt, re) => {
    const lines: unknown[] = good()
    lines[2] = breakIt(lines[2] as Record<string, unknown>)
    const before = rowCounts(src)
    const report = await importFile(src, writeJsonl('bad.jsonl', lines))
    expect(report.runId).toBeNull()
    expect(report.badLines.map((b) => b.line)).toEqual([3])
    const text = report.badLines[0]!.issues.map((i) => `${i.path}: ${i.message}`).join('\n')
    expect(text).toMatch(re)
    expect(rowCounts(src)).toEqual(before)
  })

  it('every bad line is reported; --skip-bad imports the good ones only', async () => {
    const lines: unknown[] = good()
    lines[1] = '{"schema":"himac.episode"'
    lines[4] = { ...(lines[4] as object), env: 'webshop' }
    const f = writeJsonl('two-bad.jsonl', lines)
    const dst = tmp.file('skip.db')
    const none = await importFile(dst, f)
    expect(none.badLines.map((b) => b.line)).toEqual([2, 5])
    expect(none.badLines[1]!.issues[0]!.message).toMatch(/differs from line 1/)
    expect(rowCounts(dst).episodes).toBe(0)
    const some = await importFile(dst, f, true)
    expect(some.badLines.map((b) => b.line)).toEqual([2, 5])
    expect(some.episodes).toBe(lines.length - 2)
    expect(rowCounts(dst).episodes).toBe(lines.length - 2)
  })
})

describe('verl-agent trajectories', () => {
  it('map onto episodes, one flat group per uid', async () => {
    const traj = (uid: string, tr: string, won: boolean, valid: boolean) => ({
      schema: 'verl-agent.trajectory',
      version: 1,
      env: 'alfworld/AlfredTWEnv',
      uid,
      traj_uid: tr,
      iteration: 3,
      episode_rewards: won ? 10 : 0,
      episode_lengths: 2,
      won,
      steps: [
        {
          anchor_obs: 'You are in a room.\n\nYour task is to: put a mug in cabinet 1.',
          response: '<think>go</think><action>Go to cabinet 1</action>',
          rewards: 0,
          dones: false,
          is_action_valid: valid,
          admissible_actions: ['go to cabinet 1', 'look']
        },
        {
          anchor_obs: 'You arrive at cabinet 1.',
          action: 'look',
          rewards: won ? 10 : 0,
          dones: true
        }
      ]
    })
    const f = writeJsonl('verl.jsonl', [
      traj('u1', 'a', true, true),
      traj('u1', 'b', false, false),
      traj('u2', 'c', false, true)
    ])
    const dst = tmp.file('verl.db')
    const report = await importFile(dst, f)
    expect(report.badLines).toEqual([])
    const lines = exportRun(dst, report.runId!)
    expect(lines.map((l) => [l.group?.key, l.memberIndex, l.success, l.task])).toEqual([
      ['1', 0, true, 'put a mug in cabinet 1.'],
      ['1', 1, false, 'put a mug in cabinet 1.'],
      ['2', 0, false, 'put a mug in cabinet 1.']
    ])
    expect(lines[0]!.steps.map((s) => s.action)).toEqual(['go to cabinet 1', 'look'])
    expect(lines[1]!.steps[0]!.invalid).toBe(true)
    const db = openDatabase(dst, { readonly: true })
    const groups = new StoreReader(db).pageGroups({ runId: report.runId!, offset: 0, limit: 10 })
    expect(groups.items.map((g) => [g.size, g.iteration, g.level])).toEqual([
      [2, 3, 'flat'],
      [1, 3, 'flat']
    ])
    db.close()
  })
})

describe('CSV', () => {
  it('quotes as RFC 4180 and reads back', () => {
    const values = ['a,b', 'say "hi"', 'two\nlines', '', 'plain', 1.5, true, null]
    const text = csvRecord(values)
    expect(text).toBe('"a,b","say ""hi""","two\nlines",,plain,1.5,true,\r\n')
    expect(parseCsv(text)).toEqual([
      ['a,b', 'say "hi"', 'two\nlines', '', 'plain', '1.5', 'true', '']
    ])
  })

  it('runs, episodes and groups tables match the store', () => {
    const db = openDatabase(src, { readonly: true })
    const reader = new StoreReader(db)
    const runs = parseCsv([...runsCsv(reader)].join(''))
    const head = runs[0]!
    expect(runs.length - 1).toBe(reader.listRuns().length)
    const grpo = runs.find((r) => r[0] === String(grpoRun))!
    const table = reader.listRunTable().find((r) => r.run.id === grpoRun)!
    expect(grpo[head.indexOf('experiment')]).toBe(table.experimentName)
    expect(grpo[head.indexOf('config.groupSize')]).toBe('3')
    expect(Number(grpo[head.indexOf('last.train/mean_return')])).toBe(
      table.lastMetrics['train/mean_return']
    )
    const evalRows = parseCsv([...episodesCsv(reader, grpoRun, { phase: 'eval' })].join(''))
    expect(evalRows.length - 1).toBe(reader.pageEpisodes(grpoRun, 0, 1, { phase: 'eval' }).total)
    expect(new Set(evalRows.slice(1).map((r) => r[3]))).toEqual(new Set(['eval']))
    const groups = parseCsv([...groupsCsv(reader, himacRun, { level: 'micro' })].join(''))
    expect(groups.map((r) => r[3])).toEqual(['level', 'micro'])
    db.close()
  })
})

describe('downloads over HTTP (web mode)', () => {
  let service: WorkbenchService
  let server: WebServer
  beforeAll(async () => {
    service = createWorkbenchService({ dbPath: src, launcher: nodeForkLauncher, presets: [] })
    server = await startWebServer({ service, staticDir: tmp.dir, port: 0 })
  })
  afterAll(async () => {
    await server?.close()
    await service?.close()
  })
  const get = async (p: string, token = server.token) => {
    const res = await fetch(`${server.url}api/export/${p}`, {
      headers: { authorization: `Bearer ${token}` }
    })
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      text: await res.text(),
      res
    }
  }

  it('streams a run as JSONL, identical to the CLI export', async () => {
    const r = await get(`runs/${grpoRun}/episodes.jsonl?phase=eval`)
    expect(r.status).toBe(200)
    expect(r.res.headers.get('content-disposition')).toBe(
      `attachment; filename="run-${grpoRun}-episodes.jsonl"`
    )
    const lines = exportRun(src, grpoRun).filter((l) => l.phase === 'eval')
    expect(r.text).toBe(lines.map((l) => `${JSON.stringify(l)}\n`).join(''))
  })

  it("serves the CSV tables with the views' filters", async () => {
    const runs = parseCsv((await get(`runs.csv?ids=${himacRun}`)).text)
    expect(runs.map((r) => r[0])).toEqual(['id', String(himacRun)])
    const eps = await get(`runs/${grpoRun}/episodes.csv?phase=train&success=false`)
    expect(eps.type).toBe('text/csv; charset=utf-8')
    const rows = parseCsv(eps.text).slice(1)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r[3] === 'train' && r[10] === 'false')).toBe(true)
    const groups = parseCsv((await get(`runs/${himacRun}/groups.csv?level=macro`)).text)
    expect(groups.slice(1).map((r) => r[3])).toEqual(['macro'])
  })

  it('refuses bad requests and requests without the token', async () => {
    expect((await get('runs.csv', 'x'.repeat(43))).status).toBe(401)
    expect((await get('runs/999/episodes.jsonl')).status).toBe(404)
    expect((await get(`runs/${grpoRun}/episodes.csv?phase=both`)).status).toBe(400)
    expect((await get(`runs/${grpoRun}/steps.csv`)).status).toBe(404)
    const post = await fetch(`${server.url}api/export/runs.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}` }
    })
    expect(post.status).toBe(405)
  })

  const upload = (body: string, query = '', type = 'application/x-ndjson', token = server.token) =>
    fetch(`${server.url}api/import/episodes${query}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': type }
    })

  it('imports an uploaded file, and reports its bad lines without writing', async () => {
    const text = exportRun(src, himacRun)
      .map((l) => JSON.stringify(l))
      .join('\n')
    const before = rowCounts(src)
    const bad = text.replace('"version":2', '"version":7')
    const refused = await upload(bad)
    const body = (await refused.json()) as { data: { runId: null; badLines: { line: number }[] } }
    expect(refused.status).toBe(200)
    expect(body.data.runId).toBeNull()
    expect(body.data.badLines.map((b) => b.line)).toEqual([1])
    expect(rowCounts(src)).toEqual(before)

    const ok = await upload(text, '?experiment=uploaded')
    const report = ((await ok.json()) as { data: { runId: number; episodes: number } }).data
    expect(report.episodes).toBe(text.split('\n').length)
    const run = await service.invoke('runs/get', { runId: report.runId })
    const table = await service.invoke('runs/table', {})
    expect(run.data).toMatchObject({ status: 'completed' })
    expect(
      (table.data as { run: { id: number }; experimentName: string }[]).find(
        (r) => r.run.id === report.runId
      )?.experimentName
    ).toBe('uploaded')
  })

  it('takes only JSONL, with the token', async () => {
    expect((await upload('{}', '', 'text/plain')).status).toBe(415)
    expect((await upload('{}', '', 'application/x-ndjson', 'y'.repeat(43))).status).toBe(401)
    expect((await upload('{}', '?nope=1')).status).toBe(400)
  })
})
