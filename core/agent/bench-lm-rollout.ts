// LM rollout throughput per env: batched lockstep rollouts with the KV cache against re-encoding
// each row's whole chunk at every decoding step, same model (seed), same env seeds, same sampling
// stream; the actions must be identical. Also the compact-context token counts of demonstrator episodes. Plain JSON for
// `himac bench`.
import type { EnvKind } from '../envs/env'
import { createRng } from '../rng'
import { requireWasm } from '../train/native/bench'
import {
  getNativeKernelStatus,
  installNativeKernels,
  uninstallNativeKernels,
  type NativeKernelStatus
} from '../train/native/install'
import {
  createAlfworldDemonstrator,
  createSokobanDemonstrator,
  createWebshopDemonstrator,
  runDemonstrator
} from './demonstrators'
import {
  defaultLmModelConfig,
  observationTokens,
  resolveLmAgentOptions,
  rolloutLm,
  teacherTrajectory,
  type LmAgentOptions,
  type LmBatchStats
} from './lm'
import { createTransformerLM, type TransformerConfig } from './models/transformer'
import { buildEnvTokenizer, defaultEnv, ENV_KINDS, type Tokenizer } from './tokenizer'

export type LmRolloutBenchOptions = {
  envs?: readonly EnvKind[]
  /** Envs rolled out in lockstep; default 8. */
  batch?: number
  /** Model weights and first env seed; default 1. */
  seed?: number
  /** Demonstrator episodes for the context token counts; default 100. */
  countEpisodes?: number
  /** Use the native kernels when they load (default true); the previous state is restored. */
  native?: boolean
  /**
   * Sampling temperature, default 1 (a rollout's); both paths draw from the same seeded stream, so
   * only a float difference at a sampling boundary (~1e-6 per draw) could part them. 0 = greedy.
   */
  temperature?: number
  /** Tokenizer episodes per env (default 200, the tokenizer's default). */
  tokenizerEpisodes?: number
  /** Which contexts the agent keeps (default 'compact'; see LM_ROLLOUT_CONTEXTS). */
  context?: LmRolloutContext
}

/**
 * 'compact': what training uses, verl-agent's history length (2) in the env's default context.
 * 'long': every step that fits a 2,048-token context (the paper's ALFWorld prompt limit,
 * ../shared/spec/himac.md §6), a new chunk only when it is full. The cache saves what re-encoding
 * repeats, the history, so its ratio is bounded by the context it keeps (README: "KV cache").
 */
export const LM_ROLLOUT_CONTEXTS = ['compact', 'long'] as const
export type LmRolloutContext = (typeof LM_ROLLOUT_CONTEXTS)[number]

/**
 * The 'long' context: model positions, and history steps and steps per chunk (all that fit); a new
 * chunk (when the context is full) carries at most half the context of history.
 */
export const LONG_CONTEXT = { tokens: 2048, steps: 10_000 }

export type MeanMax = { mean: number; max: number }

export type ContextCounts = {
  episodes: number
  /** Tokens of one `<obs> … <act>` block (capped observation). */
  observation: MeanMax
  /** Tokens of a chunk (the sequences the model reads). */
  chunk: MeanMax
  /** Tokens before an action's first generated token (the context it is chosen in). */
  decisionContext: MeanMax
  chunksPerEpisode: number
}

export type LmRolloutPath = {
  envStepsPerSec: number
  /** Tokens the model read (prefill of observations and prompts, and generated tokens fed back) per second. */
  tokensFedPerSec: number
  /** Action tokens decoded per second. */
  tokensGeneratedPerSec: number
  totalMs: number
  stats: LmBatchStats
}

export type LmRolloutEnvResult = {
  env: EnvKind
  model: TransformerConfig
  batch: number
  envSteps: number
  kvCache: LmRolloutPath
  reencode: LmRolloutPath
  /** kv-cache env steps/s ÷ re-encoding env steps/s (target ≥ 5). */
  speedup: number
  /** Re-encoding token slots ÷ KV-cache token slots: the same ratio in model work, load-free. */
  workRatio: number
  actionsIdentical: boolean
  contextTokens: ContextCounts
}

