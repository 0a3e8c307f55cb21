// The warm start of every LM run: behaviour cloning from the searching demonstrators (which act only
// on what the agent observes), or a saved warm start loaded from a file. Cloning epochs are reported
// as the run's first iterations (metrics `bc/*`), so a run's curve starts with them.
import fs from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import type { ExperimentConfig } from '../../api/config'
import { validationError } from '../../api/errors'
import { runDemonstrator, type DemoEpisode } from '../../agent/demonstrators'
import { teacherTrajectory, type LmAgentOptions } from '../../agent/lm'
import type { LmTrajectory } from '../../agent/lm/record'
import { createTransformerLM, type TransformerLM } from '../../agent/models/transformer'
import type { Tokenizer } from '../../agent/tokenizer'
import { createEnvForExperiment } from '../../envs/registry'
import { createRng } from '../../rng'
import type { RolloutBatch } from '../../store/records'
import { demonstratorFor } from '../baselines'
import { drainSink, type TrainingSink } from '../sink'
import { behaviourClone } from './bc'
import { lmCheckpointSchema, loadLmCheckpoint } from './checkpoint'
import { lmModelConfigFor, lmTokenizerFor } from './setup'

export type WarmStart = { model: TransformerLM; tokenizer: Tokenizer; iterations: number }

/** Train seeds of the demonstrations (verl-agent's train seeds are below 2^16). */
function demoSeeds(config: ExperimentConfig, n: number): number[] {
  const rng = createRng(config.seed ^ 0xbc0)
  return Array.from({ length: n }, () => rng.int(2 ** 16 - 1))
}

/** Demonstrator episodes on train seeds; successful ones become cloning targets. */
export function demonstrations(config: ExperimentConfig, n: number): DemoEpisode[] {
  const env = createEnvForExperiment(config)
  const demonstrator = demonstratorFor(config.env)
  return demoSeeds(config, n).map((seed) => runDemonstrator(env, demonstrator, seed))
}

export type CloneEpoch = {
  epoch: number
  loss: number
  heldOutLoss: number | null
  seconds: number
  decisions: number
}

/**
 * Clones a fresh model from `config.policy.warmStart.episodes` demonstrations for `epochs` epochs
 * (10 % of the successful episodes held out for the loss). `onEpoch` may stop it by returning false.
 */
export async function cloneFromDemonstrations(
  config: ExperimentConfig,
  agentOptions: LmAgentOptions,
  onEpoch: (e: CloneEpoch, demos: DemoEpisode[]) => Promise<boolean> | boolean
): Promise<WarmStart & { demos: DemoEpisode[] }> {
  const w = config.policy.warmStart
  const tokenizer = lmTokenizerFor(config)
  const model = createTransformerLM(lmModelConfigFor(config, tokenizer), config.seed)
  const demos = demonstrations(config, w.episodes)
  const toTrajectory = (d: DemoEpisode): LmTrajectory =>
    teacherTrajectory(
      tokenizer,
      config.env,
      { task: d.task, steps: d.steps },
      agentOptions,
      model.config.context
    )
  const wins = demos.filter((d) => d.success)
  const heldOutCount = wins.length >= 10 ? Math.floor(wins.length / 10) : 0
  const heldOut = wins.slice(0, heldOutCount).map(toTrajectory)
  const train = wins.slice(heldOutCount).map(toTrajectory)
  const optimizer = tf.train.adam(w.learningRate)
  const rng = createRng(config.seed ^ 0xbc1)
  let epoch = 0
  try {
    for (; epoch < w.epochs; epoch++) {
      const t0 = performance.now()
      const [r] = behaviourClone({
        model,
        optimizer,
        trajectories: train,
        epochs: 1,
        batchDecisions: w.batchDecisions,
        rng,
        maxGradNorm: config.maxGradNorm,
        ...(heldOut.length ? { heldOut } : {})
      })
      const e: CloneEpoch = {
        epoch,
        loss: r?.loss ?? NaN,
        heldOutLoss: r?.heldOutLoss ?? null,
        seconds: (performance.now() - t0) / 1000,
        decisions: train.reduce((s, t) => s + t.decisions.length, 0)
      }
      if (!(await onEpoch(e, demos))) {
        epoch++
        break
      }
    }
  } finally {
    optimizer.dispose()
  }
  return { model, tokenizer, iterations: epoch, demos }
}

