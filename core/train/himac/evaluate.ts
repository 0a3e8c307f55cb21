// Held-out evaluation of planner + executor: the planner writes its greedy blueprint for each task,
// the executor runs it greedily and at the evaluation temperature (as flat LM runs are evaluated);
// the tempered episodes are stored, success is reported per task type.
import { evaluationConfig } from '../../api/config'
import type { LmRollout } from '../../agent/lm'
import { envStepCount } from '../lm/episodes'
import type { PlanSample } from '../../agent/himac/plan-rollout'
import { taskMetricKey } from '../../envs/registry'
import { createRng } from '../../rng'
import type { EpisodeRecord } from '../../store/records'
import { executePlans, himacEpisode, readTasks, samplePlans, type HimacParts } from './phases'

const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0

function summarise(
  prefix: string,
  parts: HimacParts,
  rollouts: readonly LmRollout[]
): Record<string, number> {
  const values: Record<string, number> = {
    [`${prefix}success_rate`]: mean(rollouts.map((r) => (r.success ? 1 : 0))),
    [`${prefix}mean_return`]: mean(rollouts.map((r) => r.return)),
    [`${prefix}mean_length`]: mean(rollouts.map(envStepCount))
  }
  const byType = new Map<string, number[]>()
  for (const r of rollouts) {
    if (!r.taskType) continue
    const wins = byType.get(r.taskType) ?? []
    wins.push(r.success ? 1 : 0)
    byType.set(r.taskType, wins)
  }
  for (const [type, wins] of byType)
    values[`${prefix}success_rate/${taskMetricKey(parts.config.env, type)}`] = mean(wins)
  return values
}

/** Evaluates on `seeds` in batches of `batch` tasks; pushes the tempered episodes to `loose`. */
export function evaluateHimac(
  parts: HimacParts,
  seeds: readonly number[],
  loose: EpisodeRecord[],
  batch = 64
): Record<string, number> {
  const { config } = parts
  const evalParts: HimacParts = { ...parts, config: evaluationConfig(config), envs: [] }
  const candidates = config.policy.lm.candidates !== 'off'
  const planRng = createRng(config.seed ^ 0xe7a2)
  const greedyRng = createRng(config.seed ^ 0xe7a0)
  const temperedRng = createRng(config.seed ^ 0xe7a1)
  const greedy: LmRollout[] = []
  const tempered: LmRollout[] = []
  const plans: PlanSample[] = []
  for (let i = 0; i < seeds.length; i += batch) {
    const tasks = readTasks(evalParts, seeds.slice(i, i + batch))
    const planned = samplePlans(evalParts, tasks, 1, 0, planRng).map((g) => g[0] as PlanSample)
    plans.push(...planned)
    const jobs = tasks.map((t, k) => ({ seed: t.seed, plan: planned[k] as PlanSample }))
    const g = executePlans(evalParts, jobs, 0, greedyRng, false)
    greedy.push(...g)
    tempered.push(
      ...(config.evalTemperature === 0
        ? g
        : executePlans(evalParts, jobs, config.evalTemperature, temperedRng, candidates))
    )
  }
  tempered.forEach((r, i) =>
    loose.push(himacEpisode(evalParts, r, plans[i] as PlanSample, 'eval', i))
  )
  return {
    ...summarise('eval/', parts, tempered),
    ...summarise('eval/greedy_', parts, greedy),
    'eval/subgoals_per_plan': mean(plans.map((p) => parts.grammar.subgoals(p.tokens).length)),
    'eval/episodes': tempered.length
  }
}
