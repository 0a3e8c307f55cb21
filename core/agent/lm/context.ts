// The model's compact contexts: a task prompt (`<task>` + the task text; Sokoban a short fixed
// instruction), then per step `<obs>` + compact observation + `<act>` + action tokens + `<end>`.
// Chunking (core/agent/README.md): a chunk is the prompt and the history steps it holds; before a
// step is added, a new chunk starts when the chunk already holds chunkSteps complete steps or when
// the step (its observation plus the longest action it may take) would not fit the model context.
// The new chunk re-encodes the prompt and the last historyLength steps. `startChunk` lets a caller
// (the HiMAC executor) start one itself, e.g. per subgoal with its own prompt and no history.
import type { EnvKind } from '../../envs/env'
import { WORD_RUN, type Tokenizer } from '../tokenizer'
import type { LmAgentOptions } from './options'
import { egocentricSokoban, type SokobanView } from './sokoban-view'
import { resultLines, type WebshopClick } from './webshop-clicks'

/** Sokoban has no task text; the model reads this instead. */
export const SOKOBAN_TASK = 'push all boxes onto targets.'

/**
 * The observation as the model reads it: WebShop's page text without verl-agent's quotes and
 * ` [SEP] ` separators (one part per line); Sokoban's in the chosen view (./sokoban-view.ts).
 */
export function compactObservation(
  env: EnvKind,
  observation: string,
  sokobanView: SokobanView = 'egocentric',
  webshopClick: WebshopClick = 'asin'
): string {
  if (env === 'sokoban')
    return sokobanView === 'grid' ? observation : egocentricSokoban(observation)
  if (env !== 'webshop') return observation
  const lines = observation
    .split(' [SEP] ')
    .map((p) => (p.length >= 2 && p.startsWith("'") && p.endsWith("'") ? p.slice(1, -1) : p))
  return resultLines(lines, webshopClick).join('\n')
}

/** Tokens of a text cut to `max` (the tail replaced by "..."). */
export function cappedTokens(tokenizer: Tokenizer, text: string, max: number): number[] {
  const ids = tokenizer.encode(text)
  if (ids.length <= max) return ids
  const marker = tokenizer.encode('...')
  return [...ids.slice(0, Math.max(0, max - marker.length)), ...marker]
}

export function taskPromptTokens(
  tokenizer: Tokenizer,
  env: EnvKind,
  task: string,
  maxTokens: number
): number[] {
  const text = env === 'sokoban' ? SOKOBAN_TASK : task
  return [tokenizer.special.task, ...cappedTokens(tokenizer, text, maxTokens)]
}

/** Function words a task shares with many observations: never marked. */
const UNMARKED = new Set(
  'a an the some it its in on at to of and or with under into from for then put look is are you your'.split(
    ' '
  )
)

/** The content words (letters and digits, not function words) among `ids`. */
function contentWordIds(tokenizer: Tokenizer, ids: readonly number[]): Set<number> {
  const out = new Set<number>()
  for (const id of ids) {
    const word = tokenizer.decode([id])
    if (WORD_RUN.test(word) && !UNMARKED.has(word)) out.add(id)
  }
  return out
}

/** Ids of the task's content words (Sokoban: none). */
export function taskWordIds(tokenizer: Tokenizer, env: EnvKind, task: string): Set<number> {
  return env === 'sokoban' ? new Set() : contentWordIds(tokenizer, tokenizer.encode(task))
}

/**
 * Ids of a subgoal phrase's content words after its verb (`find the mug` → mug; `put the mug in
 * the cabinet` → mug, cabinet; Sokoban: none): what the executor marks while the subgoal is active.
 */
export function subgoalWordIds(
  tokenizer: Tokenizer,
  env: EnvKind,
  phrase: readonly number[]
): Set<number> {
  return env === 'sokoban' ? new Set() : contentWordIds(tokenizer, phrase.slice(1))
}

/** `tokens` with `marker` before every token in `words`. */
export function markTaskWords(
  tokens: readonly number[],
  words: ReadonlySet<number>,
  marker: number
): number[] {
  const out: number[] = []
  for (const t of tokens) {
    if (words.has(t)) out.push(marker)
    out.push(t)
  }
  return out
}

/** `<obs>` + the compact observation (capped) + `<act>`: what precedes an action. */
export function observationTokens(
  tokenizer: Tokenizer,
  env: EnvKind,
  observation: string,
  maxTokens: number,
  sokobanView?: SokobanView,
  webshopClick?: WebshopClick
): number[] {
  const { obs, act } = tokenizer.special
  const text = compactObservation(env, observation, sokobanView, webshopClick)
  return [obs, ...cappedTokens(tokenizer, text, maxTokens), act]
}

type Step = { observation: number[]; action: number[] }

export type ContextStats = {
  chunks: number
  /** Kept history steps dropped because they did not fit with the new step (0 when sized right). */
  droppedHistory: number
}

