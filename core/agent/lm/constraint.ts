// Token-level decoding automata. Constrained: the admissible commands, each encoded with the
// tokenizer and terminated by `<end>`, in a prefix tree (so `go to desk 1` and `go to desk 10`
// differ); WebShop's `search[<your query>]` placeholder becomes `search[`, 1…maxQueryWords words of
// the instruction (a word the tokenizer spells is one multi-token unit), `]`, `<end>`. Free: any
// token, `<end>` forced at the last allowed position. A cursor with exactly one allowed token is
// forced (no forward pass needed).
import type { EnvKind } from '../../envs/env'
import { SEARCH_PLACEHOLDER } from '../../envs/webshop/format'
import { splitPieces, type Tokenizer } from '../tokenizer'
import type { LmAgentOptions } from './options'
import { markTaskWords } from './context'
import { resultClickTexts } from './webshop-clicks'
import {
  MAX_QUERY_WORD_TOKENS,
  sortedKeys,
  trieInsert as insert,
  trieNode as node,
  WordUnits,
  type TrieNode as Trie,
  type UnitState
} from './token-trie'

export const SUB_DONE = '<sub_done>'

export type DecodingCursor = {
  /** Sorted allowed token ids; empty = unconstrained (the whole vocabulary). */
  allowed(): Int32Array
  advance(token: number): void
  readonly done: boolean
  /** Generated tokens so far (`<end>` included once done). */
  readonly tokens: readonly number[]
  /** The action text (exactly an admissible string when constrained); throws before done. */
  text(): string
}

type Target = { action: string } | { query: true }
type TrieNode = Trie<Target>

export { MAX_QUERY_WORD_TOKENS }

/** The distinct words of a text (the units a search query is made of), in first-seen order. */
export function instructionWords(text: string): string[] {
  const out = new Set<string>()
  for (const p of splitPieces(text)) if (p.kind === 'word') out.add(p.text)
  return [...out]
}

/** Tokens of `search[` as they appear before a query word, and of the closing `]`. */
function searchAffixes(tokenizer: Tokenizer): { open: number[]; close: number } {
  const ids = tokenizer.encode('search[a]')
  const a = tokenizer.encode('a')
  if (a.length !== 1 || ids.length < 3) throw new Error('tokenizer cannot spell search[...]')
  return { open: ids.slice(0, -2), close: ids[ids.length - 1] as number }
}

/**
 * The constrained form of a search query: its words that occur in the instruction, in order, at
 * most maxQueryWords of them (the demonstrators type the whole instruction with punctuation).
 */
export function constrainedSearchAction(
  tokenizer: Tokenizer,
  query: string,
  instruction: string,
  maxQueryWords: number
): string | null {
  const words = constrainedQueryWords(tokenizer, query, instruction, maxQueryWords)
  return words.length === 0 ? null : `search[${words.join(' ')}]`
}

/** The words of a query that a constrained query can hold (see constrainedSearchAction). */
export function constrainedQueryWords(
  tokenizer: Tokenizer,
  query: string,
  instruction: string,
  maxQueryWords: number
): string[] {
  const allowed = new Set(instructionWords(instruction))
  const fits = (w: string): boolean => tokenizer.encode(w).length <= MAX_QUERY_WORD_TOKENS
  return splitPieces(query)
    .filter((p) => p.kind === 'word' && allowed.has(p.text) && fits(p.text))
    .map((p) => (p as { text: string }).text)
    .slice(0, maxQueryWords)
}

export type ConstraintSpec = {
  admissible: readonly string[]
  /** WebShop: the instruction whose words a search query may use. */
  instruction?: string
  maxQueryWords: number
  allowSubDone: boolean
  /** The model's text of an admissible command where it differs (WebShop result titles). */
  texts?: ReadonlyMap<string, string>
  /**
   * `marker` before each token of a command that is in `words` (LM option markActionWords), except
   * in the commands of `except` (WebShop result ranks, whose numbers are no words of the task).
   */
  marks?: { words: ReadonlySet<number>; marker: number; except: ReadonlySet<string> }
}

