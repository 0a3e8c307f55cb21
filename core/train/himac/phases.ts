// HiMAC's two phases for one batch of tasks. Phase A (macro exploration): G sampled blueprints per
// task, each executed greedily by the executor (identical blueprints of a task share one
// execution: greedy decoding makes them equal), group-relative advantages on the plan tokens,
// z* = the highest return (ties: the highest plan log-prob). Phase B (micro adaptation): N sampled
// executions of z* (or of a random member, the ablation), group-relative advantages broadcast to
// every executor decision, `<sub_done>` included (or GiGPO's per-step ones: micro-advantages.ts).
import type { ExperimentConfig } from '../../api/config'
import { rolloutLm, type LmAgentOptions, type LmRollout } from '../../agent/lm'
import type { ExecutorPlan } from '../../agent/himac/executor-plan'
import { rolloutPlans, type PlanSample } from '../../agent/himac/plan-rollout'
import type { TransformerLM } from '../../agent/models/transformer'
import type { Tokenizer } from '../../agent/tokenizer'
import type { Env } from '../../envs/env'
import { createEnvForExperiment } from '../../envs/registry'
import type { Rng } from '../../rng'
import type { EpisodeRecord, GroupRecord } from '../../store/records'
import { groupAdvantages } from '../advantages'
import { toEpisode } from '../lm/episodes'
import type { LmSample } from '../lm/token-batch'
import { lmAgentOptionsFor } from '../lm/setup'
import { planGrammar, type PlanGrammar } from './grammar'
import { microAdvantages } from './micro-advantages'
import { himacOptionsFor, type HimacOptions } from './options'

export type HimacTask = { seed: number; task: string; observation: string }

export type HimacParts = {
  config: ExperimentConfig
  himac: HimacOptions
  tokenizer: Tokenizer
  planner: TransformerLM
  executor: TransformerLM
  agentOptions: LmAgentOptions
  grammar: PlanGrammar
  /** Envs reused across rollouts (grown on demand). */
  envs: Env[]
}

/** The parts of a HiMAC policy for `config` (planner = executor with shared weights). */
export function createHimacParts(
  config: ExperimentConfig,
  tokenizer: Tokenizer,
  planner: TransformerLM,
  executor: TransformerLM = planner
): HimacParts {
  const himac = himacOptionsFor(config)
  return {
    config,
    himac,
    tokenizer,
    planner,
    executor,
    agentOptions: lmAgentOptionsFor(config),
    grammar: planGrammar(tokenizer, config.env, himac.maxSubgoals, himac.webshopSubgoals),
    envs: []
  }
}

export function envPool(parts: HimacParts, n: number): Env[] {
  while (parts.envs.length < n) parts.envs.push(createEnvForExperiment(parts.config))
  return parts.envs.slice(0, n)
}

/** Each task's text and first observation (what the planner reads). */
export function readTasks(parts: HimacParts, seeds: readonly number[]): HimacTask[] {
  const env = envPool(parts, 1)[0] as Env
  return seeds.map((seed) => {
    const r = env.reset(seed)
    return { seed, task: r.task, observation: r.observation }
  })
}

export function executorPlan(h: HimacOptions, tokens: readonly number[]): ExecutorPlan {
  return { tokens, budget: h.subgoalBudget, carry: h.carrySteps, subDone: h.subDone }
}

/** Blueprints for each task (`count` each), sampled (or greedy at temperature 0). */
export function samplePlans(
  parts: HimacParts,
  tasks: readonly HimacTask[],
  count: number,
  temperature: number,
  rng: Rng,
  stats?: { forwardPasses: number; tokensFed: number; tokensGenerated: number }
): PlanSample[][] {
  const requests = tasks.flatMap((t) =>
    Array.from({ length: count }, () => ({
      task: t.task,
      observation: t.observation,
      cursor: parts.grammar.cursor(t.task, t.observation)
    }))
  )
  const plans = rolloutPlans({
    model: parts.planner,
    tokenizer: parts.tokenizer,
    env: parts.config.env,
    requests,
    temperature,
    rng,
    maxPromptTokens: parts.agentOptions.maxObsTokens,
    sokobanView: parts.agentOptions.sokobanView,
    ...(stats ? { stats } : {})
  })
  return tasks.map((_, i) => plans.slice(i * count, (i + 1) * count))
}

