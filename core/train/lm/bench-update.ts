// The LM update's gradient step on real demonstrator trajectories (the default model of each env),
// with the minibatch's chunks cut into micro-batches in arrival order and sorted by length: padded
// slots, encoded tokens and milliseconds per step of each, and their ratio, in one run. Plain JSON
// for `himac bench --only lm-update`.
import * as tf from '@tensorflow/tfjs'
import { experimentConfigSchema, type ExperimentConfigInput } from '../../api/config'
import { teacherTrajectory } from '../../agent/lm'
import { createTransformerLM } from '../../agent/models/transformer'
import type { EnvKind } from '../../envs/env'
import { createRng } from '../../rng'
import { requireWasm } from '../native/bench'
import {
  getNativeKernelStatus,
  installNativeKernels,
  uninstallNativeKernels
} from '../native/install'
import { cloningGradients } from './bc'
import { ATTENTION_BUDGET, microBatches, SLOT_BUDGET } from './micro-batches'
import { lmAgentOptionsFor, lmModelConfigFor, lmTokenizerFor } from './setup'
import { packTokenBatch, type LmSample } from './token-batch'
import { demonstrations } from './warm-start'

export type LmUpdateBenchOptions = {
  envs?: readonly EnvKind[]
  /** Demonstrator episodes per env (default 64). */
  episodes?: number
  /** Decisions in the minibatch (default 512, about one PPO minibatch of 8 × 8 ALFWorld episodes). */
  decisions?: number
  /** Timed steps per order after one warm-up (default 2, alternated). */
  steps?: number
}

type OrderRow = {
  microBatches: number
  slots: number
  tokens: number
  paddingShare: number
  msPerStep: number
  tokensPerSec: number
}

export type LmUpdateBenchEnv = {
  env: EnvKind
  model: { dModel: number; layers: number; heads: number; context: number }
  decisions: number
  arrival: OrderRow
  length: OrderRow
  /** arrival ms / length ms: the speed-up of sorting by length. */
  speedup: number
}

/** The demonstrations' split per env (both benches clone on the train split, as the presets). */
export const TRAIN_SPLITS: Record<EnvKind, Partial<ExperimentConfigInput>> = {
  sokoban: {},
  alfworld: { envConfig: { split: 'train' } },
  webshop: { envConfig: { split: 'train' } }
}

function benchEnv(env: EnvKind, o: Required<LmUpdateBenchOptions>): LmUpdateBenchEnv {
  const config = experimentConfigSchema.parse({
    env,
    algo: 'grpo',
    policy: { kind: 'lm', warmStart: { episodes: o.episodes, epochs: 1 } },
    ...TRAIN_SPLITS[env]
  })
  const tokenizer = lmTokenizerFor(config)
  const mc = lmModelConfigFor(config, tokenizer)
  const agent = lmAgentOptionsFor(config)
  const trajectories = demonstrations(config, o.episodes)
    .filter((d) => d.success)
    .map((d) =>
      teacherTrajectory(tokenizer, env, { task: d.task, steps: d.steps }, agent, mc.context)
    )
  const all: LmSample[] = trajectories.flatMap((trajectory) =>
    trajectory.decisions.map((_, decision) => ({ trajectory, decision, advantage: 0 }))
  )
  const samples = createRng(1).shuffle(all).slice(0, o.decisions)
  const model = createTransformerLM(mc, 1)
  const plan = (order: 'arrival' | 'length') =>
    microBatches(samples, mc.heads, ATTENTION_BUDGET, SLOT_BUDGET, order).map((m) =>
      packTokenBatch(m, mc.vocab, mc.context)
    )
  const step = (order: 'arrival' | 'length'): number => {
    const t0 = performance.now()
    tf.tidy(() => {
      const { grads } = cloningGradients(model, plan(order))
      for (const g of Object.values(grads)) g.dataSync()
    })
    return performance.now() - t0
  }
  try {
    step('length')
    const ms = { arrival: Infinity, length: Infinity }
    for (let i = 0; i < o.steps; i++)
      for (const order of ['arrival', 'length'] as const)
        ms[order] = Math.min(ms[order], step(order))
    const row = (order: 'arrival' | 'length'): OrderRow => {
      const batches = plan(order)
      const slots = batches.reduce((s, b) => s + b.rows * b.width, 0)
      let tokens = 0
      for (const b of batches) for (const seg of b.layout.segments) tokens += seg === 0 ? 0 : 1
      return {
        microBatches: batches.length,
        slots,
        tokens,
        paddingShare: +(1 - tokens / slots).toFixed(3),
        msPerStep: Math.round(ms[order]),
        tokensPerSec: Math.round(tokens / (ms[order] / 1000))
      }
    }
    return {
      env,
      model: { dModel: mc.dModel, layers: mc.layers, heads: mc.heads, context: mc.context },
      decisions: samples.length,
      arrival: row('arrival'),
      length: row('length'),
      speedup: +(ms.arrival / ms.length).toFixed(2)
    }
  } finally {
    model.dispose()
  }
}

/** Runs on wasm with the native kernels when they load; the kernel state is restored after. */
export async function benchLmUpdate(
  options: LmUpdateBenchOptions = {}
): Promise<{ kernels: string; envs: LmUpdateBenchEnv[] }> {
  await requireWasm()
  const wasInstalled = getNativeKernelStatus().enabled
  const native = installNativeKernels()
  const o: Required<LmUpdateBenchOptions> = {
    envs: options.envs ?? ['sokoban', 'alfworld', 'webshop'],
    episodes: options.episodes ?? 64,
    decisions: options.decisions ?? 512,
    steps: options.steps ?? 2
  }
  try {
    const kernels = native.enabled ? 'wasm + native BLAS' : `wasm (${native.reason})`
    return { kernels, envs: o.envs.map((env) => benchEnv(env, o)) }
  } finally {
    if (!wasInstalled) uninstallNativeKernels()
  }
}
