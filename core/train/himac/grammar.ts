// The blueprint grammar as the trainer uses it (core/agent/himac): a cursor per task, parsing, and
// the canonical plan of a demonstrator episode.
import {
  canonicalPlan,
  createPlanCursor,
  parsePlanTokens,
  type PlanSegment
} from '../../agent/himac'
import type { DemoEpisode } from '../../agent/demonstrators'
import type { DecodingCursor } from '../../agent/lm/constraint'
import type { Tokenizer } from '../../agent/tokenizer'
import type { EnvKind } from '../../envs/env'

export type PlanGrammar = {
  cursor(task: string, observation: string): DecodingCursor
  subgoals(tokens: readonly number[]): string[]
  canonical(demo: DemoEpisode): { subgoals: string[]; segments: PlanSegment[] } | null
}

export function planGrammar(tokenizer: Tokenizer, env: EnvKind, maxSubgoals: number): PlanGrammar {
  return {
    cursor: (task, observation) =>
      createPlanCursor(tokenizer, { env, task, observation, maxSubgoals }),
    subgoals: (tokens) => parsePlanTokens(tokenizer, tokens).subgoals,
    canonical: (demo) => {
      try {
        const plan = canonicalPlan(env, demo)
        return plan.subgoals.length <= maxSubgoals ? plan : null
      } catch {
        return null
      }
    }
  }
}
