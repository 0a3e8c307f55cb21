// Where a flat LM training iteration's time goes (issue 13: the share spent in rollout, update and
// storage): a real GRPO run per env through runExperiment into a real SQLite file — a small warm
// start, then RL iterations of the workbench presets' size (default model, 8 groups × 8) — and the
// stored perf/* seconds of its RL iterations. Plain JSON for `himac bench --only lm-iteration`.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { experimentConfigSchema } from '../../api/config'
import type { EnvKind } from '../../envs/env'
import { openDatabase, StoreWriter } from '../../store'
import { runExperiment } from '../run'
import { createStoreSink } from '../store-sink'
import { TRAIN_SPLITS } from './bench-update'

export type LmIterationBenchOptions = {
  envs?: readonly EnvKind[]
  /** RL iterations per env (default 2). */
  iterations?: number
  /** Demonstrations of the warm start (default 32, one epoch: only its time is skipped). */
  demos?: number
  /** Groups per iteration and their size (default 8 × 8, the presets'). */
  groups?: number
  groupSize?: number
}

export type LmIterationBenchEnv = {
  env: EnvKind
  iterations: number
  /** Mean seconds per RL iteration and of each part. */
  seconds: { iteration: number; rollout: number; update: number; store: number; other: number }
  /** Shares of the iteration's seconds. */
  share: { rollout: number; update: number; store: number; other: number }
  envStepsPerSec: number
  /** Generated (action) tokens the update scores per second (the run's perf/update_tokens_per_s). */
  updateTokensPerSec: number
}

async function benchEnv(
  env: EnvKind,
  o: Required<LmIterationBenchOptions>,
  dir: string
): Promise<LmIterationBenchEnv> {
  const config = experimentConfigSchema.parse({
    env,
    algo: 'grpo',
    iterations: o.iterations,
    groupsPerIteration: o.groups,
    groupSize: o.groupSize,
    evalEvery: 0,
    checkpointEvery: 0,
    policy: { kind: 'lm', warmStart: { episodes: o.demos, epochs: 1 } },
    ...TRAIN_SPLITS[env]
  })
  const db = openDatabase(path.join(dir, `${env}.db`))
  const rl: Record<string, number>[] = []
  try {
    const writer = new StoreWriter(db)
    const runId = writer.createRun(writer.createExperiment(`bench ${env}`, null, config), config)
    const sink = createStoreSink(writer, runId, {
      onMetrics: (_iteration, values) => {
        if (values['bc/loss'] === undefined) rl.push(values)
      }
    })
    const outcome = await runExperiment(config, sink)
    writer.finishRun(runId, outcome.status)
  } finally {
    db.close()
  }
  const mean = (key: string): number => rl.reduce((s, v) => s + (v[key] ?? 0), 0) / rl.length
  const iteration = mean('perf/iteration_s')
  const rollout = mean('perf/rollout_s')
  const update = mean('perf/update_s')
  const store = mean('perf/store_s')
  const other = Math.max(0, iteration - rollout - update - store)
  const r3 = (x: number): number => +x.toFixed(3)
  return {
    env,
    iterations: rl.length,
    seconds: {
      iteration: r3(iteration),
      rollout: r3(rollout),
      update: r3(update),
      store: r3(store),
      other: r3(other)
    },
    share: {
      rollout: r3(rollout / iteration),
      update: r3(update / iteration),
      store: r3(store / iteration),
      other: r3(other / iteration)
    },
    envStepsPerSec: Math.round(mean('perf/env_steps_per_s')),
    updateTokensPerSec: Math.round(mean('perf/update_tokens_per_s'))
  }
}

export async function benchLmIteration(
  options: LmIterationBenchOptions = {}
): Promise<{ envs: LmIterationBenchEnv[] }> {
  const o: Required<LmIterationBenchOptions> = {
    envs: options.envs ?? ['sokoban', 'alfworld', 'webshop'],
    iterations: options.iterations ?? 2,
    demos: options.demos ?? 32,
    groups: options.groups ?? 8,
    groupSize: options.groupSize ?? 8
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-bench-iteration-'))
  try {
    const envs: LmIterationBenchEnv[] = []
    for (const env of o.envs) envs.push(await benchEnv(env, o, dir))
    return { envs }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
