// `himac eval --checkpoint FILE | --run ID`: evaluates a trained language-model policy (flat, or
// HiMAC's planner + executor) on held-out seeds, greedily and at the evaluation temperature, and
// prints success (per task type on ALFWorld), WebShop's score, and mean length.
import fs from 'node:fs'
import { experimentConfigSchema, type ExperimentConfig } from '../core/api/config'
import { validationError } from '../core/api/errors'
import { formatNumber } from '../core/format'
import { openDatabase, StoreReader } from '../core/store'
import { selectBackend } from '../core/train/backend'
import { evalSeeds } from '../core/train/grpo'
import { evaluateHimac } from '../core/train/himac/evaluate'
import { createHimacParts } from '../core/train/himac/phases'
import { lmCheckpointSchema } from '../core/train/lm/checkpoint'
import { checkpointPolicy, runPolicy, type StoredPolicy } from '../core/train/lm/run-policy'
import { evaluateLm } from '../core/train/lm/evaluate'
import { lmAgentOptionsFor } from '../core/train/lm/setup'
import { installNativeKernels } from '../core/train/native'
import type { EpisodeRecord } from '../core/store/records'
import { UsageError } from './errors'

export type EvalCheckpointOptions = {
  checkpoint?: string
  run?: number
  db: string
  episodes: number
  seed?: number
  envConfig?: string
  json?: boolean
}

/** The checkpoint, validated (its weights are loaded once the backend is chosen). */
function readCheckpoint(o: EvalCheckpointOptions): StoredPolicy {
  if (o.checkpoint !== undefined) {
    if (!fs.existsSync(o.checkpoint)) throw new UsageError(`no checkpoint file ${o.checkpoint}`)
    let json: unknown
    try {
      json = JSON.parse(fs.readFileSync(o.checkpoint, 'utf8'))
    } catch (err) {
      throw new UsageError(`${o.checkpoint} is not JSON: ${(err as Error).message}`)
    }
    return checkpointPolicy(lmCheckpointSchema.parse(json))
  }
  const db = openDatabase(o.db, { readonly: true })
  try {
    const policy = runPolicy(new StoreReader(db), o.run as number)
    if (!policy) throw new UsageError(`run ${o.run} has no language-model checkpoint in ${o.db}`)
    return policy
  } finally {
    db.close()
  }
}

export async function evalCheckpointCommand(o: EvalCheckpointOptions): Promise<number> {
  if ((o.checkpoint === undefined) === (o.run === undefined))
    throw new UsageError('give exactly one of --checkpoint FILE and --run ID')
  const stored = readCheckpoint(o)
  await selectBackend(stored.config.backend)
  installNativeKernels({ enabled: stored.config.nativeKernels === 'auto' })
  const { model, planner, tokenizer, config: trained } = stored.load()
  let evalEnvConfig = trained.evalEnvConfig
  if (o.envConfig !== undefined) {
    try {
      evalEnvConfig = { ...evalEnvConfig, ...(JSON.parse(o.envConfig) as object) }
    } catch (err) {
      throw new UsageError(`--env-config is not valid JSON: ${(err as Error).message}`)
    }
  }
  const parsed = experimentConfigSchema.safeParse({
    ...trained,
    evalEpisodes: o.episodes,
    evalEnvConfig,
    ...(o.seed !== undefined ? { seed: o.seed } : {})
  })
  if (!parsed.success) throw new UsageError(validationError(parsed.error).message)
  const config: ExperimentConfig = parsed.data
  const seeds = evalSeeds(config)
  const loose: EpisodeRecord[] = []
  const t0 = performance.now()
  try {
    const values =
      config.algo === 'himac'
        ? evaluateHimac(createHimacParts(config, tokenizer, planner ?? model, model), seeds, loose)
        : evaluateLm({
            config,
            model,
            tokenizer,
            seeds,
            agentOptions: lmAgentOptionsFor(config),
            loose
          }).values
    values['eval/seconds'] = (performance.now() - t0) / 1000
    if (o.json) {
      console.log(JSON.stringify({ env: config.env, algo: config.algo, values }, null, 2))
      return 0
    }
    console.log(`${config.env} · ${config.algo} · ${seeds.length} held-out episodes`)
    for (const [k, v] of Object.entries(values).sort(([a], [b]) => a.localeCompare(b)))
      console.log(`  ${k.padEnd(56)} ${formatNumber(v)}`)
    if (config.env === 'webshop')
      console.log(
        `  score (mean return × 100)${' '.repeat(23)} ${formatNumber(100 * (values['eval/mean_return'] ?? 0))}`
      )
    return 0
  } finally {
    model.dispose()
    planner?.dispose()
  }
}
