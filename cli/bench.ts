// `himac bench`: speed measurements as JSON (targets live here, not in timed unit tests).
import Database from 'better-sqlite3'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { experimentConfigSchema } from '../core/api/config'
import { openDatabase, StoreWriter } from '../core/store'
import type { EpisodeRecord } from '../core/store/records'
import { selectBackend } from '../core/train/backend'
import { trainFlatGrpo } from '../core/train/grpo'
import type { TrainingSink } from '../core/train/sink'
import { benchAlfworld } from '../core/envs/alfworld/bench'
import { benchEnvPolicies } from '../core/envs/bench-policies'
import { benchKvCache } from '../core/agent/bench-kv-cache'
import { storeQueriesBench, storeSizeBench } from './bench-store'
import { benchImport } from './bench-io'
import { busyWarning, loadAverage, otherCpuShare, sampleCpu } from './bench-machine'
import { benchTrainThroughput } from './bench-train'
import { measureSgemmPeak, peakGflops } from '../core/train/native/peak'
import { uiBench } from './bench-ui'
import { benchLmRollout } from '../core/agent/bench-lm-rollout'
import { benchLmUpdate } from '../core/train/lm/bench-update'
import { benchLmIteration } from '../core/train/lm/bench-iteration'
import { checkTargets } from './bench-targets'
import { UsageError } from './errors'
import { benchSokoban } from '../core/envs/sokoban/bench'
import { benchWebshop } from '../core/envs/webshop/bench'
import { benchMatmulShapes, benchReferenceStep, profileKernelShare } from '../core/train/native'
import { benchBackends } from '../core/train/backends/bench'
import { checkBackends } from '../core/train/backends/check'
import { tsxWorker } from '../core/train/backends/child'

/** `heavy` sections (minutes, GBs) run only when named with --only. */
export type BenchSection = { name: string; heavy?: boolean; run(): Promise<unknown> }

const nullSink: TrainingSink = {
  started: () => undefined,
  rollouts: () => undefined,
  metrics: () => undefined,
  progress: () => undefined,
  checkpoint: () => undefined
}

function storeBench(): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-bench-'))
  const db = openDatabase(path.join(dir, 'bench.db'))
  const writer = new StoreWriter(db)
  const config = experimentConfigSchema.parse({})
  const runId = writer.createRun(writer.createExperiment('bench', null, config), config)
  const episode = (i: number): EpisodeRecord => ({
    phase: 'train',
    memberIndex: i % 8,
    env: 'sokoban',
    task: 'bench',
    seed: i,
    return: 1,
    success: true,
    length: 15,
    steps: Array.from({ length: 15 }, (_, t) => ({
      t,
      observation: ' # \t _ \t'.repeat(18),
      admissibleActions: ['up', 'down', 'left', 'right'],
      action: 'up',
      reward: -0.1,
      done: t === 14,
      logProb: -1.2,
      advantage: 0.5,
      view: { kind: 'sokoban', room: [[0, 1, 2, 3, 4, 5]] }
    }))
  })
  const batches = 20
  const perBatch = 128
  const t0 = performance.now()
  for (let b = 0; b < batches; b++) {
    writer.insertRollouts(runId, {
      iteration: b,
      groups: [
        {
          level: 'flat',
          taskSeed: b,
          task: 'bench',
          episodes: Array.from({ length: perBatch }, (_, i) => episode(i))
        }
      ],
      loose: []
    })
  }
  const seconds = (performance.now() - t0) / 1000
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  const steps = batches * perBatch * 15
  const ours = { seconds, bytes: fs.statSync(path.join(dir, 'bench.db')).size }
  const raw = rawInsertLoop(path.join(dir, 'raw.db'), batches, perBatch, episode)
  fs.rmSync(dir, { recursive: true, force: true })
  return {
    stepRows: steps,
    stepRowsPerSec: Math.round(steps / ours.seconds),
    episodesPerSec: Math.round((batches * perBatch) / ours.seconds),
    bytesPerStep: +(ours.bytes / steps).toFixed(1),
    rawInsert: {
      stepRowsPerSec: Math.round(steps / raw.seconds),
      bytesPerStep: +(raw.bytes / steps).toFixed(1)
    },
    /** Our store's step rows/s ÷ the raw loop's, measured in this run (> 1: ours is faster). */
    speedupOverRaw: +(raw.seconds / ours.seconds).toFixed(2)
  }
}

