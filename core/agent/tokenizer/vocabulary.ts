// The closed token list: special tokens, the newline, every spacing variant of each character, the
// spelling continuations and the words, in a fixed order so the same inputs give the same ids.
import { NEWLINE, SPECIAL_TOKENS, splitPieces, WORD_RUN } from './pieces'

/** Printable ASCII characters that are not word characters: always in the vocabulary. */
export const ASCII_CHARS: readonly string[] = Array.from({ length: 94 }, (_, i) =>
  String.fromCharCode(33 + i)
).filter((c) => !/[a-z0-9A-Z]/.test(c))

export const LETTERS: readonly string[] = Array.from('abcdefghijklmnopqrstuvwxyz')
export const DIGITS: readonly string[] = Array.from('0123456789')

/** Integers 0–100 and the two-digit decimals "00"–"09" (prices): other numbers are spelled. */
export const NUMBER_WORDS: readonly string[] = [
  ...Array.from({ length: 101 }, (_, i) => String(i)),
  ...DIGITS.map((d) => `0${d}`)
]

/**
 * A character token as written in the vocabulary: the character with a space on each side where
 * it takes part in the neighbour's spacing. " , " stands apart, ", " is glued to the token before
 * it, " $" to the token after it, "." to both; "g " continues a spelled word.
 */
export function charToken(c: string, spaceLeft: boolean, spaceRight: boolean): string {
  return `${spaceLeft ? ' ' : ''}${c}${spaceRight ? ' ' : ''}`
}

export const continuationToken = (c: string): string => charToken(c, false, true)

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Words (letter runs) and other characters seen in texts, with counts. */
export type TextInventory = { words: Map<string, number>; chars: Set<string> }

export function emptyInventory(): TextInventory {
  return { words: new Map(), chars: new Set() }
}

/**
 * Adds a text's letter-only words and its non-word characters. Runs with digits are left out on
 * purpose: ids like ASINs and prices would make the vocabulary depend on the sampled seeds.
 */
export function addText(inventory: TextInventory, text: string): void {
  for (const p of splitPieces(text)) {
    if (p.kind === 'word' && /^[a-z]+$/.test(p.text)) {
      inventory.words.set(p.text, (inventory.words.get(p.text) ?? 0) + 1)
    } else if (p.kind === 'char') inventory.chars.add(p.text)
  }
}

/** The ordered token list for the words (count ≥ minCount) and characters of an inventory. */
export function vocabularyTokens(inventory: TextInventory, minCount = 1): string[] {
  const chars = [...new Set([...ASCII_CHARS, ...inventory.chars])].sort(byCodeUnit)
  const words = new Set<string>([...LETTERS, ...DIGITS, ...NUMBER_WORDS])
  for (const [w, n] of inventory.words) if (n >= minCount && WORD_RUN.test(w)) words.add(w)
  const variants = chars.flatMap((c) => [
    charToken(c, true, true),
    charToken(c, false, true),
    charToken(c, true, false),
    charToken(c, false, false)
  ])
  return [
    ...SPECIAL_TOKENS,
    NEWLINE,
    ...variants,
    ...[...LETTERS, ...DIGITS].map(continuationToken),
    ...[...words].sort(byCodeUnit)
  ]
}
