// Flat GRPO: groups of rollouts on the same task seed, group-relative advantages broadcast to every
// step, PPO-clipped policy-gradient loss with an entropy bonus. The walking-skeleton learner.
import * as tf from '@tensorflow/tfjs'
import { learningRateOf, type ExperimentConfig } from '../api/config'
import { createMlpPolicy, type MlpPolicy } from '../agent/models/mlp-policy'
import { encodeSokobanRoom, sokobanInputSize } from '../agent/sokoban-encoding'
import type { EnvView } from '../envs/env'
import { createEnvForExperiment } from '../envs/registry'
import { sokobanOptionsSchema } from '../envs/sokoban'
import type { EpisodeRecord, GroupRecord } from '../store/records'
import { groupAdvantages } from './advantages'
import { startCompute } from './start-compute'
import { createRng, restoreRng, sampleIndex, type Rng } from '../rng'
import { tracePoint } from '../trace'
import { rolloutLockstep, type ChooseActions, type Encoder, type Trace } from './rollout'
import { drainSink, type TrainingOutcome, type TrainingSink } from './sink'
import { policyUpdate } from './policy-update'
import {
  captureAdam,
  encodeTrainerState,
  restoreAdam,
  type ResumeState,
  type TrainerState
} from './trainer-state'
import { resourceMetrics } from './resources'
import { budgetStopEvaluation } from './budget-stop'

/** verl-agent draws train seeds below 2^16 and validation seeds above. */
const TRAIN_SEED_SPACE = 2 ** 16 - 1
const EVAL_SEED_BASE = 2 ** 16

export function sokobanEncoder(config: ExperimentConfig): Encoder {
  const [rows, cols] = sokobanOptionsSchema.parse(config.envConfig).dimRoom
  return {
    size: sokobanInputSize(rows, cols, config.policy.encoding),
    encode(view: EnvView, out, offset) {
      if (view.kind !== 'sokoban') throw new Error(`expected a sokoban view, got ${view.kind}`)
      encodeSokobanRoom(view.room, out, offset, config.policy.encoding)
    }
  }
}

export function evalSeeds(config: ExperimentConfig): number[] {
  const rng = createRng(config.seed ^ 0x5eed)
  return Array.from({ length: config.evalEpisodes }, () => EVAL_SEED_BASE + rng.int(2 ** 30))
}

export const sampler =
  (policy: MlpPolicy, rng: Rng, temperature: number): ChooseActions =>
  (features, batch) => {
    const probs = policy.probs(features, batch, temperature)
    const k = policy.config.numActions
    const actions: number[] = []
    const logProbs: number[] = []
    for (let b = 0; b < batch; b++) {
      const row = probs.subarray(b * k, (b + 1) * k)
      const a = sampleIndex(row, rng)
      actions.push(a)
      logProbs.push(Math.log(Math.max(row[a] as number, 1e-12)))
    }
    return { actions, logProbs }
  }

const greedy =
  (policy: MlpPolicy): ChooseActions =>
  (features, batch) => {
    const probs = policy.probs(features, batch, 1)
    const k = policy.config.numActions
    const actions: number[] = []
    const logProbs: number[] = []
    for (let b = 0; b < batch; b++) {
      let best = 0
      for (let a = 1; a < k; a++)
        if ((probs[b * k + a] as number) > (probs[b * k + best] as number)) best = a
      actions.push(best)
      logProbs.push(Math.log(Math.max(probs[b * k + best] as number, 1e-12)))
    }
    return { actions, logProbs }
  }

export const uniformRandom =
  (rng: Rng, numActions: number): ChooseActions =>
  (_features, batch) => ({
    actions: Array.from({ length: batch }, () => rng.int(numActions)),
    logProbs: Array.from({ length: batch }, () => Math.log(1 / numActions))
  })

const toEpisode = (
  t: Trace,
  phase: 'train' | 'eval',
  memberIndex: number,
  env: string,
  adv?: number
): EpisodeRecord => ({
  phase,
  memberIndex,
  env,
  task: t.task || `${env} seed ${t.seed}`,
  seed: t.seed,
  return: t.return,
  success: t.success,
  length: t.actions.length,
  steps: adv === undefined ? t.steps : t.steps.map((s) => (s.action ? { ...s, advantage: adv } : s))
})

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0)

