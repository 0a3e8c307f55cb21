// The blueprint grammar as the trainer uses it (core/agent/himac): a cursor per task, a plan's
// subgoal texts, and the canonical plan of a demonstrator episode.
import { canonicalPlan, createPlanCursor, type PlanSegment } from '../../agent/himac'
import { subgoalPhrases } from '../../agent/himac/executor-plan'
import type { DemoEpisode } from '../../agent/demonstrators'
import type { DecodingCursor } from '../../agent/lm/constraint'
import type { Tokenizer } from '../../agent/tokenizer'
import type { EnvKind } from '../../envs/env'
import type { WebshopSubgoalWords } from '../../agent/himac/phrases'

export type PlanGrammar = {
  cursor(task: string, observation: string): DecodingCursor
  /** The subgoal texts of a plan's tokens (`<subgoal>` phrase … `<end>`). */
  subgoals(tokens: readonly number[]): string[]
  /** The demonstration's subgoals in the grammar's phrasing, or null when it has none that fit. */
  canonical(demo: DemoEpisode): { subgoals: string[]; segments: PlanSegment[] } | null
}

export function planGrammar(
  tokenizer: Tokenizer,
  env: EnvKind,
  maxSubgoals: number,
  webshopSubgoals: WebshopSubgoalWords = 'words'
): PlanGrammar {
  return {
    cursor: (task, observation) =>
      createPlanCursor(tokenizer, { env, task, observation, maxSubgoals, webshopSubgoals }),
    subgoals: (tokens) => subgoalPhrases(tokenizer, tokens).map((p) => tokenizer.decode(p)),
    canonical: (demo) => {
      try {
        const plan = canonicalPlan(tokenizer, demo, { webshopSubgoals })
        return plan.subgoals.length <= maxSubgoals ? plan : null
      } catch {
        return null
      }
    }
  }
}