/** The demonstrations as the first iteration's stored episodes (outside any group). */
export function demonstrationBatch(demos: readonly DemoEpisode[]): RolloutBatch {
  return {
    iteration: 0,
    groups: [],
    loose: demos.map(({ subgoals: _s, taskType: _t, ...ep }, i) => ({
      ...ep,
      phase: 'train' as const,
      memberIndex: i
    }))
  }
}

/** Which policy a warm start was cloned as: HiMAC's planner and executor, or a flat agent. */
const roleOf = (c: ExperimentConfig): string =>
  c.algo === 'himac' ? 'HiMAC (planner and executor, `--algo himac`)' : 'a flat agent'

/**
 * Why a warm start cloned under `cloned` cannot start a run of `mine`, or null. The run must act in
 * the same env, as the same kind of policy (a flat model never learned the blueprint grammar; a
 * HiMAC model reads a blueprint in every prompt), and read observations and name actions as the
 * warm start was cloned to (a WebShop model cloned to name results by ASIN would read title clicks
 * as text it never saw).
 */
export function warmStartMismatch(
  file: string,
  cloned: ExperimentConfig,
  mine: ExperimentConfig
): string | null {
  if (cloned.env !== mine.env)
    return `the warm start ${file} was cloned on ${cloned.env}; this run is on ${mine.env}`
  if ((cloned.algo === 'himac') !== (mine.algo === 'himac'))
    return `the warm start ${file} was cloned as ${roleOf(cloned)}; this run (${mine.algo}) needs ${roleOf(mine)}: clone one with \`himac warmstart --algo ${mine.algo === 'himac' ? 'himac' : 'grpo'}\``
  // An executor cloned to end subgoals with <sub_done> runs each subgoal to its budget without it
  // (measured: 0 % on ALFWorld); one cloned at budget switches never learned <sub_done>.
  if (mine.algo === 'himac' && cloned.himac.subDone !== mine.himac.subDone)
    return `the warm start ${file} was cloned ${cloned.himac.subDone ? 'with' : 'without'} <sub_done>; this run is ${mine.himac.subDone ? 'with' : 'without'} it: clone one with \`himac warmstart --algo himac${mine.himac.subDone ? '' : ' --no-sub-done'}\``
  if (mine.algo === 'himac' && cloned.himac.webshopSubgoals !== mine.himac.webshopSubgoals)
    return `the warm start ${file} was cloned with webshopSubgoals '${cloned.himac.webshopSubgoals}'; this run has '${mine.himac.webshopSubgoals}': clone one with \`himac warmstart --algo himac --webshop-subgoals ${mine.himac.webshopSubgoals}\``
  const differ = (['webshopClick', 'sokobanView'] as const).filter(
    (k) => mine.policy.lm[k] !== cloned.policy.lm[k]
  )
  if (differ.length > 0)
    return `the warm start ${file} was cloned with ${differ.map((k) => `${k} '${cloned.policy.lm[k]}'`).join(', ')}; this run has ${differ.map((k) => `'${mine.policy.lm[k]}'`).join(', ')}`
  return null
}

/**
 * The LM fields a saved warm start fixes (its weights' shape, and how it reads observations): a run
 * loading it trains that model.
 */
const MODEL_SHAPE = [
  'dModel',
  'layers',
  'heads',
  'ffMult',
  'context',
  'tiedHead',
  'markTaskWords',
  'markSubgoalWords',
  'markActionWords'
] as const

/** The model shape of a config, as `d64 × 2 (4 heads)`. */
export function modelShapeText(config: ExperimentConfig): string {
  const lm = config.policy.lm
  return `d${lm.dModel} × ${lm.layers} (${lm.heads} heads, ff ×${lm.ffMult}${lm.context !== null ? `, context ${lm.context}` : ''}${lm.tiedHead ? ', tied head' : ''}${lm.markTaskWords ? ', task words marked' : ''}${lm.markSubgoalWords ? ', subgoal words marked' : ''}${lm.markActionWords ? ', in actions too' : ''})`
}

