// The blueprint an executor works through, and the prompt it reads for the active subgoal: the task
// prompt, `<plan>` and the planner's tokens, then `<subgoal>` and the active subgoal's phrase again
// (`<subgoal> <end>` once every subgoal is done: act on the task alone). A new prompt starts a new
// chunk with no history (the temporal mask: only the steps since the subgoal began).
import type { EnvKind } from '../../envs/env'
import {
  cappedTokens,
  compactObservation,
  subgoalWordIds,
  taskPromptTokens,
  taskWordIds,
  type LmContext
} from '../lm/context'
import type { LmAgentOptions } from '../lm/options'
import type { SokobanView } from '../lm/sokoban-view'
import type { Tokenizer } from '../tokenizer'

export type ExecutorPlan = {
  /** The planner's tokens: (`<subgoal>` phrase)+ `<end>`. */
  tokens: readonly number[]
  /** Env steps a subgoal may take before the next one is forced (a fallback). */
  budget: number
  /** Steps before the subgoal began that its chunk keeps (0 = the strict temporal mask). */
  carry: number
  /** Whether `<sub_done>` is a choice (false: the fixed-budget ablation, subgoals end by budget). */
  subDone: boolean
}

/** Each subgoal's phrase tokens, in order; throws on tokens that are not (`<subgoal>` …)+ `<end>`. */
export function subgoalPhrases(tokenizer: Tokenizer, tokens: readonly number[]): number[][] {
  const { subgoal, end } = tokenizer.special
  if (tokens[0] !== subgoal || tokens[tokens.length - 1] !== end)
    throw new Error('a plan is (<subgoal> phrase)+ <end>')
  const out: number[][] = []
  for (const t of tokens.slice(0, -1)) {
    if (t === subgoal) out.push([])
    else if (t === end) throw new Error('<end> inside a plan')
    else (out[out.length - 1] as number[]).push(t)
  }
  if (out.some((p) => p.length === 0)) throw new Error('an empty subgoal in a plan')
  return out
}

/** The planner's prompt: the task prompt, `<obs>` and the first observation, then `<plan>`. */
export function plannerPromptTokens(
  tokenizer: Tokenizer,
  env: EnvKind,
  task: string,
  observation: string,
  maxTokens: number,
  sokobanView?: SokobanView
): number[] {
  return [
    ...taskPromptTokens(tokenizer, env, task, maxTokens),
    tokenizer.special.obs,
    ...cappedTokens(tokenizer, compactObservation(env, observation, sokobanView), maxTokens),
    tokenizer.special.plan
  ]
}

/** The executor's prompt while `phrases[active]` is the active subgoal (past the last: none). */
export function executorPromptTokens(
  tokenizer: Tokenizer,
  env: EnvKind,
  task: string,
  plan: readonly number[],
  phrases: readonly (readonly number[])[],
  active: number,
  maxTaskTokens: number
): number[] {
  const { subgoal, end } = tokenizer.special
  return [
    ...taskPromptTokens(tokenizer, env, task, maxTaskTokens),
    tokenizer.special.plan,
    ...plan,
    subgoal,
    ...(phrases[active] ?? [end])
  ]
}

/**
 * With options.markSubgoalWords, makes `ctx` mark the words of `phrases[active]` in the
 * observations that follow (past the last subgoal: the task's, if options.markTaskWords).
 */
export function markActiveSubgoal(
  ctx: LmContext,
  tokenizer: Tokenizer,
  task: string,
  phrases: readonly (readonly number[])[],
  active: number,
  options: LmAgentOptions
): void {
  if (!options.markSubgoalWords) return
  const phrase = phrases[active]
  if (phrase) ctx.markWords(subgoalWordIds(tokenizer, ctx.env, phrase))
  else ctx.markWords(options.markTaskWords ? taskWordIds(tokenizer, ctx.env, task) : null)
}

/** A blueprint's tokens as the planner writes them: (`<subgoal>` phrase)+ `<end>`. */
export function blueprintTokens(tokenizer: Tokenizer, subgoals: readonly string[]): number[] {
  if (subgoals.length === 0) throw new Error('a blueprint has at least one subgoal')
  const { subgoal, end } = tokenizer.special
  return [...subgoals.flatMap((s) => [subgoal, ...tokenizer.encode(s)]), end]
}