export type LmRolloutBenchResult = {
  context: LmRolloutContext
  native: NativeKernelStatus
  tokenizerSize: number
  envs: LmRolloutEnvResult[]
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

function meanMax(values: number[]): MeanMax {
  const sum = values.reduce((p, x) => p + x, 0)
  return {
    mean: values.length ? round(sum / values.length, 1) : 0,
    max: values.length ? Math.max(...values) : 0
  }
}

/** The agent options and model of a context mode. */
export function rolloutSetup(
  tokenizer: Tokenizer,
  kind: EnvKind,
  mode: LmRolloutContext
): { agent: LmAgentOptions; model: TransformerConfig } {
  const model = defaultLmModelConfig(tokenizer, kind)
  if (mode === 'compact') return { agent: resolveLmAgentOptions({}, kind), model }
  return {
    agent: resolveLmAgentOptions(
      {
        historyLength: LONG_CONTEXT.steps,
        chunkSteps: LONG_CONTEXT.steps,
        carryTokens: LONG_CONTEXT.tokens / 2
      },
      kind
    ),
    model: { ...model, context: LONG_CONTEXT.tokens }
  }
}

/** Context token counts of `episodes` demonstrator episodes (seeds 0…n−1). */
export function contextTokenCounts(
  tokenizer: Tokenizer,
  kind: EnvKind,
  episodes: number,
  contextMode: LmRolloutContext = 'compact'
): ContextCounts {
  const env = defaultEnv(kind)
  const demo =
    kind === 'sokoban'
      ? createSokobanDemonstrator()
      : kind === 'alfworld'
        ? createAlfworldDemonstrator()
        : createWebshopDemonstrator()
  const { agent: options, model } = rolloutSetup(tokenizer, kind, contextMode)
  const { context } = model
  const obs: number[] = []
  const chunks: number[] = []
  const decision: number[] = []
  for (let seed = 0; seed < episodes; seed++) {
    const ep = runDemonstrator(env, demo, seed)
    for (const s of ep.steps) {
      if (s.action !== '')
        obs.push(observationTokens(tokenizer, kind, s.observation, options.maxObsTokens).length)
    }
    const tr = teacherTrajectory(tokenizer, kind, ep, options, context)
    for (const c of tr.chunks) chunks.push(c.length)
    for (const d of tr.decisions) decision.push(d.positions[0] as number)
  }
  return {
    episodes,
    observation: meanMax(obs),
    chunk: meanMax(chunks),
    decisionContext: meanMax(decision),
    chunksPerEpisode: round(chunks.length / Math.max(1, episodes), 2)
  }
}

export async function benchLmRollout(
  options: LmRolloutBenchOptions = {}
): Promise<LmRolloutBenchResult> {
  await requireWasm()
  const kinds = options.envs ?? ENV_KINDS
  const batch = options.batch ?? 8
  const mode = options.context ?? 'compact'
  const seed = options.seed ?? 1
  const wasInstalled = getNativeKernelStatus().enabled
  const native =
    options.native === false
      ? (uninstallNativeKernels(), getNativeKernelStatus())
      : installNativeKernels()
  const { tokenizer } = buildEnvTokenizer({ episodes: options.tokenizerEpisodes ?? 200 })
  const results: LmRolloutEnvResult[] = []
  try {
    for (const kind of kinds) {
      const { agent, model: config } = rolloutSetup(tokenizer, kind, mode)
      const model = createTransformerLM(config, seed)
      const seeds = Array.from({ length: batch }, (_, i) => seed + i)
      const roll = (encoding: 'kv-cache' | 'reencode') =>
        rolloutLm({
          model,
          tokenizer,
          envs: seeds.map(() => defaultEnv(kind)),
          seeds,
          temperature: options.temperature ?? 1,
          rng: createRng(seed),
          options: agent,
          encoding
        })
      try {
        // Warm-up: one whole untimed rollout per path. The first run of a path is up to 3× slower
        // (wasm heap growth, first allocations of each shape), which a short warm-up left in place.
        roll('kv-cache')
        roll('reencode')
        const kv = roll('kv-cache')
        const full = roll('reencode')
        const actions = (rs: typeof kv) =>
          JSON.stringify(rs.map((r) => r.steps.map((s) => s.action)))
        const actionsIdentical = actions(kv) === actions(full)
        const path = (rs: typeof kv): LmRolloutPath => {
          const stats = (rs[0] as (typeof rs)[number]).stats.batch
          return {
            envStepsPerSec: round((stats.envSteps * 1000) / stats.ms.total, 1),
            tokensFedPerSec: Math.round((stats.tokensFed * 1000) / stats.ms.total),
            tokensGeneratedPerSec: round((stats.tokensGenerated * 1000) / stats.ms.total, 1),
            totalMs: stats.ms.total,
            stats
          }
        }
        const kvCache = path(kv)
        const reencode = path(full)
        results.push({
          env: kind,
          model: config,
          batch,
          envSteps: kvCache.stats.envSteps,
          kvCache,
          reencode,
          speedup: round(kvCache.envStepsPerSec / reencode.envStepsPerSec),
          workRatio: round(reencode.stats.tokenSlots / kvCache.stats.tokenSlots),
          actionsIdentical,
          contextTokens: contextTokenCounts(tokenizer, kind, options.countEpisodes ?? 100, mode)
        })
        if (!actionsIdentical)
          throw new Error(`${kind}: the KV-cache and re-encoding rollouts chose different actions`)
      } finally {
        model.dispose()
      }
    }
  } finally {
    if (wasInstalled) installNativeKernels()
    else uninstallNativeKernels()
  }
  return { context: mode, native, tokenizerSize: tokenizer.size, envs: results }
}
