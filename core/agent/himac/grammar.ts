// The blueprint automaton: (`<subgoal>` phrase){1..K} `<end>`, phrase = one of the task's fixed
// phrases (a prefix tree of their tokens) or a slot prefix followed by 1…maxWords word units. The
// first token is a forced `<subgoal>`; `<end>` may follow any complete phrase and is forced after
// the K-th.
import type { Blueprint } from '../blueprint'
import type { DecodingCursor } from '../lm/constraint'
import {
  sortedKeys,
  trieInsert,
  trieNode,
  WordUnits,
  type TrieNode,
  type UnitState
} from '../lm/token-trie'
import { normalizeText, type Tokenizer } from '../tokenizer'
import { phraseSet, type PlanSpec } from './phrases'

/** Default K: covers the demonstrators' canonical plans (see core/agent/README.md). */
export const DEFAULT_MAX_SUBGOALS = 10

type Slot = { prefix: string; units: WordUnits; maxWords: number }
type PhraseEnd = { phrase: string } | { slot: Slot }
type Node = TrieNode<PhraseEnd>

export class PlanGrammar {
  readonly maxSubgoals: number
  /** The most tokens one phrase takes (its `<subgoal>` not included). */
  readonly maxPhraseTokens: number
  /** The most tokens a blueprint takes, `<subgoal>`s and `<end>` included. */
  readonly maxTokens: number
  readonly subgoalToken: number
  readonly endToken: number
  /** The phrases without a word slot. */
  readonly fixedPhrases: readonly string[]
  readonly slots: readonly Slot[]
  readonly root: Node = trieNode()

  constructor(
    readonly tokenizer: Tokenizer,
    spec: PlanSpec
  ) {
    if (!Number.isInteger(spec.maxSubgoals) || spec.maxSubgoals < 1)
      throw new Error(`maxSubgoals must be a positive integer, got ${spec.maxSubgoals}`)
    this.maxSubgoals = spec.maxSubgoals
    this.subgoalToken = tokenizer.special.subgoal
    this.endToken = tokenizer.special.end
    const set = phraseSet(spec)
    const fixed: string[] = []
    const slots: Slot[] = []
    let longest = 0
    for (const phrase of set.fixed) {
      const ids = tokenizer.encode(phrase)
      const leaf = trieInsert(this.root, ids)
      if (leaf.value !== undefined) continue
      leaf.value = { phrase }
      fixed.push(phrase)
      longest = Math.max(longest, ids.length)
    }
    for (const s of set.slots) {
      const units = new WordUnits(tokenizer, s.words, s.distinct ?? false)
      if (units.size === 0 || s.maxWords < 1) continue
      const ids = tokenizer.encode(s.prefix)
      const leaf = trieInsert(this.root, ids)
      if (leaf.value !== undefined || leaf.children.size > 0)
        throw new Error(`slot prefix '${s.prefix}' collides with a phrase`)
      const slot = { prefix: s.prefix, units, maxWords: s.maxWords }
      leaf.value = { slot }
      slots.push(slot)
      longest = Math.max(longest, ids.length + s.maxWords * units.longestWord)
    }
    if (fixed.length === 0 && slots.length === 0) throw new Error('no subgoal phrase to decode')
    this.fixedPhrases = fixed
    this.slots = slots
    this.maxPhraseTokens = longest
    this.maxTokens = spec.maxSubgoals * (1 + longest) + 1
  }

  /** Every phrase of the task, or null when a word slot makes the list impractical. */
  phrases(): string[] | null {
    return this.slots.length === 0 ? [...this.fixedPhrases] : null
  }

  /** How many distinct phrases the grammar admits (word sequences may repeat words). */
  phraseCount(): number {
    let n = this.fixedPhrases.length
    for (const s of this.slots) for (let k = 1; k <= s.maxWords; k++) n += s.units.size ** k
    return n
  }

  cursor(): PlanCursor {
    return new PlanCursor(this)
  }

  /** Walks tokens through a cursor; throws unless they are exactly one complete blueprint. */
  parse(tokens: readonly number[]): Blueprint {
    const cursor = this.cursor()
    for (const t of tokens) {
      if (cursor.done) throw new Error('tokens continue after <end>')
      cursor.advance(t)
    }
    if (!cursor.done) throw new Error('the blueprint is not complete')
    return cursor.blueprint()
  }

