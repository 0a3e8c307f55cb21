// The trajectory the rollout would have recorded for a given episode's actions (same chunks,
// positions and allowed sets; log-probs left 0): behaviour cloning from demonstrator episodes.
import type { EnvKind } from '../../envs/env'
import type { StepRecord } from '../../store/records'
import type { Tokenizer } from '../tokenizer'
import {
  constrainedSearchAction,
  FreeCursor,
  type CommandConstraint,
  stepConstraint,
  SUB_DONE,
  type DecodingCursor
} from './constraint'
import { LmContext } from './context'
import type { LmAgentOptions } from './options'
import type { LmDecision, LmTrajectory } from './record'

/** Walks `tokens` through the cursor; null when one is not allowed or the action ends early. */
export function walk(cursor: DecodingCursor, tokens: readonly number[]): Int32Array[] | null {
  const allowed: Int32Array[] = []
  for (const t of tokens) {
    if (cursor.done) return null
    const a = cursor.allowed()
    if (a.length > 0 && a.indexOf(t) < 0) return null
    allowed.push(a)
    cursor.advance(t)
  }
  return cursor.done ? allowed : null
}

/** How a forced action is spelled: as constrained decoding writes it, or (free) as encoded. */
export function forcedTokens(
  tokenizer: Tokenizer,
  constraint: CommandConstraint,
  free: boolean
): (action: string) => number[] {
  const end = tokenizer.special.end
  return (a) =>
    a === SUB_DONE
      ? [tokenizer.special.subDone, end]
      : free
        ? [...tokenizer.encode(a), end]
        : constraint.tokensOf(tokenizer, a)
}

/**
 * `action` walked through a fresh cursor as decoding produces it (`tokensOf(action)`; a WebShop
 * search whose query does not fit the grammar as its constrained form), with the cursor left done;
 * null when the decoder cannot produce it.
 */
export function forceAction(
  tokenizer: Tokenizer,
  makeCursor: () => DecodingCursor,
  action: string,
  webshopTask: string | null,
  maxQueryWords: number,
  /** The tokens decoding writes for an action (forcedTokens). */
  tokensOf: (action: string) => number[]
): { text: string; tokens: number[]; allowed: Int32Array[]; cursor: DecodingCursor } | null {
  const attempt = (text: string): ReturnType<typeof forceAction> => {
    const cursor = makeCursor()
    const tokens = tokensOf(text)
    const allowed = walk(cursor, tokens)
    return allowed ? { text, tokens, allowed, cursor } : null
  }
  const direct = attempt(action)
  if (direct || webshopTask === null || !action.startsWith('search[')) return direct
  const canonical = constrainedSearchAction(
    tokenizer,
    action.slice(7, -1),
    webshopTask,
    maxQueryWords
  )
  return canonical === null ? null : attempt(canonical)
}

/**
 * Observes `step` in `ctx` and appends `action` as the rollout would have decoded it, returning its
 * decision (log-probs 0). Actions are spelled as constrained decoding writes them (forcedTokens:
 * the model's text, marked words included, + `<end>`); a WebShop search whose query does not fit
 * the constrained grammar (the demonstrators type the whole instruction) is recorded as its
 * constrained form (constrainedSearchAction); any other action the decoder could not have produced
 * throws.
 */
export function teacherDecision(
  tokenizer: Tokenizer,
  ctx: LmContext,
  step: Pick<StepRecord, 'observation' | 'admissibleActions'>,
  action: string,
  task: string,
  options: LmAgentOptions,
  allowSubDone: boolean
): LmDecision {
  const envKind = ctx.env
  const constraint = stepConstraint(
    tokenizer,
    { env: envKind, observation: step.observation, admissible: step.admissibleActions, task },
    options,
    allowSubDone,
    ctx.markedWords
  )
  const free = options.decoding === 'free'
  const forced = forceAction(
    tokenizer,
    () => (free ? new FreeCursor(tokenizer, options.maxActionTokens) : constraint.cursor()),
    action,
    envKind === 'webshop' ? task : null,
    options.maxQueryWords,
    forcedTokens(tokenizer, constraint, free)
  )
  if (!forced) throw new Error(`the decoder cannot produce ${JSON.stringify(action)}`)
  const { text, tokens, allowed } = forced
  ctx.observe(step.observation, free ? options.maxActionTokens : constraint.maxTokens)
  return {
    chunk: ctx.chunkIndex,
    positions: ctx.act(tokens),
    allowed,
    tokenLogProbs: new Float32Array(tokens.length),
    temperature: 1,
    action: text
  }
}

/**
 * Decisions for every action of `episode.steps` (the final-state step, with no action, is
 * skipped), as teacherDecision records them. With allowSubDone, a step marked `subDone` that is
 * followed by another gets a `<sub_done>` decision on the next observation, as the rollout records
 * one.
 */
export function teacherTrajectory(
  tokenizer: Tokenizer,
  envKind: EnvKind,
  episode: { task: string; steps: readonly StepRecord[] },
  options: LmAgentOptions,
  /** The model's context (tokens per chunk). */
  context: number
): LmTrajectory {
  const ctx = new LmContext(tokenizer, envKind, options, context, episode.task)
  const decisions: LmDecision[] = []
  const last = episode.steps.length - 1
  const acted = episode.steps.filter((s, i) => !(i === last && s.action === '' && s.done))
  let subDoneOk = true
  const decide = (step: StepRecord, action: string): void => {
    const d = teacherDecision(
      tokenizer,
      ctx,
      step,
      action,
      episode.task,
      options,
      options.allowSubDone && subDoneOk
    )
    decisions.push(d)
    subDoneOk = d.action !== SUB_DONE
  }
  acted.forEach((step, i) => {
    decide(step, step.action)
    const next = acted[i + 1]
    if (options.allowSubDone && step.subDone === true && next) decide(next, SUB_DONE)
  })
  return { chunks: ctx.chunks(), decisions }
}
