// HiMAC's options with the per-env defaults filled in (config.himac's nulls).
import type { ExperimentConfig } from '../../api/config'
import type { EnvKind } from '../../envs/env'
import type { AdvantageNorm } from '../advantages'
import type { MicroAdvantage } from './micro-advantages'
import { MAX_PLAN_OPTION_VALUES, type WebshopSubgoalWords } from '../../agent/himac/phrases'

/**
 * Most subgoals per blueprint: at least the longest canonical demonstrator plan (max over 200
 * demos: ALFWorld 8, the two-object tasks; WebShop 4; Sokoban 6).
 */
export const DEFAULT_MAX_SUBGOALS: Record<EnvKind, number> = { alfworld: 8, webshop: 4, sokoban: 8 }

/** WebShop with `webshopSubgoals: 'values'`: search, an item, one subgoal per asked value, buy. */
export const WEBSHOP_VALUES_MAX_SUBGOALS = 3 + MAX_PLAN_OPTION_VALUES

/**
 * Env steps per subgoal before a fallback. The spec proposes 10 (ALFWorld) and 5 (WebShop, Sokoban);
 * ours sit above the canonical demonstrator segments so that nearly every demonstration can be
 * cloned. Segment lengths over 200 successful demos per env (p50 / p90 / p99 / max): ALFWorld
 * 1 / 5 / 21 / 34 (a search through a large room), WebShop 1 / 2 / 3 / 9, Sokoban 2 / 2 / 3 / 8.
 */
export const DEFAULT_SUBGOAL_BUDGET: Record<EnvKind, number> = {
  alfworld: 25,
  webshop: 10,
  sokoban: 10
}

/** Extra context the executor's prompt needs over a flat agent's: the blueprint. */
export const EXECUTOR_CONTEXT_EXTRA = 128

export type HimacOptions = {
  maxSubgoals: number
  subgoalBudget: number
  carrySteps: number
  subDone: boolean
  schedule: 'alternate' | 'simultaneous'
  phaseBBlueprint: 'best' | 'random'
  zStarTies: 'logprob' | 'mean-logprob'
  phaseA: number
  phaseB: number
  macroNorm: AdvantageNorm
  microNorm: AdvantageNorm
  microAdvantage: MicroAdvantage
  sharedWeights: boolean
  planTemperature: number
  webshopSubgoals: WebshopSubgoalWords
}

export function himacOptionsFor(config: ExperimentConfig): HimacOptions {
  const h = config.himac
  return {
    ...h,
    maxSubgoals:
      h.maxSubgoals ??
      (config.env === 'webshop' && h.webshopSubgoals === 'values'
        ? WEBSHOP_VALUES_MAX_SUBGOALS
        : DEFAULT_MAX_SUBGOALS[config.env]),
    subgoalBudget: h.subgoalBudget ?? DEFAULT_SUBGOAL_BUDGET[config.env],
    macroNorm: h.macroNorm ?? config.advantageNorm,
    microNorm: h.microNorm ?? config.advantageNorm,
    planTemperature: h.planTemperature ?? config.temperature
  }
}
