// The tokenizer's text normalisation and the split of a normalised line into pieces (words,
// single characters with their spacing, special tokens), shared by encoding and vocabulary building.
//
// Normalisation (decode(encode(text)) === normalizeText(text) whenever no <unk> is produced):
// - lowercase; "\r\n" and "\r" become "\n"; every newline is kept;
// - on each line, runs of other whitespace (spaces, tabs) become one space and leading and trailing
//   whitespace is dropped;
// - a special token literal (e.g. "<sub_done>") is separated by one space from an adjacent word or
//   special token.
// Spacing next to punctuation is kept exactly: a character token records whether it is glued to
// its left and right neighbours, so "$30.62", "click[buy now]" and "'Back to Search'" round-trip.

/** Special tokens in id order; ids 0 and 1 are padding and unknown. */
export const SPECIAL_TOKENS = [
  '<pad>',
  '<unk>',
  '<task>',
  '<plan>',
  '<subgoal>',
  '<obs>',
  '<act>',
  '<sub_done>',
  '<end>'
] as const

export type SpecialToken = (typeof SPECIAL_TOKENS)[number]

/** Specials that a text may contain literally (padding never comes from text). */
const TEXT_SPECIALS = SPECIAL_TOKENS.filter((s) => s !== '<pad>')
const SPECIAL_SOURCE = TEXT_SPECIALS.join('|')

export const NEWLINE = '\n'

export type Piece =
  | { kind: 'newline' }
  | { kind: 'special'; text: SpecialToken }
  | { kind: 'word'; text: string }
  /** One code point that is neither a word character nor whitespace. */
  | { kind: 'char'; text: string; spaceBefore: boolean; spaceAfter: boolean }

/** Word characters: ASCII letters (after lowercasing) and digits. Everything else is a character piece. */
export const WORD_RUN = /^[a-z0-9]+$/

const PIECE = new RegExp(`(${SPECIAL_SOURCE})|([a-z0-9]+)|(\\s+)|(.)`, 'gsu')

export function normalizeText(text: string): string {
  const special = `(?:${SPECIAL_SOURCE})`
  return text
    .toLowerCase()
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/\s+/g, ' ')
        .trim()
        .replace(new RegExp(`(${special})(?=[a-z0-9]|${special})`, 'g'), '$1 ')
        .replace(new RegExp(`([a-z0-9])(?=${special})`, 'g'), '$1 ')
    )
    .join('\n')
}

/** The pieces of a text after lowercasing; whitespace survives only as the chars' spacing flags. */
export function splitPieces(text: string): Piece[] {
  const out: Piece[] = []
  const lines = text.toLowerCase().replace(/\r\n?/g, '\n').split('\n')
  lines.forEach((line, i) => {
    if (i > 0) out.push({ kind: 'newline' })
    let space = false
    let last: Piece | undefined
    for (const m of line.matchAll(PIECE)) {
      if (m[3] !== undefined) {
        space = true
        if (last?.kind === 'char') last.spaceAfter = true
        continue
      }
      const piece: Piece =
        m[1] !== undefined
          ? { kind: 'special', text: m[1] as SpecialToken }
          : m[2] !== undefined
            ? { kind: 'word', text: m[2] }
            : { kind: 'char', text: m[4] as string, spaceBefore: space, spaceAfter: false }
      out.push(piece)
      last = piece
      space = false
    }
  })
  return out
}