/** One episode's context: its chunks, the current one growing as steps are observed and acted. */
export class LmContext {
  private readonly done: Int32Array[] = []
  private current: number[] = []
  private prompt: number[]
  private readonly steps: Step[] = []
  /** Index in `steps` of the first step after the latest prompt change. */
  private since = 0
  private inChunk = 0
  private pending: Step | null = null
  /** The words observations mark (options.markTaskWords: the task's; see `markWords`). */
  private marked: ReadonlySet<number> | null
  readonly stats: ContextStats = { chunks: 0, droppedHistory: 0 }

  constructor(
    private readonly tokenizer: Tokenizer,
    readonly env: EnvKind,
    private readonly options: LmAgentOptions,
    /** The model's context (positions per chunk). */
    readonly contextSize: number,
    task: string,
    /** The first chunk's prompt instead of the task prompt (the HiMAC executor's). */
    prompt?: readonly number[]
  ) {
    this.prompt = prompt
      ? [...prompt]
      : taskPromptTokens(tokenizer, env, task, options.maxObsTokens)
    this.marked = options.markTaskWords ? taskWordIds(tokenizer, env, task) : null
    this.startChunk(0)
  }

  /**
   * The words later observations mark (null: none), e.g. the active subgoal's
   * (options.markSubgoalWords); observations already in the context keep their marks.
   */
  markWords(words: ReadonlySet<number> | null): void {
    this.marked = words
  }

  /** The words observations mark now (null: none); also what markActionWords marks in actions. */
  get markedWords(): ReadonlySet<number> | null {
    return this.marked
  }

  /** Index of the current chunk in `chunks()`. */
  get chunkIndex(): number {
    return this.done.length
  }

  /** The current chunk's tokens (grows; do not keep the reference across steps). */
  get tokens(): readonly number[] {
    return this.current
  }

  /** Every chunk so far, the current one last. */
  chunks(): Int32Array[] {
    return [...this.done, Int32Array.from(this.current)]
  }

  /** Complete steps in the episode so far. */
  get stepCount(): number {
    return this.steps.length
  }

  /**
   * Appends the next step's observation (starting a new chunk first when the chunking rule says
   * so). `actionBound`: the most tokens its action may take, `<end>` included.
   */
  observe(observation: string, actionBound: number): void {
    if (this.pending) throw new Error('the previous observation has no action yet')
    const plain = observationTokens(
      this.tokenizer,
      this.env,
      observation,
      this.options.maxObsTokens,
      this.options.sokobanView,
      this.options.webshopClick
    )
    const tokens = this.marked
      ? markTaskWords(plain, this.marked, this.tokenizer.special.task)
      : plain
    const need = tokens.length + actionBound
    if (this.inChunk >= this.options.chunkSteps || this.current.length + need > this.contextSize)
      this.startChunk(this.options.historyLength, undefined, need)
    if (this.current.length + need > this.contextSize) {
      throw new Error(
        `a step of ${need} tokens does not fit the context ${this.contextSize} after ${this.current.length}`
      )
    }
    this.pending = { observation: tokens, action: [] }
    this.current.push(...tokens)
  }

  /** Appends the action's tokens (`<end>` included); returns their positions in the chunk. */
  act(action: readonly number[]): Int32Array {
    const step = this.pending
    if (!step) throw new Error('act() before observe()')
    const start = this.current.length
    if (start + action.length > this.contextSize)
      throw new Error(`the action overflows the context ${this.contextSize}`)
    step.action = [...action]
    this.current.push(...action)
    this.steps.push(step)
    this.pending = null
    this.inChunk++
    return Int32Array.from(action, (_, i) => start + i)
  }

  /**
   * Ends the current chunk and starts one with the prompt (a new one replaces the task prompt for
   * this and later chunks, and its history starts empty, or with the last `carry` steps before it)
   * and the last `keep` steps. Not between an observation and its action. `reserve`: tokens the next
   * step needs (kept steps are dropped, oldest first, until it fits).
   */
  startChunk(keep: number, prompt?: readonly number[], reserve = 0, carry = 0): void {
    if (this.pending) throw new Error('startChunk() between an observation and its action')
    if (this.current.length > 0) this.done.push(Int32Array.from(this.current))
    if (prompt) {
      this.prompt = [...prompt]
      this.since = Math.max(0, this.steps.length - carry)
    }
    let kept = this.steps.slice(Math.max(this.since, this.steps.length - keep))
    const size = (s: Step[]): number =>
      s.reduce((n, x) => n + x.observation.length + x.action.length, this.prompt.length)
    const carryTokens = this.options.carryTokens ?? Infinity
    while (
      kept.length > 0 &&
      (size(kept) + reserve > this.contextSize || size(kept) - this.prompt.length > carryTokens)
    ) {
      kept = kept.slice(1)
      this.stats.droppedHistory++
    }
    this.current = [...this.prompt]
    for (const s of kept) this.current.push(...s.observation, ...s.action)
    this.inChunk = kept.length
    this.stats.chunks++
  }
}