/** Executes one blueprint per (task, plan) pair, all in lockstep. */
export function executePlans(
  parts: HimacParts,
  jobs: readonly { seed: number; plan: PlanSample }[],
  temperature: number,
  rng: Rng,
  candidates: boolean
): LmRollout[] {
  if (jobs.length === 0) return []
  return rolloutLm({
    model: parts.executor,
    tokenizer: parts.tokenizer,
    envs: envPool(parts, jobs.length),
    seeds: jobs.map((j) => j.seed),
    temperature,
    rng,
    options: parts.agentOptions,
    candidates,
    plans: jobs.map((j) => executorPlan(parts.himac, j.plan.tokens))
  })
}

/**
 * An execution as a stored episode, with its blueprint (and the plan's log-prob / advantage);
 * `advantages`: one per env step.
 */
export function himacEpisode(
  parts: HimacParts,
  r: LmRollout,
  plan: PlanSample,
  phase: 'train' | 'eval',
  member: number,
  extra: { advantages?: number[]; planAdvantage?: number } = {}
): EpisodeRecord {
  const ep = toEpisode(r, phase, member, parts.config.env, extra.advantages)
  return {
    ...ep,
    blueprint: parts.grammar.subgoals(plan.tokens),
    planLogProb: plan.logProb,
    ...(extra.planAdvantage !== undefined ? { planAdvantage: extra.planAdvantage } : {})
  }
}

export type PhaseAResult = {
  plans: PlanSample[][]
  /** Each member's greedy execution (shared by identical blueprints of a task). */
  executions: LmRollout[][]
  returns: number[][]
  advantages: number[][]
  /** z*: the member Phase B executes, per task. */
  chosen: number[]
  samples: LmSample[]
  groups: GroupRecord[]
  distinct: number[]
  zeroVariance: number
}

/** Index of the highest return; ties go to the highest tie score (a plan log-prob), then the first. */
export function bestPlan(returns: readonly number[], tieScores: readonly number[]): number {
  let best = 0
  for (let i = 1; i < returns.length; i++) {
    const r = returns[i] as number
    const b = returns[best] as number
    if (r > b || (r === b && (tieScores[i] as number) > (tieScores[best] as number))) best = i
  }
  return best
}

/** A blueprint's score among tied returns: its log-prob, or its log-prob per planner decision. */
export function zStarTieScore(plan: PlanSample, rule: HimacOptions['zStarTies']): number {
  if (rule === 'logprob') return plan.logProb
  return plan.logProb / Math.max(1, plan.trajectory.decisions.length)
}

