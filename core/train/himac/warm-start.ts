// HiMAC's warm start: behaviour cloning of both roles from the searching demonstrators. Each
// successful demonstration becomes two targets: the planner's canonical blueprint (the demonstrator's
// subgoals in the grammar's phrasing) and the executor's actions under that blueprint, with
// `<sub_done>` where a subgoal ends. Epochs are reported as the run's first iterations (`bc/*`).
import * as tf from '@tensorflow/tfjs'
import type { ExperimentConfig } from '../../api/config'
import type { DemoEpisode } from '../../agent/demonstrators'
import { blueprintTokens } from '../../agent/himac/executor-plan'
import { teacherExecutorTrajectory, teacherPlanTrajectory } from '../../agent/himac/teacher'
import type { LmAgentOptions } from '../../agent/lm'
import type { LmTrajectory } from '../../agent/lm/record'
import {
  copyTransformer,
  createTransformerLM,
  type TransformerLM
} from '../../agent/models/transformer'
import type { Tokenizer } from '../../agent/tokenizer'
import { createRng } from '../../rng'
import { drainSink, type TrainingSink } from '../sink'
import { behaviourClone } from '../lm/bc'
import { lmModelConfigFor, lmTokenizerFor } from '../lm/setup'
import { demonstrationBatch, demonstrations, loadWarmStart } from '../lm/warm-start'
import { planGrammar, type PlanGrammar } from './grammar'
import { executorPlan } from './phases'
import type { HimacOptions } from './options'

export type HimacTargets = {
  planner: LmTrajectory[]
  executor: LmTrajectory[]
  /** Successful demonstrations left out, by reason (no canonical plan, a segment over budget …). */
  skipped: Record<string, number>
  fallbacks: number
}

/** The cloning targets of the successful demonstrations. */
export function himacTargets(
  demos: readonly DemoEpisode[],
  tokenizer: Tokenizer,
  grammar: PlanGrammar,
  config: ExperimentConfig,
  himac: HimacOptions,
  agentOptions: LmAgentOptions,
  context: number
): HimacTargets {
  const out: HimacTargets = { planner: [], executor: [], skipped: {}, fallbacks: 0 }
  const skip = (why: string): void => {
    out.skipped[why] = (out.skipped[why] ?? 0) + 1
  }
  for (const d of demos) {
    if (!d.success) continue
    const first = d.steps[0]
    const plan = grammar.canonical(d)
    if (!first || !plan) {
      skip('no canonical blueprint')
      continue
    }
    const tokens = blueprintTokens(tokenizer, plan.subgoals)
    let planner: LmTrajectory
    try {
      planner = teacherPlanTrajectory(
        tokenizer,
        config.env,
        d.task,
        first.observation,
        grammar.cursor(d.task, first.observation),
        tokens,
        agentOptions.maxObsTokens,
        agentOptions.sokobanView
      )
    } catch {
      skip('blueprint outside the grammar')
      continue
    }
    const exec = teacherExecutorTrajectory(
      tokenizer,
      config.env,
      d,
      executorPlan(himac, tokens),
      plan.segments,
      agentOptions,
      context
    )
    if (!exec.trajectory) {
      skip(exec.reason.replace(/\d+/g, 'n'))
      continue
    }
    out.planner.push(planner)
    out.executor.push(exec.trajectory)
    out.fallbacks += exec.fallbacks
  }
  return out
}

export type HimacWarmStart = {
  planner: TransformerLM
  /** The same model as `planner` with shared weights. */
  executor: TransformerLM
  tokenizer: Tokenizer
  iterations: number
}

/** One cloning epoch of both roles: the `bc/*` metrics of the run's iteration `epoch`. */
export type HimacCloneEpoch = { epoch: number; values: Record<string, number> }

/**
 * Clones planner and executor from `config.policy.warmStart.episodes` demonstrations for `epochs`
 * epochs. Shared weights clone both roles together; separate ones clone the planner and the
 * executor from the same start on their own targets. `onEpoch` may stop it by returning false.
 */
