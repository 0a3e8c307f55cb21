// How well the plan grammar covers the demonstrators: per env, the share of demo episodes whose
// canonical plan the task's grammar accepts, plan sizes and phrases per task.
import type { EnvKind } from '../../envs/env'
import { createAlfworldEnv } from '../../envs/alfworld'
import { createSokobanEnv } from '../../envs/sokoban'
import { createWebshopEnv } from '../../envs/webshop'
import {
  createAlfworldDemonstrator,
  createSokobanDemonstrator,
  createWebshopDemonstrator,
  runDemonstrator,
  type DemoEpisode
} from '../demonstrators'
import type { Tokenizer } from '../tokenizer'
import { canonicalPlan, planSpecOf } from './canonical'
import { PlanGrammar } from './grammar'

/** Demo episode of an env with default options (the demonstrator of core/train/baselines.ts). */
export function demoEpisodeOf(env: EnvKind, seed: number): DemoEpisode {
  switch (env) {
    case 'alfworld':
      return runDemonstrator(createAlfworldEnv(), createAlfworldDemonstrator(), seed)
    case 'webshop':
      return runDemonstrator(createWebshopEnv(), createWebshopDemonstrator(), seed)
    case 'sokoban':
      return runDemonstrator(createSokobanEnv(), createSokobanDemonstrator(), seed)
  }
}

export type PlanReportRow = {
  env: EnvKind
  episodes: number
  /** Demos that succeeded. */
  successes: number
  /** Demos whose canonical plan the task's grammar accepts (planTokens does not throw). */
  accepted: number
  /** Rejected demos: seed and why. */
  rejected: { seed: number; reason: string }[]
  meanSubgoals: number
  maxSubgoals: number
  meanPlanTokens: number
  maxPlanTokens: number
  /** The grammar's bound (maxPlanTokens) at K, mean and max over tasks. */
  meanTokenBound: number
  maxTokenBound: number
  /** Distinct phrases per task (for WebShop a count of word sequences). */
  meanPhrases: number
  maxPhrases: number
}

const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length

export function planReport(
  tokenizer: Tokenizer,
  env: EnvKind,
  seeds: readonly number[],
  maxSubgoals: number
): PlanReportRow {
  const subgoals: number[] = []
  const tokens: number[] = []
  const bounds: number[] = []
  const phrases: number[] = []
  const rejected: { seed: number; reason: string }[] = []
  let successes = 0
  for (const seed of seeds) {
    const demo = demoEpisodeOf(env, seed)
    if (demo.success) successes++
    const grammar = new PlanGrammar(tokenizer, planSpecOf(demo, maxSubgoals))
    bounds.push(grammar.maxTokens)
    phrases.push(grammar.phraseCount())
    try {
      const plan = canonicalPlan(tokenizer, demo)
      tokens.push(grammar.tokensOf(plan).length)
      subgoals.push(plan.subgoals.length)
    } catch (e) {
      rejected.push({ seed, reason: e instanceof Error ? e.message : String(e) })
    }
  }
  return {
    env,
    episodes: seeds.length,
    successes,
    accepted: seeds.length - rejected.length,
    rejected,
    meanSubgoals: mean(subgoals),
    maxSubgoals: Math.max(0, ...subgoals),
    meanPlanTokens: mean(tokens),
    maxPlanTokens: Math.max(0, ...tokens),
    meanTokenBound: mean(bounds),
    maxTokenBound: Math.max(0, ...bounds),
    meanPhrases: mean(phrases),
    maxPhrases: Math.max(0, ...phrases)
  }
}

export function formatPlanReport(rows: readonly PlanReportRow[], maxSubgoals: number): string {
  const f = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4))
  const lines = [
    `K = ${maxSubgoals}`,
    'env       episodes  success  accepted  subgoals mean/max  plan tokens mean/max  bound mean/max  phrases mean/max'
  ]
  for (const r of rows) {
    lines.push(
      [
        r.env.padEnd(9),
        String(r.episodes).padStart(8),
        String(r.successes).padStart(8),
        `${((100 * r.accepted) / r.episodes).toFixed(1)}%`.padStart(9),
        `${f(r.meanSubgoals)}/${r.maxSubgoals}`.padStart(19),
        `${f(r.meanPlanTokens)}/${r.maxPlanTokens}`.padStart(21),
        `${f(r.meanTokenBound)}/${r.maxTokenBound}`.padStart(15),
        `${f(r.meanPhrases)}/${f(r.maxPhrases)}`.padStart(17)
      ].join(' ')
    )
    for (const x of r.rejected.slice(0, 5)) lines.push(`  rejected seed ${x.seed}: ${x.reason}`)
  }
  return lines.join('\n')
}