export function phaseA(parts: HimacParts, tasks: readonly HimacTask[], rng: Rng): PhaseAResult {
  const { config, himac } = parts
  const G = config.groupSize
  const plans = samplePlans(parts, tasks, G, himac.planTemperature, rng)
  // One greedy execution per distinct blueprint of a task.
  const jobs: { seed: number; plan: PlanSample }[] = []
  const jobOf = plans.map((group, t) => {
    const seen = new Map<string, number>()
    return group.map((p) => {
      const key = p.tokens.join(',')
      let j = seen.get(key)
      if (j === undefined) {
        j = jobs.length
        seen.set(key, j)
        jobs.push({ seed: (tasks[t] as HimacTask).seed, plan: p })
      }
      return j
    })
  })
  const done = executePlans(parts, jobs, 0, rng, config.policy.lm.candidates === 'all')
  const executions = jobOf.map((js) => js.map((j) => done[j] as LmRollout))
  const returns = executions.map((g) => g.map((r) => r.return))
  const advantages = returns.map((rs) => groupAdvantages(rs, himac.macroNorm))
  const chosen = plans.map((g, t) =>
    himac.phaseBBlueprint === 'random'
      ? rng.int(g.length)
      : bestPlan(
          returns[t] as number[],
          g.map((p) => zStarTieScore(p, himac.zStarTies))
        )
  )
  const samples: LmSample[] = []
  let zeroVariance = 0
  const groups: GroupRecord[] = plans.map((group, t) => {
    const rs = returns[t] as number[]
    const flat = rs.every((r) => r === rs[0])
    if (flat) zeroVariance++
    const advs = advantages[t] as number[]
    if (!(flat && config.zeroVarianceGroups === 'drop'))
      group.forEach((p, m) =>
        samples.push({ trajectory: p.trajectory, decision: 0, advantage: advs[m] as number })
      )
    const c = chosen[t] as number
    return {
      level: 'macro',
      taskSeed: (tasks[t] as HimacTask).seed,
      task: (tasks[t] as HimacTask).task || `${config.env} seed ${(tasks[t] as HimacTask).seed}`,
      chosenMember: c,
      chosenBlueprint: parts.grammar.subgoals((group[c] as PlanSample).tokens),
      episodes: group.map((p, m) =>
        himacEpisode(parts, executions[t]?.[m] as LmRollout, p, 'train', m, {
          planAdvantage: advs[m] as number
        })
      )
    }
  })
  return {
    plans,
    executions,
    returns,
    advantages,
    chosen,
    samples,
    groups,
    distinct: jobOf.map((js) => new Set(js).size),
    zeroVariance
  }
}

export type PhaseBResult = {
  rollouts: LmRollout[][]
  samples: LmSample[]
  groups: GroupRecord[]
  zeroVariance: number
}

/** N sampled executions of each task's blueprint; `parents`: the Phase-A group index per task. */
export function phaseB(
  parts: HimacParts,
  tasks: readonly HimacTask[],
  blueprints: readonly PlanSample[],
  parents: readonly (number | null)[],
  rng: Rng
): PhaseBResult {
  const { config, himac } = parts
  const N = config.groupSize
  const jobs = tasks.flatMap((t, i) =>
    Array.from({ length: N }, () => ({ seed: t.seed, plan: blueprints[i] as PlanSample }))
  )
  const all = executePlans(
    parts,
    jobs,
    config.temperature,
    rng,
    config.policy.lm.candidates === 'all'
  )
  const rollouts = tasks.map((_, i) => all.slice(i * N, (i + 1) * N))
  const samples: LmSample[] = []
  let zeroVariance = 0
  const groups: GroupRecord[] = rollouts.map((members, t) => {
    const {
      perStep,
      perDecision,
      zeroVariance: flat
    } = microAdvantages(
      himac.microAdvantage,
      himac.microNorm,
      members.map((r) => ({ ...r, decisions: r.trajectory.decisions }))
    )
    if (flat) zeroVariance++
    if (!(flat && config.zeroVarianceGroups === 'drop'))
      members.forEach((r, m) =>
        r.trajectory.decisions.forEach((_, d) =>
          samples.push({
            trajectory: r.trajectory,
            decision: d,
            advantage: (perDecision[m] as number[])[d] as number
          })
        )
      )
    const plan = blueprints[t] as PlanSample
    const parent = parents[t]
    return {
      level: 'micro',
      taskSeed: (tasks[t] as HimacTask).seed,
      task: (tasks[t] as HimacTask).task || `${config.env} seed ${(tasks[t] as HimacTask).seed}`,
      chosenBlueprint: parts.grammar.subgoals(plan.tokens),
      ...(parent !== null && parent !== undefined ? { parent } : {}),
      episodes: members.map((r, m) =>
        himacEpisode(parts, r, plan, 'train', m, { advantages: perStep[m] as number[] })
      )
    }
  })
  return { rollouts, samples, groups, zeroVariance }
}
