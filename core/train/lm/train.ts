// Flat RL of the language-model agent (GRPO, GiGPO or RLOO), after a behaviour-cloning warm start:
// read top-down like CleanRL's ppo.py — set up, clone, then per iteration: roll out groups,
// compute advantages, evaluate (before the update), update, report.
import { evaluationConfig, learningRateOf, type ExperimentConfig } from '../../api/config'
import { createTransformerLM, type TransformerLM } from '../../agent/models/transformer'
import { rolloutLm } from '../../agent/lm'
import { tokenizerFromJson, type Tokenizer } from '../../agent/tokenizer'
import { createEnvForExperiment } from '../../envs/registry'
import type { EpisodeRecord, GroupRecord } from '../../store/records'
import { envStepCount, toEpisode } from './episodes'
import { startCompute } from '../start-compute'
import { evalSeeds, type TrainOptions } from '../grpo'
import { randomSuccessRate } from '../baselines'
import { drainSink, type TrainingOutcome, type TrainingSink } from '../sink'
import { lmPolicyUpdate } from './ppo'
import type { LmSample } from './token-batch'
import { stepAdvantages } from '../step-advantages'
import { lmAgentOptionsFor, lmModelConfigFor, lmTokenizerFor } from './setup'
import { warmStart } from './warm-start'
import {
  disposeRoles,
  isCheckpointIteration,
  newRole,
  restoreRole,
  lmRngs,
  saveLmState,
  type LmRole
} from './trainer-state'
import { evaluateLm, type LmEvalMetrics } from './evaluate'
import { resourceMetrics } from '../resources'
import { budgetStopEvaluation } from '../budget-stop'

/** verl-agent draws train seeds below 2^16 and validation seeds above (core/train/grpo.ts). */
const TRAIN_SEED_SPACE = 2 ** 16 - 1

const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0