/** Evaluates a chooser on seeds, one env per seed. */
export function evaluate(
  config: ExperimentConfig,
  seeds: number[],
  choose: ChooseActions
): Trace[] {
  const envs = seeds.map(() => createEnvForExperiment(config))
  return rolloutLockstep(envs, seeds, sokobanEncoder(config), choose)
}

export type TrainOptions = {
  /**
   * Stops the run after the iteration in progress; aborted with BUDGET_SPENT (./budget-stop) the
   * run first evaluates the policy it ends with.
   */
  signal?: AbortSignal
  /** Continue from a checkpoint (its config must be the run's): iterations resume at its index. */
  resume?: ResumeState
}

export async function trainFlatGrpo(
  config: ExperimentConfig,
  sink: TrainingSink,
  options: TrainOptions = {}
): Promise<TrainingOutcome> {
  await startCompute(config, sink)
  const encoder = sokobanEncoder(config)
  const probe = createEnvForExperiment(config)
  const numActions = probe.reset(0).admissibleActions.length
  const policy = createMlpPolicy({
    inputSize: encoder.size,
    hidden: config.policy.hidden,
    numActions,
    seed: config.seed
  })
  const optimizer = tf.train.adam(learningRateOf(config))
  // The KL anchor: a frozen copy of the policy the run starts from.
  const reference =
    config.klCoef > 0 ? createMlpPolicy({ ...policy.config, seed: config.seed }) : undefined
  let updateRng = createRng(config.seed ^ 0x3b1c)
  let rng = createRng(config.seed)
  const resume = options.resume
  if (resume && resume.kind !== 'mlp')
    throw new Error('this checkpoint is not an MLP trainer state')
  const saveState = async (done: number): Promise<void> => {
    const state: TrainerState = {
      kind: 'mlp',
      iteration: done,
      config,
      policy: policy.serialize(),
      reference: reference ? reference.serialize() : null,
      optimizer: await captureAdam(optimizer),
      rngs: { rollout: rng.state(), update: updateRng.state() }
    }
    sink.progress(done, config.iterations, 'checkpoint')
    sink.checkpoint(done, encodeTrainerState(state))
  }
  const n = config.groupsPerIteration * config.groupSize
  const envs = Array.from({ length: n }, () => createEnvForExperiment(config))
  const seedsForEval = evalSeeds(config)
  const randomBaseline = mean(
    evaluate(config, seedsForEval, uniformRandom(createRng(config.seed ^ 0xbad), numActions)).map(
      (t) => (t.success ? 1 : 0)
    )
  )
  let lastMetrics: Record<string, number> = {}
  let iteration = resume?.iteration ?? 0
  const evaluateTraces = (loose: EpisodeRecord[]): Record<string, number> => {
    const chooser =
      config.evalTemperature === 0
        ? greedy(policy)
        : sampler(policy, createRng(config.seed ^ 0xe7a1), config.evalTemperature)
    const evalTraces = evaluate(config, seedsForEval, chooser)
    evalTraces.forEach((t, i) => loose.push(toEpisode(t, 'eval', i, config.env)))
    return {
      'eval/success_rate': mean(evalTraces.map((t) => (t.success ? 1 : 0))),
      'eval/mean_return': mean(evalTraces.map((t) => t.return)),
      'eval/random_success_rate': randomBaseline
    }
  }
  const afterBudget = budgetStopEvaluation(options.signal, config.evalEvery, sink, evaluateTraces)
  try {
    if (resume) {
      policy.load(resume.policy)
      if (reference && resume.reference) reference.load(resume.reference)
      await restoreAdam(optimizer, policy.variables, resume.optimizer)
      const { rollout, update } = resume.rngs
      if (!rollout || !update) throw new Error('checkpoint lacks the rollout and update generators')
      rng = restoreRng(rollout)
      updateRng = restoreRng(update)
    }
    for (; iteration < config.iterations; iteration++) {
      if (options.signal?.aborted) break
      const t0 = performance.now()
      sink.progress(iteration, config.iterations, 'rollout')
      tracePoint('rollout', iteration)
      const taskSeeds = Array.from({ length: config.groupsPerIteration }, () =>
        rng.int(TRAIN_SEED_SPACE)
      )
      const seeds = taskSeeds.flatMap((s) => Array<number>(config.groupSize).fill(s))
      const traces = rolloutLockstep(envs, seeds, encoder, sampler(policy, rng, config.temperature))
      const tRollout = performance.now() - t0

      const groups: GroupRecord[] = []
      let count = 0
      for (const t of traces) count += t.actions.length
      const features = new Float32Array(count * encoder.size)
      const actions = new Int32Array(count)
      const advantages = new Float32Array(count)
      const oldLogProbs = new Float32Array(count)
      let row = 0
      let zeroVarianceGroups = 0
      for (let g = 0; g < config.groupsPerIteration; g++) {
        const members = traces.slice(g * config.groupSize, (g + 1) * config.groupSize)
        const returns = members.map((t) => t.return)
        const advs = groupAdvantages(returns, config.advantageNorm)
        const zeroVariance = Math.max(...returns) === Math.min(...returns)
        if (zeroVariance) zeroVarianceGroups++
        if (!(zeroVariance && config.zeroVarianceGroups === 'drop')) {
          for (const [m, t] of members.entries()) {
            const acted = t.steps.filter((s) => s.action !== '')
            for (let s = 0; s < t.actions.length; s++) {
              features.set(t.features[s] as Float32Array, row * encoder.size)
              actions[row] = t.actions[s] as number
              advantages[row] = advs[m] as number
              oldLogProbs[row] = acted[s]?.logProb ?? 0
              row++
            }
          }
        }
        groups.push({
          level: 'flat',
          taskSeed: taskSeeds[g] as number,
          task: members[0]?.task || `${config.env} seed ${taskSeeds[g]}`,
          episodes: members.map((t, m) => toEpisode(t, 'train', m, config.env, advs[m]))
        })
      }
      const isLast = iteration === config.iterations - 1
      // Evaluations measure the policy before this iteration's update (so the first one is the
      // untrained policy), except the last, which measures the final policy after its update.
      const evalNow = config.evalEvery > 0 && (iteration % config.evalEvery === 0 || isLast)
      const loose: EpisodeRecord[] = []
      const evalValues = (): Record<string, number> => {
        sink.progress(iteration, config.iterations, 'eval')
        tracePoint('eval', iteration)
        const tEval = performance.now()
        afterBudget.measured(isLast ? iteration + 1 : iteration)
        return { ...evaluateTraces(loose), 'perf/eval_s': (performance.now() - tEval) / 1000 }
      }
      const evalBefore = evalNow && !isLast ? evalValues() : {}

      sink.progress(iteration, config.iterations, 'update')
      tracePoint('update', iteration)
      const tUpdate = performance.now()
      const update = policyUpdate(
        policy,
        optimizer,
        config,
        {
          features: features.subarray(0, row * encoder.size),
          actions: actions.subarray(0, row),
          advantages: advantages.subarray(0, row),
          oldLogProbs: oldLogProbs.subarray(0, row),
          count: row
        },
        { rng: updateRng, ...(reference ? { reference } : {}) }
      )
      const updateSeconds = (performance.now() - tUpdate) / 1000

      const values: Record<string, number> = {
        'train/success_rate': mean(traces.map((t) => (t.success ? 1 : 0))),
        'train/mean_return': mean(traces.map((t) => t.return)),
        'train/mean_length': mean(traces.map((t) => t.actions.length)),
        'train/loss': update.loss,
        'train/entropy': update.entropy,
        'train/clip_fraction': update.clipFraction,
        'train/kl': update.kl,
        'train/grad_norm': update.gradNorm,
        'train/update_samples': row,
        'train/zero_variance_groups': zeroVarianceGroups / config.groupsPerIteration,
        'perf/env_steps_per_s': count / (tRollout / 1000),
        'perf/update_s': updateSeconds,
        ...evalBefore,
        ...(evalNow && isLast ? evalValues() : {}),
        'perf/iteration_s': (performance.now() - t0) / 1000,
        ...resourceMetrics()
      }
      sink.rollouts({ iteration, groups, loose })
      sink.metrics(iteration, values)
      lastMetrics = values
      const every = config.checkpointEvery
      if (every > 0 && (iteration + 1) % every === 0 && !isLast) await saveState(iteration + 1)
      sink.progress(iteration + 1, config.iterations, 'done')
      await drainSink(sink)
    }
    lastMetrics = await afterBudget.finish(iteration, config.iterations, lastMetrics)
    await saveState(iteration)
  } finally {
    policy.dispose()
    reference?.dispose()
    optimizer.dispose()
  }
  return {
    status: iteration < config.iterations ? 'stopped' : 'completed',
    iterationsDone: iteration,
    lastMetrics
  }
}
