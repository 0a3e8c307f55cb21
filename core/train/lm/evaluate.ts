// Held-out evaluation of the LM policy: the same seeds every time, once greedy and once at the
// evaluation temperature (verl-agent validates at 0.4); the tempered episodes are stored.
import { evaluationConfig, type ExperimentConfig } from '../../api/config'
import { rolloutLm, type LmAgentOptions, type LmRollout } from '../../agent/lm'
import type { TransformerLM } from '../../agent/models/transformer'
import type { Tokenizer } from '../../agent/tokenizer'
import { createEnvForExperiment, taskMetricKey } from '../../envs/registry'
import type { EpisodeRecord } from '../../store/records'
import { createRng } from '../../rng'
import { envStepCount, toEpisode } from './episodes'

export type LmEvalMetrics = { values: Record<string, number>; rollouts: LmRollout[] }

const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0

/** Rolls out `seeds` in batches of `batch` envs (memory of the KV caches stays bounded). */
export function rolloutSeeds(args: {
  config: ExperimentConfig
  model: TransformerLM
  tokenizer: Tokenizer
  seeds: readonly number[]
  agentOptions: LmAgentOptions
  temperature: number
  rngSeed: number
  candidates: boolean
  batch?: number
}): LmRollout[] {
  const batch = args.batch ?? 64
  const rng = createRng(args.rngSeed)
  const out: LmRollout[] = []
  for (let i = 0; i < args.seeds.length; i += batch) {
    const seeds = args.seeds.slice(i, i + batch)
    out.push(
      ...rolloutLm({
        model: args.model,
        tokenizer: args.tokenizer,
        envs: seeds.map(() => createEnvForExperiment(evaluationConfig(args.config))),
        seeds: [...seeds],
        temperature: args.temperature,
        rng,
        options: args.agentOptions,
        candidates: args.candidates
      })
    )
  }
  return out
}

function summarise(prefix: string, env: ExperimentConfig['env'], rollouts: readonly LmRollout[]) {
  const values: Record<string, number> = {
    [`${prefix}success_rate`]: mean(rollouts.map((r) => (r.success ? 1 : 0))),
    [`${prefix}mean_return`]: mean(rollouts.map((r) => r.return)),
    [`${prefix}mean_length`]: mean(rollouts.map(envStepCount))
  }
  const byType = new Map<string, { n: number; wins: number }>()
  for (const r of rollouts) {
    if (!r.taskType) continue
    const s = byType.get(r.taskType) ?? { n: 0, wins: 0 }
    s.n++
    s.wins += r.success ? 1 : 0
    byType.set(r.taskType, s)
  }
  for (const [type, s] of byType)
    values[`${prefix}success_rate/${taskMetricKey(env, type)}`] = s.wins / s.n
  return values
}

export function evaluateLm(args: {
  config: ExperimentConfig
  model: TransformerLM
  tokenizer: Tokenizer
  seeds: readonly number[]
  agentOptions: LmAgentOptions
  /** Receives the stored (tempered) evaluation episodes. */
  loose: EpisodeRecord[]
}): LmEvalMetrics {
  const { config } = args
  const candidates = config.policy.lm.candidates !== 'off'
  // Only the stored (tempered) episodes need candidates: they cost ~40 % of a greedy ALFWorld pass.
  const greedy = rolloutSeeds({
    ...args,
    candidates: candidates && config.evalTemperature === 0,
    temperature: 0,
    rngSeed: config.seed ^ 0xe7a0
  })
  const tempered =
    config.evalTemperature === 0
      ? greedy
      : rolloutSeeds({
          ...args,
          candidates,
          temperature: config.evalTemperature,
          rngSeed: config.seed ^ 0xe7a1
        })
  tempered.forEach((r, i) => args.loose.push(toEpisode(r, 'eval', i, config.env)))
  return {
    values: {
      ...summarise('eval/', config.env, tempered),
      ...summarise('eval/greedy_', config.env, greedy),
      'eval/episodes': tempered.length
    },
    rollouts: tempered
  }
}
