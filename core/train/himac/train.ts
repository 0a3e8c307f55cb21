// HiMAC training (../shared/spec/himac.md §§4–5), read top-down: set up, clone both roles from the
// demonstrators, then per iteration: Phase A (blueprint groups, executor greedy and not trained,
// the planner's plan tokens updated), Phase B (execution groups of z*, the executor's tokens
// updated), evaluation before the updates, report. With one set of weights the two roles are one
// model told apart by their prompts and by which tokens each phase puts in its update.
import { evaluationConfig, learningRateOf, type ExperimentConfig } from '../../api/config'
import type { LmRollout } from '../../agent/lm'
import { envStepCount } from '../lm/episodes'
import type { PlanSample } from '../../agent/himac/plan-rollout'
import { tokenizerFromJson, type Tokenizer } from '../../agent/tokenizer'
import type { EpisodeRecord, GroupRecord } from '../../store/records'
import { startCompute } from '../start-compute'
import { randomSuccessRate } from '../baselines'
import { evalSeeds, type TrainOptions } from '../grpo'
import { lmPolicyUpdate, type LmUpdateStats } from '../lm/ppo'
import { lmAgentOptionsFor } from '../lm/setup'
import type { LmSample } from '../lm/token-batch'
import { drainSink, type TrainingOutcome, type TrainingSink } from '../sink'
import { budgetStopEvaluation } from '../budget-stop'
import { evaluateHimac } from './evaluate'
import { himacOptionsFor } from './options'
import {
  createHimacParts,
  phaseA,
  phaseB,
  readTasks,
  samplePlans,
  type HimacParts,
  type HimacTask,
  type PhaseAResult
} from './phases'
import { himacWarmStart } from './warm-start'
import { pinnedPlan, seedsWithPins } from './pins'
import {
  disposeRoles,
  isCheckpointIteration,
  newRole,
  restoreRole,
  lmRngs,
  saveLmState,
  type LmRole
} from '../lm/trainer-state'
import { resourceMetrics } from '../resources'

const TRAIN_SEED_SPACE = 2 ** 16 - 1

const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0

function updateMetrics(prefix: string, u: LmUpdateStats, seconds: number): Record<string, number> {
  return {
    [`${prefix}/loss`]: u.loss,
    [`${prefix}/kl`]: u.kl,
    [`${prefix}/entropy`]: u.entropy,
    [`${prefix}/clip_fraction`]: u.clipFraction,
    [`${prefix}/grad_norm`]: u.gradNorm,
    [`${prefix}/approx_kl`]: u.approxKl,
    [`${prefix}/first_ratio_deviation`]: u.firstRatioDeviation,
    [`${prefix}/update_tokens`]: u.choiceTokens,
    [`perf/${prefix}_update_s`]: seconds,
    [`perf/${prefix}_update_tokens_per_s`]: seconds > 0 ? u.tokens / seconds : 0
  }
}

function executionMetrics(prefix: string, rollouts: readonly LmRollout[]): Record<string, number> {
  return {
    [`${prefix}/success_rate`]: mean(rollouts.map((r) => (r.success ? 1 : 0))),
    [`${prefix}/mean_return`]: mean(rollouts.map((r) => r.return)),
    [`${prefix}/mean_length`]: mean(rollouts.map(envStepCount)),
    [`${prefix}/sub_done_per_episode`]: mean(
      rollouts.map((r) => r.trajectory.decisions.filter((d) => d.action === '<sub_done>').length)
    ),
    [`${prefix}/fallbacks_per_episode`]: mean(
      rollouts.map((r) => r.steps.filter((s) => s.action !== '' && s.fallback === true).length)
    )
  }
}