/** One step's constraint as the rollout and the teacher build it. */
export function stepConstraint(
  tokenizer: Tokenizer,
  step: { env: EnvKind; observation: string; admissible: readonly string[]; task: string },
  options: Pick<LmAgentOptions, 'maxQueryWords' | 'webshopClick'> &
    Partial<Pick<LmAgentOptions, 'markActionWords' | 'decoding'>>,
  allowSubDone: boolean,
  /** The words the context's observations mark now (LmContext.markedWords). */
  marked: ReadonlySet<number> | null = null
): CommandConstraint {
  const webshop = step.env === 'webshop'
  const texts =
    webshop && options.webshopClick !== 'asin'
      ? resultClickTexts(step.observation, step.admissible, options.webshopClick)
      : undefined
  const marks =
    options.markActionWords && options.decoding !== 'free' && marked
      ? {
          words: marked,
          marker: tokenizer.special.task,
          except: new Set(options.webshopClick === 'rank' && texts ? texts.keys() : [])
        }
      : undefined
  return new CommandConstraint(tokenizer, {
    admissible: step.admissible,
    ...(webshop ? { instruction: step.task } : {}),
    ...(texts ? { texts } : {}),
    ...(marks ? { marks } : {}),
    maxQueryWords: options.maxQueryWords,
    allowSubDone
  })
}

/**
 * The decoding automaton of one step's admissible commands. Commands that encode to the same
 * tokens keep the first one; a search placeholder without instruction words is left out.
 */
export class CommandConstraint {
  private readonly root: TrieNode = node()
  readonly units: WordUnits
  private readonly close: number
  private readonly end: number
  readonly maxQueryWords: number
  /** The admissible strings a cursor can produce, with `<sub_done>` last when allowed. */
  readonly actions: string[] = []
  /**
   * Tokens of each of `actions` (`<end>` included); for the search placeholder only `search[`,
   * whose probability is that of every query together.
   */
  readonly actionTokens: number[][] = []
  /** The most tokens an action can take, `<end>` included. */
  readonly maxTokens: number

  private readonly texts: ReadonlyMap<string, string> | undefined

  constructor(tokenizer: Tokenizer, spec: ConstraintSpec) {
    this.texts = spec.texts
    this.end = tokenizer.special.end
    this.maxQueryWords = spec.maxQueryWords
    const { open, close } = searchAffixes(tokenizer)
    this.close = close
    this.units = new WordUnits(
      tokenizer,
      spec.instruction === undefined ? [] : instructionWords(spec.instruction)
    )
    let maxTokens = 0
    for (const a of spec.admissible) {
      if (a === SEARCH_PLACEHOLDER) {
        if (this.units.size === 0) continue
        insert(this.root, open).value = { query: true }
        this.actionTokens.push(open)
        maxTokens = Math.max(
          maxTokens,
          open.length + spec.maxQueryWords * this.units.longestWord + 2
        )
      } else {
        const plain = tokenizer.encode(spec.texts?.get(a) ?? a)
        const marks = spec.marks && !spec.marks.except.has(a) ? spec.marks : null
        const ids = [...(marks ? markTaskWords(plain, marks.words, marks.marker) : plain), this.end]
        const leaf = insert(this.root, ids)
        if (leaf.value !== undefined) continue
        leaf.value = { action: a }
        this.actionTokens.push(ids)
        maxTokens = Math.max(maxTokens, ids.length)
      }
      this.actions.push(a)
    }
    if (spec.allowSubDone) {
      insert(this.root, [tokenizer.special.subDone, this.end]).value = { action: SUB_DONE }
      this.actions.push(SUB_DONE)
      this.actionTokens.push([tokenizer.special.subDone, this.end])
      maxTokens = Math.max(maxTokens, 2)
    }
    this.maxTokens = maxTokens
    if (this.actions.length === 0) throw new Error('no admissible command to decode')
  }

  /** What the model writes for an admissible command (the command itself unless renamed). */
  modelText(action: string): string {
    return this.texts?.get(action) ?? action
  }

