// `himac bench` sections about the database: bytes per stored step on realistic runs
// (`store-size`) and the time of every read the UI makes on a large fixture (`store-queries`).
import fs from 'node:fs'
import os from 'node:os'
import { loadAverage } from './bench-machine'
import path from 'node:path'
import { experimentConfigSchema, type ExperimentConfigInput } from '../core/api/config'
import { openDatabase, StoreReader, StoreWriter, type Db } from '../core/store'
import { runExperiment } from '../core/train/run'
import { createStoreSink } from '../core/train/store-sink'
import { buildFixture } from '../core/train/store-fixture'

/** The per-env target of issue 16 (amortised over a run, after VACUUM). */
export const BYTES_PER_STEP_TARGET = 100
/** Issue 16: every view's query on a 10^6-episode database. */
export const QUERY_MS_TARGET = 50

export const tempDb = (name: string): { dir: string; file: string } => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-store-bench-'))
  return { dir, file: path.join(dir, name) }
}

function tableBytes(db: Db): Record<string, number> | null {
  try {
    const rows = db
      .prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC')
      .all() as { name: string; bytes: number }[]
    return Object.fromEntries(rows.map((r) => [r.name, r.bytes]))
  } catch {
    return null // SQLite built without dbstat
  }
}

type FileSize = {
  episodes: number
  steps: number
  fileBytes: number
  bytesPerStep: number
  /** Without the checkpoints table (model weights, not rollouts). */
  bytesPerStepWithoutCheckpoints: number
  tables: Record<string, number> | null
}

/** Rows and bytes of a vacuumed database; closes it first, so that its file size is final. */
function closeAndMeasure(db: Db, file: string): FileSize {
  db.pragma('wal_checkpoint(TRUNCATE)')
  const reader = new StoreReader(db)
  const steps = reader.countRows('steps')
  const episodes = reader.countRows('episodes')
  const tables = tableBytes(db)
  db.close()
  const fileBytes = fs.statSync(file).size
  const checkpoints = (tables?.['checkpoints'] ?? 0) + (tables?.['checkpoints_by_run'] ?? 0)
  return {
    episodes,
    steps,
    fileBytes,
    bytesPerStep: +(fileBytes / steps).toFixed(1),
    bytesPerStepWithoutCheckpoints: +((fileBytes - checkpoints) / steps).toFixed(1),
    tables
  }
}

export type StoreSizeRow = FileSize & {
  run: string
  /** Checkpoint rows, and how many of them a newer one cut down to their weights. */
  checkpoints: { rows: number; weightsOnly: number; blobBytes: number }
  writeSeconds: number
}

