// Word-level tokenizer over a closed vocabulary (see pieces.ts for the normalisation). A word not in
// the vocabulary is spelled: its first character as a word, the rest as continuation tokens ("g "),
// so ids such as ASINs stay distinct. Only characters outside the vocabulary become <unk>.
import {
  NEWLINE,
  SPECIAL_TOKENS,
  splitPieces,
  WORD_RUN,
  type Piece,
  type SpecialToken
} from './pieces'
import { charToken, continuationToken, DIGITS, LETTERS } from './vocabulary'

export type SpecialIds = {
  pad: number
  unk: number
  task: number
  plan: number
  subgoal: number
  obs: number
  act: number
  subDone: number
  end: number
}

/** How a text's pieces became tokens (for out-of-vocabulary reports). */
export type EncodeStats = {
  tokens: number
  words: number
  /** Words not in the vocabulary, spelled character by character. */
  spelled: string[]
  /** Characters (or words with such characters) that became <unk>. */
  unknown: string[]
}

export type Tokenizer = {
  /** Token strings by id. */
  readonly tokens: readonly string[]
  readonly size: number
  readonly special: SpecialIds
  encode(text: string): number[]
  /** Like encode, with what had to be spelled or replaced by <unk>. */
  encodeWithStats(text: string): { ids: number[]; stats: EncodeStats }
  /** Inverse of encode up to normalizeText; <pad> is skipped, unknown ids throw. */
  decode(ids: ArrayLike<number>): string
  id(token: string): number | undefined
}

type Spacing = { left: boolean; right: boolean }

const SPECIAL_KEYS: Record<SpecialToken, keyof SpecialIds> = {
  '<pad>': 'pad',
  '<unk>': 'unk',
  '<task>': 'task',
  '<plan>': 'plan',
  '<subgoal>': 'subgoal',
  '<obs>': 'obs',
  '<act>': 'act',
  '<sub_done>': 'subDone',
  '<end>': 'end'
}

const SPECIAL_SET: ReadonlySet<string> = new Set(SPECIAL_TOKENS)
const CHAR_TOKEN = /^( ?)(\S)( ?)$/u

/**
 * Whether a token wants a space on each side (a space is written iff both neighbours want it);
 * throws for a string that is no token form (word, special, newline, character variant).
 */
function spacingOf(token: string): Spacing {
  if (token === NEWLINE) return { left: false, right: false }
  if (WORD_RUN.test(token) || SPECIAL_SET.has(token)) return { left: true, right: true }
  const m = CHAR_TOKEN.exec(token)
  // Word characters only appear as continuations ("g "): glued left, spaced right.
  if (m && (!WORD_RUN.test(m[2] as string) || (m[1] === '' && m[3] === ' '))) {
    return { left: m[1] === ' ', right: m[3] === ' ' }
  }
  throw new Error(`not a token form: ${JSON.stringify(token)}`)
}

/**
 * Builds a tokenizer from an ordered token list (vocabularyTokens, or a loaded file). Throws when
 * the list lacks what encoding needs: the specials in order, the newline, every letter and digit
 * as a word and as a continuation, and no duplicates.
 */
export function createTokenizer(tokens: readonly string[]): Tokenizer {
  const index = new Map<string, number>()
  tokens.forEach((t, i) => {
    if (index.has(t)) throw new Error(`duplicate token ${JSON.stringify(t)}`)
    index.set(t, i)
  })
  SPECIAL_TOKENS.forEach((s, i) => {
    if (tokens[i] !== s)
      throw new Error(`token ${i} must be ${s}, got ${JSON.stringify(tokens[i])}`)
  })
  const required = [NEWLINE, ...[...LETTERS, ...DIGITS].flatMap((c) => [c, continuationToken(c)])]
  const missing = required.filter((t) => !index.has(t))
  if (missing.length > 0) throw new Error(`tokens missing: ${JSON.stringify(missing)}`)
  const special = Object.fromEntries(
    SPECIAL_TOKENS.map((s, i) => [SPECIAL_KEYS[s], i])
  ) as SpecialIds
  const spacing = tokens.map(spacingOf)
  const get = (t: string): number => index.get(t) as number

  const encodeWithStats = (text: string): { ids: number[]; stats: EncodeStats } => {
    const pieces = splitPieces(text)
    const ids: number[] = []
    const stats: EncodeStats = { tokens: 0, words: 0, spelled: [], unknown: [] }
    const inLine = (p: Piece | undefined): p is Piece => p !== undefined && p.kind !== 'newline'
    pieces.forEach((p, i) => {
      if (p.kind === 'newline') ids.push(get(NEWLINE))
      else if (p.kind === 'special') ids.push(get(p.text))
      else if (p.kind === 'word') {
        stats.words++
        const whole = index.get(p.text)
        if (whole !== undefined) ids.push(whole)
        else {
          stats.spelled.push(p.text)
          const [first, ...rest] = [...p.text]
          ids.push(get(first as string), ...rest.map((c) => get(continuationToken(c))))
        }
      } else {
        // Canonical flags: after another char the gap is carried by that char's right flag; at a
        // line edge the flag is irrelevant and set to true.
        const prev = pieces[i - 1]
        const next = pieces[i + 1]
        const left = !inLine(prev) || prev.kind === 'char' || p.spaceBefore
        const right = !inLine(next) || p.spaceAfter
        const id = index.get(charToken(p.text, left, right))
        if (id !== undefined) ids.push(id)
        else {
          stats.unknown.push(p.text)
          ids.push(special.unk)
        }
      }
    })
    stats.tokens = ids.length
    return { ids, stats }
  }

  return {
    tokens,
    size: tokens.length,
    special,
    encode: (text) => encodeWithStats(text).ids,
    encodeWithStats,
    decode: (ids) => {
      let out = ''
      let prev: Spacing | undefined
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number
        if (id === special.pad) continue
        const token = tokens[id]
        const s = spacing[id]
        if (token === undefined || s === undefined) throw new Error(`unknown token id ${id}`)
        if (prev?.right && s.left) out += ' '
        out += token === NEWLINE ? token : token.trim()
        prev = s
      }
      return out
    },
    id: (token) => index.get(token)
  }
}