  /**
   * The tokens decoding writes for `action` (`<end>` included): an enumerated command's, with its
   * marks; otherwise (a search query, a string that is no command) its model text encoded.
   */
  tokensOf(tokenizer: Tokenizer, action: string): number[] {
    const i = this.actions.indexOf(action)
    if (i >= 0 && action !== SEARCH_PLACEHOLDER) return [...(this.actionTokens[i] as number[])]
    return [...tokenizer.encode(this.modelText(action)), this.end]
  }

  cursor(): ConstrainedCursor {
    return new ConstrainedCursor(this, this.root)
  }

  get closeToken(): number {
    return this.close
  }

  get endToken(): number {
    return this.end
  }
}

type QueryState = { units: UnitState; closed: boolean }

export class ConstrainedCursor implements DecodingCursor {
  readonly tokens: number[] = []
  private node: TrieNode | null
  private query: QueryState | null = null
  private finished: string | null = null

  constructor(
    private readonly constraint: CommandConstraint,
    start: TrieNode
  ) {
    this.node = start
  }

  get done(): boolean {
    return this.finished !== null
  }

  allowed(): Int32Array {
    if (this.finished !== null) return new Int32Array(0)
    const q = this.query
    const c = this.constraint
    if (q) {
      if (q.closed) return Int32Array.of(c.endToken)
      return c.units.allowed(q.units, c.maxQueryWords, [c.closeToken])
    }
    return sortedKeys(this.node as TrieNode)
  }

  advance(token: number): void {
    const allowed = this.allowed()
    if (allowed.indexOf(token) < 0) throw new Error(`token ${token} is not allowed here`)
    this.tokens.push(token)
    const c = this.constraint
    const q = this.query
    if (q) {
      if (q.closed) this.finished = `search[${q.units.words.join(' ')}]`
      else q.closed = c.units.advance(q.units, token)
      return
    }
    const next = (this.node as TrieNode).children.get(token) as TrieNode
    this.node = next
    const v = next.value
    if (v === undefined) return
    if ('action' in v) this.finished = v.action
    else this.query = { units: c.units.start(), closed: false }
  }

  text(): string {
    if (this.finished === null) throw new Error('the action is not complete')
    return this.finished
  }
}

/** Free decoding: any token; `<end>` ends the action and is forced at the maxTokens-th token. */
export class FreeCursor implements DecodingCursor {
  readonly tokens: number[] = []
  private ended = false

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly maxTokens: number
  ) {}

  get done(): boolean {
    return this.ended
  }

  allowed(): Int32Array {
    if (this.ended) return new Int32Array(0)
    if (this.tokens.length >= this.maxTokens - 1) return Int32Array.of(this.tokenizer.special.end)
    return new Int32Array(0)
  }

  advance(token: number): void {
    if (this.ended) throw new Error('the action is complete')
    if (!Number.isInteger(token) || token < 0 || token >= this.tokenizer.size)
      throw new Error(`token ${token} not in vocab`)
    const a = this.allowed()
    if (a.length > 0 && a.indexOf(token) < 0) throw new Error(`token ${token} is not allowed here`)
    this.tokens.push(token)
    if (token === this.tokenizer.special.end) this.ended = true
  }

  text(): string {
    if (!this.ended) throw new Error('the action is not complete')
    return this.tokenizer.decode(this.tokens.slice(0, -1))
  }
}

/**
 * Whether free-decoded tokens spell an admissible action: walked through the constrained automaton
 * (then the action is that exact admissible string), or, with a search bar, any `search[...]`.
 */
export function matchFreeAction(
  constraint: CommandConstraint,
  tokens: readonly number[],
  text: string
): { valid: boolean; action: string } {
  const cursor = constraint.cursor()
  for (const t of tokens) {
    if (cursor.done || cursor.allowed().indexOf(t) < 0) break
    cursor.advance(t)
  }
  if (cursor.done && cursor.tokens.length === tokens.length)
    return { valid: true, action: cursor.text() }
  const search = constraint.actions.includes(SEARCH_PLACEHOLDER) && /^search\[[^[\]]+\]$/.test(text)
  return { valid: search, action: text }
}