export async function trainLm(
  config: ExperimentConfig,
  sink: TrainingSink,
  options: TrainOptions = {}
): Promise<TrainingOutcome> {
  const resume = options.resume
  if (resume && resume.kind !== 'lm')
    throw new Error('this checkpoint is not a language-model state')
  await startCompute(config, sink)

  // 1. Tokenizer, model and the warm start (cloned here, or loaded from a saved one; or the state
  // of a checkpoint when resuming). The KL anchor is the warm start, frozen.
  const agentOptions = lmAgentOptionsFor(config)
  const lr = learningRateOf(config)
  let tokenizer: Tokenizer
  let policy: LmRole
  let iteration: number
  if (resume) {
    tokenizer = tokenizerFromJson(resume.tokenizer)
    policy = await restoreRole(resume.executor, lr)
    iteration = resume.iteration
  } else {
    const start = await warmStart(config, agentOptions, sink, options.signal)
    tokenizer = start?.tokenizer ?? lmTokenizerFor(config)
    const model: TransformerLM =
      start?.model ?? createTransformerLM(lmModelConfigFor(config, tokenizer), config.seed)
    policy = newRole(model, config, lr)
    iteration = start?.iterations ?? 0
  }
  const { model, reference, optimizer } = policy
  const firstRl = resume?.firstRl ?? iteration
  const { rng, updateRng } = lmRngs(config, resume)
  const saveState = (done: number): Promise<void> =>
    saveLmState(sink, done, {
      config,
      tokenizer,
      firstRl,
      total,
      executor: policy,
      planner: null,
      rng,
      updateRng
    })
  const n = config.groupsPerIteration * config.groupSize
  const envs = Array.from({ length: n }, () => createEnvForExperiment(config))
  const seedsForEval = evalSeeds(config)
  const randomBaseline = randomSuccessRate(evaluationConfig(config), seedsForEval)
  const total = firstRl + config.iterations
  let lastMetrics: Record<string, number> = {}
  const evaluate = (loose: EpisodeRecord[]): Record<string, number> => {
    const e: LmEvalMetrics = evaluateLm({
      config,
      model,
      tokenizer,
      seeds: seedsForEval,
      agentOptions,
      loose
    })
    return { ...e.values, 'eval/random_success_rate': randomBaseline }
  }
  const afterBudget = budgetStopEvaluation(options.signal, config.evalEvery, sink, evaluate)

  try {
    for (; iteration < total; iteration++) {
      if (options.signal?.aborted) break
      const t0 = performance.now()

      // 2. Rollouts: groups of N episodes on the same task seed, all envs in lockstep.
      sink.progress(iteration, total, 'rollout')
      const taskSeeds = Array.from({ length: config.groupsPerIteration }, () =>
        rng.int(TRAIN_SEED_SPACE)
      )
      const seeds = taskSeeds.flatMap((s) => Array<number>(config.groupSize).fill(s))
      const rollouts = rolloutLm({
        model,
        tokenizer,
        envs,
        seeds,
        temperature: config.temperature,
        rng,
        options: agentOptions,
        candidates: config.policy.lm.candidates === 'all'
      })
      const rolloutSeconds = (performance.now() - t0) / 1000

      // 3. Advantages per step (GRPO / RLOO broadcast the episode's; GiGPO adds anchor-state terms).
      const groups: GroupRecord[] = []
      const samples: LmSample[] = []
      let zeroVariance = 0
      for (let g = 0; g < config.groupsPerIteration; g++) {
        const members = rollouts.slice(g * config.groupSize, (g + 1) * config.groupSize)
        const { perStep, zeroVariance: flat } = stepAdvantages(config, members)
        if (flat) zeroVariance++
        const keep = !(flat && config.zeroVarianceGroups === 'drop')
        members.forEach((r, m) => {
          const advs = perStep[m] as number[]
          if (keep)
            r.trajectory.decisions.forEach((_, d) =>
              samples.push({ trajectory: r.trajectory, decision: d, advantage: advs[d] ?? 0 })
            )
        })
        groups.push({
          level: 'flat',
          taskSeed: taskSeeds[g] as number,
          task: members[0]?.task || `${config.env} seed ${taskSeeds[g]}`,
          episodes: members.map((r, m) => toEpisode(r, 'train', m, config.env, perStep[m]))
        })
      }

      // 4. Evaluation before the update (so the first one measures the warm start), except the
      // last, which measures the final policy.
      const isLast = iteration === total - 1
      const evalNow =
        config.evalEvery > 0 && ((iteration - firstRl) % config.evalEvery === 0 || isLast)
      const loose: EpisodeRecord[] = []
      const runEval = (): Record<string, number> => {
        sink.progress(iteration, total, 'eval')
        const tEval = performance.now()
        afterBudget.measured(isLast ? iteration + 1 : iteration)
        return { ...evaluate(loose), 'perf/eval_s': (performance.now() - tEval) / 1000 }
      }
      const evalBefore = evalNow && !isLast ? runEval() : {}

      // 5. The PPO update (token-level, KL to the warm start).
      sink.progress(iteration, total, 'update')
      const tUpdate = performance.now()
      const update = lmPolicyUpdate({
        model,
        reference,
        optimizer,
        samples,
        options: config,
        rng: updateRng
      })
      const updateSeconds = (performance.now() - tUpdate) / 1000

      // 6. Report.
      const steps = rollouts.reduce((s, r) => s + r.trajectory.decisions.length, 0)
      const values: Record<string, number> = {
        'train/success_rate': mean(rollouts.map((r) => (r.success ? 1 : 0))),
        'train/mean_return': mean(rollouts.map((r) => r.return)),
        'train/mean_length': mean(rollouts.map(envStepCount)),
        'train/loss': update.loss,
        'train/entropy': update.entropy,
        'train/clip_fraction': update.clipFraction,
        'train/kl': update.kl,
        'train/grad_norm': update.gradNorm,
        'train/approx_kl': update.approxKl,
        'train/first_ratio_deviation': update.firstRatioDeviation,
        'train/update_samples': samples.length,
        'train/zero_variance_groups': zeroVariance / config.groupsPerIteration,
        'perf/env_steps_per_s': steps / rolloutSeconds,
        'perf/rollout_tokens_per_s':
          [...new Set(rollouts.map((r) => r.stats.batch))].reduce((s, b) => s + b.tokensFed, 0) /
          rolloutSeconds,
        'perf/update_tokens_per_s': update.tokens / updateSeconds,
        'perf/rollout_s': rolloutSeconds,
        'perf/update_s': updateSeconds,
        ...evalBefore,
        ...(evalNow && isLast ? runEval() : {})
      }
      const tStore = performance.now()
      sink.rollouts({ iteration, groups, loose })
      values['perf/store_s'] = (performance.now() - tStore) / 1000
      values['perf/iteration_s'] = (performance.now() - t0) / 1000
      Object.assign(values, resourceMetrics())
      sink.metrics(iteration, values)
      lastMetrics = values
      if (isCheckpointIteration(config, iteration - firstRl) && !isLast)
        await saveState(iteration + 1)
      sink.progress(iteration + 1, total, 'done')
      await drainSink(sink)
    }
    lastMetrics = await afterBudget.finish(iteration, total, lastMetrics)
    await saveState(iteration)
  } finally {
    disposeRoles(policy)
  }
  return {
    status: iteration < total ? 'stopped' : 'completed',
    iterationsDone: iteration,
    lastMetrics
  }
}
