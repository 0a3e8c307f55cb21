// Shared pieces of the token-level decoding automata: a prefix tree over token sequences and the
// word-unit automaton of free word sequences (WebShop search queries, HiMAC plan phrases). A word
// is one unit however many tokens the tokenizer spells it with; unit continuations are always
// continuation tokens, so a token either continues the current word or starts a new one.
import type { Tokenizer } from '../tokenizer'

export type TrieNode<T = unknown> = {
  children: Map<number, TrieNode<T>>
  /** What ends at this node, if anything (set by the automaton that owns the tree). */
  value?: T
  sorted?: Int32Array
}

export function trieNode<T>(): TrieNode<T> {
  return { children: new Map() }
}

/** The node's child tokens, sorted (cached). */
export function sortedKeys<T>(n: TrieNode<T>): Int32Array {
  n.sorted ??= Int32Array.from(n.children.keys()).sort()
  return n.sorted
}

/** Adds a token path under root and returns its last node. */
export function trieInsert<T>(root: TrieNode<T>, tokens: readonly number[]): TrieNode<T> {
  let cur = root
  for (const t of tokens) {
    let next = cur.children.get(t)
    if (!next) {
      next = trieNode()
      cur.children.set(t, next)
    }
    cur = next
  }
  return cur
}

/** Words spelled into more tokens (codes, long numbers) are not units. */
export const MAX_QUERY_WORD_TOKENS = 4

/** Where a word sequence stands: the node inside the current word and the words completed. */
export type UnitState = { unit: TrieNode<string>; words: string[] }

/**
 * The automaton of 1…maxWords words out of a fixed word set, closed by one of some tokens; with
 * `distinct`, no word twice.
 */
export class WordUnits {
  readonly root = trieNode<string>()
  /** Tokens of the longest word. */
  readonly longestWord: number
  /** Distinct words (by their tokens). */
  readonly size: number

  constructor(
    tokenizer: Tokenizer,
    words: readonly string[],
    readonly distinct = false
  ) {
    let longest = 0
    let size = 0
    for (const w of words) {
      const ids = tokenizer.encode(w)
      if (ids.length > MAX_QUERY_WORD_TOKENS) continue
      longest = Math.max(longest, ids.length)
      const leaf = trieInsert(this.root, ids)
      if (leaf.value === undefined) {
        leaf.value = w
        size++
      }
    }
    this.longestWord = longest
    this.size = size
  }

  start(): UnitState {
    return { unit: this.root, words: [] }
  }

  /** Whether the word ending at a node may be completed (with `distinct`: not used yet). */
  private completes(s: UnitState, node: TrieNode<string>): boolean {
    return node.value !== undefined && !(this.distinct && s.words.includes(node.value))
  }

  /** Whether some word can still be completed at or below a node. */
  private viable(s: UnitState, node: TrieNode<string>): boolean {
    if (this.completes(s, node)) return true
    for (const child of node.children.values()) if (this.viable(s, child)) return true
    return false
  }

  /** Allowed tokens: continue the word, start another (below maxWords), or a closer (≥ 1 word). */
  allowed(s: UnitState, maxWords: number, closers: readonly number[]): Int32Array {
    const inWord = s.unit !== this.root
    const atBoundary = !inWord || this.completes(s, s.unit)
    const completed = s.words.length + (inWord && atBoundary ? 1 : 0)
    const out = new Set<number>()
    // A word completed here counts as used when choosing the next one.
    const next: UnitState =
      inWord && atBoundary && this.distinct
        ? { unit: this.root, words: [...s.words, s.unit.value as string] }
        : s
    if (inWord)
      for (const [t, child] of s.unit.children)
        if (!this.distinct || this.viable(s, child)) out.add(t)
    if (atBoundary && completed < maxWords)
      for (const [t, child] of this.root.children)
        if (!this.distinct || this.viable(next, child)) out.add(t)
    if (atBoundary && completed >= 1) for (const t of closers) out.add(t)
    return Int32Array.from(out).sort()
  }

  /** Consumes an allowed token; true when it was a closer (then `s.words` is the whole sequence). */
  advance(s: UnitState, token: number): boolean {
    const inWord = s.unit !== this.root ? s.unit.children.get(token) : undefined
    if (inWord) {
      s.unit = inWord
      return false
    }
    if (s.unit.value !== undefined) s.words.push(s.unit.value)
    const next = this.root.children.get(token)
    s.unit = next ?? this.root
    return next === undefined
  }
}