export async function cloneHimacFromDemonstrations(
  config: ExperimentConfig,
  himac: HimacOptions,
  agentOptions: LmAgentOptions,
  onEpoch: (e: HimacCloneEpoch, demos: DemoEpisode[]) => Promise<boolean> | boolean
): Promise<HimacWarmStart & { demos: DemoEpisode[] }> {
  const w = config.policy.warmStart
  const tokenizer = lmTokenizerFor(config)
  const model = createTransformerLM(lmModelConfigFor(config, tokenizer), config.seed)
  const demos = demonstrations(config, w.episodes)
  const grammar = planGrammar(tokenizer, config.env, himac.maxSubgoals, himac.webshopSubgoals)
  const targets = himacTargets(
    demos,
    tokenizer,
    grammar,
    config,
    himac,
    agentOptions,
    model.config.context
  )
  const executor = himac.sharedWeights ? model : copyTransformer(model, config.seed)
  const jobs: { model: TransformerLM; trajectories: LmTrajectory[]; role: string }[] =
    himac.sharedWeights
      ? [{ model, trajectories: [...targets.planner, ...targets.executor], role: 'both' }]
      : [
          { model, trajectories: targets.planner, role: 'planner' },
          { model: executor, trajectories: targets.executor, role: 'executor' }
        ]
  const optimizers = jobs.map(() => tf.train.adam(w.learningRate))
  const rng = createRng(config.seed ^ 0xbc1)
  const skipped = Object.values(targets.skipped).reduce((a, b) => a + b, 0)
  const wins = demos.filter((d) => d.success).length
  let epoch = 0
  try {
    for (; epoch < w.epochs; epoch++) {
      const t0 = performance.now()
      const values: Record<string, number> = {}
      jobs.forEach((job, j) => {
        const [r] = behaviourClone({
          model: job.model,
          optimizer: optimizers[j] as tf.Optimizer,
          trajectories: job.trajectories,
          epochs: 1,
          batchDecisions: w.batchDecisions,
          rng,
          maxGradNorm: config.maxGradNorm
        })
        values[job.role === 'both' ? 'bc/loss' : `bc/${job.role}_loss`] = r?.loss ?? NaN
      })
      const more = await onEpoch(
        {
          epoch,
          values: {
            ...values,
            'bc/demo_success_rate': wins / Math.max(1, demos.length),
            'bc/plans': targets.planner.length,
            'bc/skipped_demos': skipped,
            'bc/fallbacks': targets.fallbacks,
            'bc/decisions': targets.executor.reduce((s, t) => s + t.decisions.length, 0),
            'perf/iteration_s': (performance.now() - t0) / 1000
          }
        },
        demos
      )
      if (!more) {
        epoch++
        break
      }
    }
  } finally {
    for (const o of optimizers) o.dispose()
  }
  return { planner: model, executor, tokenizer, iterations: epoch, demos }
}

/** Loads a saved warm start, clones one from demonstrations, or starts both roles fresh. */
export async function himacWarmStart(
  config: ExperimentConfig,
  himac: HimacOptions,
  agentOptions: LmAgentOptions,
  sink: TrainingSink,
  signal?: AbortSignal
): Promise<HimacWarmStart> {
  const w = config.policy.warmStart
  const split = (model: TransformerLM, tokenizer: Tokenizer) => ({
    planner: model,
    executor: himac.sharedWeights ? model : copyTransformer(model, config.seed),
    tokenizer,
    iterations: 0
  })
  if (w.from !== null) {
    const loaded = loadWarmStart(w.from, config)
    return split(loaded.model, loaded.tokenizer)
  }
  if (w.episodes === 0 || w.epochs === 0) {
    const tokenizer = lmTokenizerFor(config)
    return split(createTransformerLM(lmModelConfigFor(config, tokenizer), config.seed), tokenizer)
  }
  const total = config.iterations + w.epochs
  sink.progress(0, total, 'demonstrations')
  const { demos: _demos, ...start } = await cloneHimacFromDemonstrations(
    config,
    himac,
    agentOptions,
    async (e, demos) => {
      if (e.epoch === 0) sink.rollouts(demonstrationBatch(demos))
      sink.metrics(e.epoch, e.values)
      sink.progress(e.epoch + 1, total, 'clone')
      await drainSink(sink)
      return !signal?.aborted
    }
  )
  return start
}
