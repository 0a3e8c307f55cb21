// Options of the language-model agent (decoding, context, chunking) and the default model size per
// environment.
import { z } from 'zod'
import type { EnvKind } from '../../envs/env'
import { SOKOBAN_HISTORY_LENGTH } from '../prompts/sokoban'
import { SOKOBAN_VIEWS } from './sokoban-view'
import { WEBSHOP_CLICKS } from './webshop-clicks'
import type { TransformerConfig } from '../models/transformer'
import type { Tokenizer } from '../tokenizer'

/** verl-agent's env.history_length per environment (envs.md §4.3: 2 for all three). */
export const VERL_HISTORY_LENGTH: Record<EnvKind, number> = {
  sokoban: SOKOBAN_HISTORY_LENGTH,
  alfworld: 2,
  webshop: 2
}

export const lmAgentOptionsSchema = z
  .object({
    /**
     * constrained: tokens masked by a prefix tree of the admissible commands. free: any token, up to
     * maxActionTokens ending at `<end>`; a non-admissible action gets the −0.1 invalid penalty.
     */
    decoding: z.enum(['constrained', 'free']).default('constrained'),
    /** Past steps re-encoded when a new chunk starts; default per env (verl-agent's). */
    historyLength: z.int().min(0).optional(),
    /**
     * Most complete steps a chunk holds before a new chunk starts; default 2 · historyLength
     * (at least 1). A large value keeps one chunk until the context is full.
     */
    chunkSteps: z.int().positive().optional(),
    /**
     * Most history tokens a new chunk carries (the oldest kept steps are dropped beyond it); default:
     * all that fit. With a context far longer than the kept steps, a new chunk started because the
     * context was full would otherwise refill it and start another at the next step.
     */
    carryTokens: z.int().positive().optional(),
    /** Cap on one observation's tokens (the rest is cut and marked with "..."); default per env. */
    maxObsTokens: z.int().min(8).optional(),
    /** WebShop: most words in a constrained search query. */
    maxQueryWords: z.int().positive().default(8),
    /** Free decoding: most generated tokens per action, `<end>` included. */
    maxActionTokens: z.int().min(2).default(32),
    /** How the model reads Sokoban's grid (./sokoban-view.ts). */
    sokobanView: z.enum(SOKOBAN_VIEWS).default('egocentric'),
    /** How the model names a WebShop search result: by its ASIN or its title (./webshop-clicks.ts). */
    webshopClick: z.enum(WEBSHOP_CLICKS).default('asin'),
    /**
     * Marks each word of an observation that is a content word of the task with a `<task>` token
     * before it (./context.ts, markTaskWords): the small model need not learn to match a word with
     * the task's to see that the object it is after is here.
     */
    markTaskWords: z.boolean().default(false),
    /**
     * HiMAC executor: while a subgoal is active, observations mark its content words after the verb
     * (`find the mug`: mug) instead of the task's, so that "the object of this subgoal is here"
     * is one marked word (./context.ts, subgoalWordIds). After the last subgoal the task's words
     * are marked as markTaskWords says.
     */
    markSubgoalWords: z.boolean().default(false),
    /**
     * The marked words (markTaskWords / markSubgoalWords) are marked in the model's spelling of the
     * commands too (`click[<task> vanilla]`, `take <task> mug 1 from desk 1`; constrained decoding
     * only), so that "choose the command naming a marked word" is one token, the same on every
     * page, rather than a word that differs from task to task (./constraint.ts, marks).
     */
    markActionWords: z.boolean().default(false),
    /** Whether `<sub_done>` is one of the choices (the HiMAC executor sets it). */
    allowSubDone: z.boolean().default(false)
  })
  .strict()

export type LmAgentOptionsInput = z.input<typeof lmAgentOptionsSchema>

/** Parsed options with the per-env defaults filled in. */
export type LmAgentOptions = Omit<
  z.output<typeof lmAgentOptionsSchema>,
  'historyLength' | 'chunkSteps' | 'maxObsTokens'
> & { historyLength: number; chunkSteps: number; maxObsTokens: number }

/**
 * Observation caps: above the longest observation of 100 demonstrator episodes (Sokoban 41 tokens,
 * ALFWorld 189: the first look at a large room) except WebShop's results pages (up to ~365 tokens:
 * the last results are cut rather than doubling the context).
 */
export const DEFAULT_MAX_OBS_TOKENS: Record<EnvKind, number> = {
  sokoban: 64,
  alfworld: 192,
  webshop: 320
}

export function resolveLmAgentOptions(input: LmAgentOptionsInput, env: EnvKind): LmAgentOptions {
  const o = lmAgentOptionsSchema.parse(input)
  const historyLength = o.historyLength ?? VERL_HISTORY_LENGTH[env]
  return {
    ...o,
    historyLength,
    chunkSteps: o.chunkSteps ?? Math.max(1, 2 * historyLength),
    maxObsTokens: o.maxObsTokens ?? DEFAULT_MAX_OBS_TOKENS[env]
  }
}

/**
 * Model context per env. It must hold the task prompt and historyLength + 1 steps at their caps
 * (observation ≤ maxObsTokens, action ≤ its bound) so that a new chunk always keeps its history:
 * Sokoban 10 + 3·(64 + 3) ≈ 210, ALFWorld 10 + 3·(192 + 10) ≈ 620, WebShop 40 + 3·(320 + 38)
 * ≈ 1115. The measured chunks are much shorter on average (core/agent/README.md: mean/max over 100
 * demonstrator episodes); compute follows the actual lengths, the context only bounds them.
 */
export const DEFAULT_LM_CONTEXT: Record<EnvKind, number> = {
  sokoban: 256,
  alfworld: 640,
  webshop: 1152
}

/** The default LM agent model: d128, 2 layers, 4 heads, ffMult 4, the env's context. */
export function defaultLmModelConfig(tokenizer: Tokenizer, env: EnvKind): TransformerConfig {
  return {
    vocab: tokenizer.size,
    dModel: 128,
    layers: 2,
    heads: 4,
    ffMult: 4,
    context: DEFAULT_LM_CONTEXT[env]
  }
}