/**
 * The reference: the same steps as one row each through a prepared INSERT, one transaction per
 * batch, in a WAL database with the same pragmas, without our packing, groups or metrics.
 */
function rawInsertLoop(
  file: string,
  batches: number,
  perBatch: number,
  episode: (i: number) => EpisodeRecord
): { seconds: number; bytes: number } {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec(
    `CREATE TABLE steps (episode INTEGER NOT NULL, t INTEGER NOT NULL, observation TEXT NOT NULL,
      admissible_json TEXT NOT NULL, action TEXT NOT NULL, reward REAL NOT NULL, done INTEGER NOT NULL,
      log_prob REAL, advantage REAL, view_json TEXT, PRIMARY KEY (episode, t)) WITHOUT ROWID`
  )
  const insert = db.prepare('INSERT INTO steps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
  const t0 = performance.now()
  let id = 0
  for (let b = 0; b < batches; b++) {
    db.transaction(() => {
      for (let i = 0; i < perBatch; i++) {
        const e = episode(i)
        id++
        for (const s of e.steps)
          insert.run(
            id,
            s.t,
            s.observation,
            JSON.stringify(s.admissibleActions),
            s.action,
            s.reward,
            s.done ? 1 : 0,
            s.logProb ?? null,
            s.advantage ?? null,
            JSON.stringify(s.view)
          )
      }
    })()
  }
  const seconds = (performance.now() - t0) / 1000
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return { seconds, bytes: fs.statSync(file).size }
}

async function grpoBench(): Promise<Record<string, unknown>> {
  const config = experimentConfigSchema.parse({ iterations: 5, evalEvery: 0, seed: 3 })
  const t0 = performance.now()
  const outcome = await trainFlatGrpo(config, nullSink)
  const seconds = (performance.now() - t0) / 1000
  return {
    iterations: outcome.iterationsDone,
    secondsPerIteration: seconds / outcome.iterationsDone,
    envStepsPerSecInRollout: outcome.lastMetrics['perf/env_steps_per_s'],
    episodesPerIteration: config.groupsPerIteration * config.groupSize
  }
}

/** Each shape's native GFLOP/s as a share of the sgemm peak measured just before, same threads. */
async function matmulAgainstPeak(threads: number) {
  const peak = measureSgemmPeak({ threads })
  const result = await benchMatmulShapes({ threads })
  const gflops = peakGflops(peak)
  return {
    ...result,
    peak,
    shareOfPeak: result.rows.map((r) => ({
      label: r.label,
      share:
        gflops && r.gflops['wasm+native'] ? +(r.gflops['wasm+native'] / gflops).toFixed(3) : null
    }))
  }
}

export const benchSections: BenchSection[] = [
  { name: 'sokoban', run: async () => benchSokoban(20_000) },
  { name: 'alfworld', run: async () => benchAlfworld(400_000) },
  {
    name: 'webshop-1k',
    run: async () => benchWebshop({ catalogSize: 1000, steps: 3000, searches: 300 })
  },
  {
    name: 'webshop-100k',
    run: async () => benchWebshop({ catalogSize: 100_000, steps: 500, searches: 50 }),
    heavy: true
  },
  // Every env through the Env interface under random and expert policies (steps/s, resets/s).
  { name: 'env-policies', run: async () => benchEnvPolicies(300) },
  // Reference transformer step, wasm vs wasm+native in the same run (issue 7 targets: ≥ 4×).
  { name: 'native-step', run: async () => benchReferenceStep({ repeats: 2 }) },
  // Default BLAS threads: every core (cores − 1 with HIMAC_PARALLEL_ROLLOUTS=1); the second row pins
  // every core whatever the default, for the sgemm-peak reference.
  { name: 'native-matmul', run: async () => benchMatmulShapes() },
  {
    name: 'native-matmul-all-cores',
    run: async () => matmulAgainstPeak(os.cpus().length)
  },
  // LM decoding with the KV cache vs re-encoding the whole prefix each step (same tokens, same seed).
  { name: 'kv-cache', run: async () => benchKvCache() },
  // LM agent rollouts per env, KV cache vs re-encoding each chunk per decoding step (same actions).
  { name: 'lm-rollout', run: async () => benchLmRollout() },
  // The same with every step that fits a 2,048-token context (the paper's prompt limit; minutes).
  {
    name: 'lm-rollout-long',
    heavy: true,
    run: async () => benchLmRollout({ context: 'long' })
  },
  // The LM update's gradient step on demonstrator chunks: micro-batches in arrival order vs by length.
  { name: 'lm-update', run: async () => benchLmUpdate() },
  // Where a flat LM GRPO iteration's time goes: rollout, update, storage (a real run per env; minutes).
  { name: 'lm-iteration', heavy: true, run: async () => benchLmIteration() },
  { name: 'native-profile', run: async () => profileKernelShare() },
  // The same step beside PyTorch (python3-torch) and as model FLOP utilisation of the sgemm peak.
  { name: 'train-throughput', run: async () => benchTrainThroughput() },
  { name: 'store', run: async () => storeBench() },
  // Bytes per stored step on realistic runs (issue 16: ≤ 100 amortised per env).
  { name: 'store-size', run: async () => storeSizeBench() },
  // Every UI read on HIMAC_FIXTURE_DB (scripts/fixture-db.ts), else on a 10^5-episode fixture.
  { name: 'store-queries', run: async () => storeQueriesBench(), heavy: true },
  // The runs table, a group view and a 50-step replay in Chromium on the same fixtures (< 100 ms).
  {
    name: 'ui',
    run: async () => uiBench(Number(process.env['HIMAC_UI_EPISODES'] ?? 100_000)),
    heavy: true
  },
  { name: 'grpo-sokoban', run: grpoBench },
  // 100 k steps of JSONL imported into a fresh database and exported again (issue 15: ≥ 50 k/s).
  { name: 'import', run: async () => benchImport() },
  // Each backend variant per LM size in its own process (minutes; the GPU bench of issue 18).
  { name: 'backends', heavy: true, run: async () => benchBackends({ worker: tsxWorker() }) },
  // One training step per backend against the cpu backend's numbers.
  { name: 'backend-check', heavy: true, run: async () => checkBackends(tsxWorker()) }
]

/** Runs the selected sections (all but the heavy ones by default) and checks the targets. */
export async function runBenchmarks(only?: string): Promise<Record<string, unknown>> {
  const wanted = only ? new Set(only.split(',').map((s) => s.trim())) : null
  const unknown = [...(wanted ?? [])].filter((n) => !benchSections.some((s) => s.name === n))
  if (unknown.length > 0)
    throw new UsageError(
      `unknown bench section${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; ` +
        `valid: ${benchSections.map((s) => s.name).join(', ')}`
    )
  const loadStart = loadAverage()
  const cpuStart = sampleCpu()
  const backend = await selectBackend('auto')
  const machine: Record<string, unknown> = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
    loadavgStart: loadStart
  }
  const results: Record<string, unknown> = {
    machine,
    backend: backend.backend,
    backendNotes: backend.notes
  }
  const started = performance.now()
  for (const section of benchSections) {
    if (wanted ? !wanted.has(section.name) : section.heavy) continue
    process.stderr.write(`bench ${section.name}… (load average ${loadAverage()[0]})\n`)
    results[section.name] = await section.run()
  }
  machine['loadavgEnd'] = loadAverage()
  machine['seconds'] = +((performance.now() - started) / 1000).toFixed(1)
  const otherShare = otherCpuShare(cpuStart, sampleCpu())
  machine['otherProcessesCpuShare'] = otherShare === null ? null : +otherShare.toFixed(3)
  const warning = busyWarning(loadStart, otherShare, os.cpus().length)
  if (warning) {
    machine['warning'] = warning
    process.stderr.write(`bench: warning: ${warning}\n`)
  }
  results['targets'] = checkTargets(results)
  return results
}

export async function benchCommand(o: { only?: string; out?: string }): Promise<void> {
  const results = await runBenchmarks(o.only)
  const text = JSON.stringify(results, null, 2)
  if (o.out) fs.writeFileSync(o.out, text + '\n')
  console.log(text)
}