  /** The tokens a cursor produces for a blueprint; throws when the grammar cannot produce it. */
  tokensOf(blueprint: Blueprint): number[] {
    const { subgoals } = blueprint
    if (subgoals.length === 0) throw new Error('a blueprint has at least one subgoal')
    if (subgoals.length > this.maxSubgoals)
      throw new Error(`${subgoals.length} subgoals, at most ${this.maxSubgoals}`)
    const tokens = [
      ...subgoals.flatMap((s) => [this.subgoalToken, ...this.tokenizer.encode(s)]),
      this.endToken
    ]
    const parsed = this.parse(tokens)
    parsed.subgoals.forEach((s, i) => {
      const want = normalizeText(subgoals[i] as string)
      if (s !== want) throw new Error(`subgoal '${want}' reads back as '${s}'`)
    })
    return tokens
  }
}

type Phase =
  | { kind: 'start' }
  | { kind: 'phrase'; node: Node }
  | { kind: 'slot'; slot: Slot; state: UnitState }
  | { kind: 'done' }

export class PlanCursor implements DecodingCursor {
  readonly tokens: number[] = []
  private readonly subgoals: string[] = []
  private phase: Phase = { kind: 'start' }

  constructor(private readonly grammar: PlanGrammar) {}

  get done(): boolean {
    return this.phase.kind === 'done'
  }

  /** Complete subgoals so far. */
  get subgoalCount(): number {
    return this.subgoals.length
  }

  /** `<subgoal>` while another phrase fits, and `<end>` (the phrase being written counts). */
  private closers(): number[] {
    const g = this.grammar
    return this.subgoals.length + 1 < g.maxSubgoals ? [g.subgoalToken, g.endToken] : [g.endToken]
  }

  allowed(): Int32Array {
    const p = this.phase
    switch (p.kind) {
      case 'start':
        return Int32Array.of(this.grammar.subgoalToken)
      case 'done':
        return new Int32Array(0)
      case 'slot':
        return p.slot.units.allowed(p.state, p.slot.maxWords, this.closers())
      case 'phrase': {
        const keys = sortedKeys(p.node)
        if (p.node.value === undefined) return keys
        return Int32Array.from(new Set([...keys, ...this.closers()])).sort()
      }
    }
  }

  advance(token: number): void {
    if (this.allowed().indexOf(token) < 0) throw new Error(`token ${token} is not allowed here`)
    this.tokens.push(token)
    const g = this.grammar
    const p = this.phase
    if (p.kind === 'start') {
      this.phase = { kind: 'phrase', node: g.root }
      return
    }
    if (p.kind === 'slot') {
      if (!p.slot.units.advance(p.state, token)) return
      this.subgoals.push(`${p.slot.prefix} ${p.state.words.join(' ')}`)
    } else if (p.kind === 'phrase') {
      const next = p.node.children.get(token)
      if (next) {
        const v = next.value
        this.phase =
          v !== undefined && 'slot' in v
            ? { kind: 'slot', slot: v.slot, state: v.slot.units.start() }
            : { kind: 'phrase', node: next }
        return
      }
      const v = p.node.value
      if (v === undefined || !('phrase' in v))
        throw new Error('unreachable: closer inside a phrase')
      this.subgoals.push(v.phrase)
    }
    this.phase = token === g.endToken ? { kind: 'done' } : { kind: 'phrase', node: g.root }
  }

  /** The blueprint written so far (complete subgoals only). */
  blueprint(): Blueprint {
    return { subgoals: [...this.subgoals] }
  }

  /** The subgoals, one per line; throws before `<end>`. */
  text(): string {
    if (!this.done) throw new Error('the blueprint is not complete')
    return this.subgoals.join('\n')
  }
}

export function createPlanCursor(tokenizer: Tokenizer, spec: PlanSpec): PlanCursor {
  return new PlanGrammar(tokenizer, spec).cursor()
}

/** Parses a complete token sequence; throws on anything the task's grammar cannot produce. */
export function parsePlanTokens(
  tokenizer: Tokenizer,
  spec: PlanSpec,
  tokens: readonly number[]
): Blueprint {
  return new PlanGrammar(tokenizer, spec).parse(tokens)
}

/** The exact tokens a cursor produces for a blueprint; throws when the grammar cannot produce it. */
export function planTokens(tokenizer: Tokenizer, spec: PlanSpec, blueprint: Blueprint): number[] {
  return new PlanGrammar(tokenizer, spec).tokensOf(blueprint)
}

/** The most tokens a blueprint of the task takes (for context sizing). */
export function maxPlanTokens(tokenizer: Tokenizer, spec: PlanSpec): number {
  return new PlanGrammar(tokenizer, spec).maxTokens
}

/** The task's phrases when finite enough to list (ALFWorld, Sokoban), null for WebShop. */
export function planPhrases(tokenizer: Tokenizer, spec: PlanSpec): string[] | null {
  return new PlanGrammar(tokenizer, spec).phrases()
}