export async function measureRun(
  name: string,
  input: ExperimentConfigInput
): Promise<StoreSizeRow> {
  const { dir, file } = tempDb('size.db')
  try {
    const config = experimentConfigSchema.parse(input)
    const db = openDatabase(file)
    const writer = new StoreWriter(db)
    const runId = writer.createRun(writer.createExperiment(name, null, config), config)
    const t0 = performance.now()
    await runExperiment(config, createStoreSink(writer, runId))
    const writeSeconds = (performance.now() - t0) / 1000
    db.exec('VACUUM')
    const stored = db
      .prepare(
        `SELECT COUNT(*) AS rows, COALESCE(SUM(length(weights)), 0) AS blobBytes,
           COALESCE(SUM(json_extract(meta_json, '$.weightsOnly') IS 1), 0) AS weightsOnly
         FROM checkpoints`
      )
      .get() as { rows: number; weightsOnly: number; blobBytes: number }
    return {
      run: name,
      ...closeAndMeasure(db, file),
      checkpoints: stored,
      writeSeconds: +writeSeconds.toFixed(2)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** A short LM run on a text env: tiny model, cloning warm start, a few iterations, evaluations. */
export function lmBenchConfig(
  env: 'alfworld' | 'webshop',
  algo: 'grpo' | 'himac'
): ExperimentConfigInput {
  return {
    env,
    algo,
    iterations: 4,
    seed: 0,
    groupsPerIteration: 4,
    groupSize: 4,
    evalEvery: 2,
    evalEpisodes: 16,
    evalTemperature: 0.4,
    policy: {
      kind: 'lm',
      lm: { dModel: 32, layers: 1, heads: 2 },
      warmStart: { episodes: 16, epochs: 1, batchDecisions: 64 }
    }
  }
}

export type StoredFileSize = FileSize & { file: string; envs: string[] }

/**
 * A database file of real training runs (HIMAC_STORE_SIZE_DB), measured on a vacuumed copy: the
 * bench's own runs are short, so the empty database and distinct evaluation tasks weigh on them
 * far more than on a run of a real length.
 */
export function measureFile(source: string): StoredFileSize {
  const { dir, file } = tempDb('given.db')
  try {
    const src = openDatabase(source, { readonly: true })
    try {
      src.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`)
    } finally {
      src.close()
    }
    const db = openDatabase(file, { backupBeforeMigrate: false })
    db.exec('VACUUM') // after the migrations an older file needed
    const envs = db
      .prepare('SELECT DISTINCT env FROM episodes ORDER BY env')
      .pluck()
      .all() as string[]
    return { file: path.basename(source), envs, ...closeAndMeasure(db, file) }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Reference agents on `episodes` held-out tasks per text env (HIMAC_STORE_SIZE_EPISODES, else
 * 500), short LM GRPO and HiMAC runs on each text env, and a Sokoban GRPO run; and the file named
 * by HIMAC_STORE_SIZE_DB when set.
 */
export async function storeSizeBench(
  episodes = Number(process.env['HIMAC_STORE_SIZE_EPISODES'] ?? 500),
  sokobanIterations = 20
) {
  const rows: StoreSizeRow[] = []
  for (const env of ['alfworld', 'webshop'] as const) {
    for (const algo of ['expert', 'searcher', 'random'] as const)
      rows.push(await measureRun(`${env}-${algo}`, { env, algo, evalEpisodes: episodes }))
    for (const algo of ['grpo', 'himac'] as const)
      rows.push(await measureRun(`${env}-lm-${algo}`, lmBenchConfig(env, algo)))
  }
  rows.push(
    await measureRun('sokoban-grpo', {
      env: 'sokoban',
      algo: 'grpo',
      iterations: sokobanIterations,
      evalEvery: 10,
      backend: 'cpu'
    })
  )
  // Per env over all its runs: everything, and without the checkpoints (model weights, not rollouts).
  const perEnv: Record<string, number> = {}
  const perEnvWithoutCheckpoints: Record<string, number> = {}
  for (const env of ['alfworld', 'webshop', 'sokoban']) {
    const mine = rows.filter((r) => r.run.startsWith(env))
    const steps = mine.reduce((a, r) => a + r.steps, 0)
    const bytes = mine.reduce((a, r) => a + r.fileBytes, 0)
    const rollouts = mine.reduce((a, r) => a + r.bytesPerStepWithoutCheckpoints * r.steps, 0)
    perEnv[env] = +(bytes / steps).toFixed(1)
    perEnvWithoutCheckpoints[env] = +(rollouts / steps).toFixed(1)
  }
  const given = process.env['HIMAC_STORE_SIZE_DB']
  return {
    target: BYTES_PER_STEP_TARGET,
    ...(given ? { givenFile: measureFile(given) } : {}),
    emptyDatabaseBytes: emptyDatabaseBytes(),
    loadavg: loadAverage(),
    perEnvBytesPerStep: perEnv,
    perEnvBytesPerStepWithoutCheckpoints: perEnvWithoutCheckpoints,
    runs: rows
  }
}

/** What every run's file holds before its first row (one page per table and index, after VACUUM). */
function emptyDatabaseBytes(): number {
  const { dir, file } = tempDb('empty.db')
  try {
    const db = openDatabase(file)
    db.exec('VACUUM')
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    return fs.statSync(file).size
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

type Timing = { query: string; medianMs: number; maxMs: number; rows: number }

function timeQuery(query: string, k: number, f: () => number): Timing {
  const ms: number[] = []
  let rows = 0
  for (let i = 0; i < k; i++) {
    const t0 = performance.now()
    rows = f()
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  return {
    query,
    medianMs: +ms[Math.floor(k / 2)]!.toFixed(3),
    maxMs: +ms[k - 1]!.toFixed(3),
    rows
  }
}

/** Every read the UI's views make, on the run in the middle of the fixture (median of k). */
export function timeUiQueries(db: Db, k = 7): Timing[] {
  const reader = new StoreReader(db)
  const runs = reader.listRuns()
  const run = runs[Math.floor(runs.length / 2)]
  if (!run) throw new Error('the fixture database has no runs')
  const iterations = reader.groupIterations(run.id)
  const lastIteration = iterations.at(-1) ?? 0
  const group = reader.listGroups(run.id, lastIteration)[0]
  const total = reader.pageEpisodes(run.id, 0, 1).total
  const episode = reader.pageEpisodes(run.id, Math.floor(total / 2), 1).items[0]
  const page10 = Math.max(0, Math.min(450, total - 50))
  if (!group || !episode) throw new Error('the fixture run has no groups or episodes')
  return [
    timeQuery('experiments list', k, () => reader.listExperiments().length),
    timeQuery('runs list', k, () => reader.listRuns().length),
    timeQuery('run metrics (all iterations)', k, () => reader.getMetrics(run.id).length),
    timeQuery('run fingerprints (live refresh)', k, () => reader.runFingerprints().size),
    timeQuery('episodes page 1 (50)', k, () => reader.pageEpisodes(run.id, 0, 50).items.length),
    timeQuery(
      'episodes last page (offset)',
      k,
      () => reader.pageEpisodes(run.id, Math.max(0, total - 50), 50).items.length
    ),
    timeQuery(
      'episodes filtered phase=eval, success=false',
      k,
      () => reader.pageEpisodes(run.id, 0, 50, { phase: 'eval', success: false }).items.length
    ),
    timeQuery(
      'episodes filtered phase=train, success=false',
      k,
      () => reader.pageEpisodes(run.id, 0, 50, { phase: 'train', success: false }).items.length
    ),
    timeQuery(
      'episodes of one iteration',
      k,
      () => reader.pageEpisodes(run.id, 0, 50, { iteration: lastIteration }).items.length
    ),
    timeQuery(
      'episodes sorted by return desc, page 10',
      k,
      () => reader.pageEpisodes(run.id, page10, 50, {}, { by: 'return', desc: true }).items.length
    ),
    timeQuery(
      'episodes sorted by length, page 10',
      k,
      () => reader.pageEpisodes(run.id, page10, 50, {}, { by: 'length', desc: true }).items.length
    ),
    timeQuery('group iterations (browse)', k, () => reader.groupIterations(run.id).length),
    timeQuery('groups of one iteration', k, () => reader.listGroups(run.id, lastIteration).length),
    timeQuery('group page (members)', k, () => reader.getGroup(group.id)?.episodes.length ?? 0),
    timeQuery('groups browser page 1 (50)', k, () => {
      return reader.pageGroups({ runId: run.id, offset: 0, limit: 50 }).items.length
    }),
    timeQuery('groups browser, all returns equal', k, () => {
      return reader.pageGroups({ runId: run.id, offset: 0, limit: 50, filter: 'all-equal' }).total
    }),
    timeQuery('groups browser facets', k, () => reader.groupFacets(run.id).iterations.length),
    timeQuery(
      'blueprint group view (members + segments)',
      k,
      () => reader.groupDetail(group.id)?.members.length ?? 0
    ),
    timeQuery('episode replay (episode + all steps)', k, () => {
      reader.getEpisode(episode.id)
      return reader.getSteps(episode.id).length
    }),
    timeQuery(
      'episode steps page (10 from t=10)',
      k,
      () => reader.getSteps(episode.id, 10, 10).length
    )
  ]
}

/** On HIMAC_FIXTURE_DB if set, else on a fixture of `episodes` it builds (and removes). */
export async function storeQueriesBench(episodes = 100_000) {
  const given = process.env['HIMAC_FIXTURE_DB']
  const { dir, file } = given ? { dir: null, file: given } : tempDb('fixture.db')
  try {
    let buildSeconds: number | null = null
    if (!given) {
      const db = openDatabase(file)
      buildSeconds = (await buildFixture(db, { episodes, stepsPerEpisode: 30 })).seconds
      db.close()
    }
    const db = openDatabase(file, { readonly: true })
    const reader = new StoreReader(db)
    const fixture = {
      file: given ?? null,
      bytes: fs.statSync(file).size,
      episodes: reader.countRows('episodes'),
      runs: reader.countRows('runs'),
      buildSeconds
    }
    const queries = timeUiQueries(db)
    db.close()
    return {
      target: QUERY_MS_TARGET,
      fixture,
      loadavg: loadAverage(),
      slowest: queries.reduce((a, q) => (q.medianMs > a.medianMs ? q : a)),
      queries
    }
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  }
}