/**
 * `config` with the model shape of the saved warm start it starts from (`cloned`, its config), so
 * that the run's stored config names the model it trains rather than its preset's size.
 */
export function withWarmStartShape(
  config: ExperimentConfig,
  cloned: ExperimentConfig
): ExperimentConfig {
  const lm = { ...config.policy.lm }
  for (const k of MODEL_SHAPE) Object.assign(lm, { [k]: cloned.policy.lm[k] })
  return { ...config, policy: { ...config.policy, lm } }
}

/**
 * `config` (a run loading the saved warm start `cloned` was cloned under) with the cloning that made
 * those weights (demonstrations, epochs, batch, learning rate) instead of the preset's, so that the
 * run's stored config says how its warm start was cloned.
 */
export function withWarmStartRecipe(
  config: ExperimentConfig,
  cloned: ExperimentConfig
): ExperimentConfig {
  const { episodes, epochs, batchDecisions, learningRate } = cloned.policy.warmStart
  const warmStart = { ...config.policy.warmStart, episodes, epochs, batchDecisions, learningRate }
  return { ...config, policy: { ...config.policy, warmStart } }
}

/** The config a saved warm start was cloned under (the file validated, no model built). */
export function readWarmStartConfig(file: string): ExperimentConfig {
  const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
  return lmCheckpointSchema.parse(json).config
}

/**
 * Why the saved warm start `file` cannot start a run of `config` (no such file, not a warm start,
 * or warmStartMismatch's reasons), or null; checked before a run is created.
 */
export function warmStartFileProblem(file: string, config: ExperimentConfig): string | null {
  if (!fs.existsSync(file)) return `${file} does not exist`
  let cloned: ExperimentConfig
  try {
    cloned = readWarmStartConfig(file)
  } catch (err) {
    const why =
      err instanceof z.ZodError
        ? validationError(err).message
        : (err as Error).message.split('\n')[0]
    return `${file} is not a saved warm start (${why})`
  }
  return warmStartMismatch(file, cloned, config)
}

/** A saved warm start (`himac warmstart --out FILE`) for a run of `config`; see warmStartMismatch. */
export function loadWarmStart(
  file: string,
  config: ExperimentConfig
): { model: TransformerLM; tokenizer: Tokenizer } {
  const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
  const loaded = loadLmCheckpoint(json)
  const why = warmStartMismatch(file, loaded.config, config)
  if (why !== null) {
    loaded.model.dispose()
    throw new Error(why)
  }
  return { model: loaded.model, tokenizer: loaded.tokenizer }
}

/** The run's warm start: loaded, cloned (reporting each epoch as an iteration), or none. */
export async function warmStart(
  config: ExperimentConfig,
  agentOptions: LmAgentOptions,
  sink: TrainingSink,
  signal?: AbortSignal
): Promise<WarmStart | null> {
  const w = config.policy.warmStart
  if (w.from !== null) return { ...loadWarmStart(w.from, config), iterations: 0 }
  if (w.episodes === 0 || w.epochs === 0) return null
  const total = config.iterations + w.epochs
  sink.progress(0, total, 'demonstrations')
  return cloneFromDemonstrations(config, agentOptions, async (e, demos) => {
    if (e.epoch === 0) {
      sink.rollouts(demonstrationBatch(demos))
    }
    sink.metrics(e.epoch, {
      'bc/loss': e.loss,
      ...(e.heldOutLoss !== null ? { 'bc/heldout_loss': e.heldOutLoss } : {}),
      'bc/demo_success_rate': demos.filter((d) => d.success).length / Math.max(1, demos.length),
      'bc/decisions': e.decisions,
      'perf/iteration_s': e.seconds
    })
    sink.progress(e.epoch + 1, total, 'clone')
    await drainSink(sink)
    return !signal?.aborted
  })
}