export async function trainHimac(
  config: ExperimentConfig,
  sink: TrainingSink,
  options: TrainOptions = {}
): Promise<TrainingOutcome> {
  const resume = options.resume
  if (resume && resume.kind !== 'lm')
    throw new Error('this checkpoint is not a language-model state')
  await startCompute(config, sink)

  // 1. Both roles, cloned from the demonstrators (or loaded; or a checkpoint's state when
  // resuming); the KL anchors are the warm start.
  const himac = himacOptionsFor(config)
  const agentOptions = lmAgentOptionsFor(config)
  const lr = learningRateOf(config)
  let tokenizer: Tokenizer
  let executorRole: LmRole
  let plannerRole: LmRole
  let iteration: number
  if (resume) {
    if ((resume.planner === null) !== himac.sharedWeights)
      throw new Error('the checkpoint and the config disagree on separate planner weights')
    tokenizer = tokenizerFromJson(resume.tokenizer)
    executorRole = await restoreRole(resume.executor, lr)
    plannerRole = resume.planner ? await restoreRole(resume.planner, lr) : executorRole
    iteration = resume.iteration
  } else {
    const start = await himacWarmStart(config, himac, agentOptions, sink, options.signal)
    tokenizer = start.tokenizer
    plannerRole = newRole(start.planner, config, lr)
    executorRole = himac.sharedWeights ? plannerRole : newRole(start.executor, config, lr)
    iteration = start.iterations
  }
  const parts: HimacParts = createHimacParts(
    config,
    tokenizer,
    plannerRole.model,
    executorRole.model
  )
  const firstRl = resume?.firstRl ?? iteration
  const total = firstRl + config.iterations
  const { rng, updateRng } = lmRngs(config, resume)
  const saveState = (done: number): Promise<void> =>
    saveLmState(sink, done, {
      config,
      tokenizer,
      firstRl,
      total,
      executor: executorRole,
      planner: plannerRole,
      rng,
      updateRng
    })
  const seedsForEval = evalSeeds(config)
  const randomBaseline = randomSuccessRate(evaluationConfig(config), seedsForEval)
  let lastMetrics: Record<string, number> = {}
  const evaluate = (loose: EpisodeRecord[]): Record<string, number> => ({
    ...evaluateHimac(parts, seedsForEval, loose),
    'eval/random_success_rate': randomBaseline
  })
  const afterBudget = budgetStopEvaluation(options.signal, config.evalEvery, sink, evaluate)
  const update = (r: LmRole, samples: LmSample[]): [LmUpdateStats, number] => {
    const t = performance.now()
    const u = lmPolicyUpdate({
      model: r.model,
      reference: r.reference,
      optimizer: r.optimizer,
      samples,
      options: config,
      rng: updateRng
    })
    return [u, (performance.now() - t) / 1000]
  }

  try {
    for (; iteration < total; iteration++) {
      if (options.signal?.aborted) break
      const t0 = performance.now()
      const values: Record<string, number> = {}
      const groups: GroupRecord[] = []
      const loose: EpisodeRecord[] = []

      // 2. Tasks of this iteration, and evaluation before any update (the first measures the warm
      // start); the last iteration evaluates after its updates instead.
      const pins = sink.pins ? await sink.pins(iteration) : []
      const { seeds, pinOf } = seedsWithPins(
        Array.from({ length: config.groupsPerIteration }, () => rng.int(TRAIN_SEED_SPACE)),
        pins
      )
      const tasks = readTasks(parts, seeds)
      const isLast = iteration === total - 1
      const evalNow =
        config.evalEvery > 0 && ((iteration - firstRl) % config.evalEvery === 0 || isLast)
      const runEval = (): void => {
        sink.progress(iteration, total, 'eval')
        const t = performance.now()
        afterBudget.measured(isLast ? iteration + 1 : iteration)
        Object.assign(values, evaluate(loose), { 'perf/eval_s': (performance.now() - t) / 1000 })
      }
      if (evalNow && !isLast) runEval()

      // 3. Phase A: blueprint groups, each blueprint executed greedily; the planner's update.
      let lastA: PhaseAResult | null = null
      const pendingA: LmSample[] = []
      const pendingB: LmSample[] = []
      for (let a = 0; a < himac.phaseA; a++) {
        sink.progress(iteration, total, 'phase A')
        const t = performance.now()
        const A = phaseA(parts, tasks, rng)
        const rollout = (performance.now() - t) / 1000
        const plans = A.plans.flat()
        Object.assign(values, executionMetrics('macro', A.executions.flat()), {
          'macro/subgoals_per_plan': mean(
            plans.map((p) => parts.grammar.subgoals(p.tokens).length)
          ),
          'macro/plan_tokens': mean(plans.map((p) => p.tokens.length)),
          'macro/distinct_blueprints': mean(A.distinct),
          'macro/best_return': mean(A.returns.map((rs, i) => rs[A.chosen[i] as number] as number)),
          'macro/zero_variance_groups': A.zeroVariance / tasks.length,
          'macro/update_samples': A.samples.length,
          'perf/macro_rollout_s': rollout
        })
        groups.push(...A.groups)
        lastA = A
        if (himac.schedule === 'alternate') {
          const [u, s] = update(plannerRole, A.samples)
          Object.assign(values, updateMetrics('macro', u, s))
        } else pendingA.push(...A.samples)
      }

      // 4. Phase B: N sampled executions of z* per task; the executor's update.
      for (let b = 0; b < himac.phaseB; b++) {
        sink.progress(iteration, total, 'phase B')
        const t = performance.now()
        // Without a Phase A this iteration, each task's greedy blueprint is executed.
        const chosen: PlanSample[] = lastA
          ? lastA.plans.map((g, i) => g[lastA!.chosen[i] as number] as PlanSample)
          : samplePlans(parts, tasks, 1, 0, rng).map((g) => g[0] as PlanSample)
        // A pinned task executes its pinned blueprint instead of z*.
        const blueprints = chosen.map((plan, i) => {
          const pin = pinOf.get((tasks[i] as HimacTask).seed)
          return pin ? pinnedPlan(parts.tokenizer, pin) : plan
        })
        const parents = tasks.map((_, i) =>
          lastA ? groups.indexOf(lastA.groups[i] as GroupRecord) : null
        )
        const B = phaseB(parts, tasks, blueprints, parents, rng)
        B.groups.forEach((g, i) => {
          const pin = pinOf.get((tasks[i] as HimacTask).seed)
          if (pin) g.pinId = pin.id
        })
        const rollout = (performance.now() - t) / 1000
        const all = B.rollouts.flat()
        Object.assign(values, executionMetrics('micro', all), {
          'micro/zero_variance_groups': B.zeroVariance / tasks.length,
          'micro/update_samples': B.samples.length,
          'perf/micro_rollout_s': rollout,
          'perf/micro_env_steps_per_s': all.reduce((s, r) => s + r.stats.envSteps, 0) / rollout
        })
        groups.push(...B.groups)
        if (himac.schedule === 'alternate') {
          const [u, s] = update(executorRole, B.samples)
          Object.assign(values, updateMetrics('micro', u, s))
        } else pendingB.push(...B.samples)
      }
      // The simultaneous ablation: both levels' tokens in one update after both phases.
      if (himac.schedule === 'simultaneous') {
        if (himac.sharedWeights) {
          const [u, s] = update(plannerRole, [...pendingA, ...pendingB])
          Object.assign(values, updateMetrics('joint', u, s))
        } else {
          Object.assign(values, updateMetrics('macro', ...update(plannerRole, pendingA)))
          Object.assign(values, updateMetrics('micro', ...update(executorRole, pendingB)))
        }
      }
      if (evalNow && isLast) runEval()

      // 5. Report: the flat names (train/*) follow Phase B, the executions users compare with flat
      // runs; Phase A's are under macro/*.
      const trainSource = values['micro/success_rate'] !== undefined ? 'micro' : 'macro'
      for (const k of ['success_rate', 'mean_return', 'mean_length'])
        values[`train/${k}`] = values[`${trainSource}/${k}`] ?? 0
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
    disposeRoles(plannerRole, executorRole)
  }
  return {
    status: iteration < total ? 'stopped' : 'completed',
    iterationsDone: iteration,
    lastMetrics
  }
}
