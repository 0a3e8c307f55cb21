// Out-of-vocabulary report: how many words of a set of texts the tokenizer had to spell, and how
// many characters became <unk>, per kind of text.
import type { EnvText, EnvTextKind } from './env-texts'
import type { Tokenizer } from './tokenizer'

export type OovRow = {
  texts: number
  tokens: number
  words: number
  /** Words not in the vocabulary (spelled character by character). */
  spelledWords: number
  spelledRate: number
  /** Spelled words made of letters only (not ids, numbers or units such as "10000mah"). */
  spelledLetterWords: number
  spelledLetterRate: number
  /** Characters outside the vocabulary, each one <unk> token. */
  unknownChars: number
  unkRate: number
  meanTokensPerText: number
  /** The most frequent spelled words with their counts. */
  topSpelled: [string, number][]
}

export type OovReport = Partial<Record<EnvTextKind | 'all', OovRow>>

const rate = (n: number, d: number): number => (d === 0 ? 0 : Number((n / d).toFixed(6)))

export function oovReport(tokenizer: Tokenizer, texts: Iterable<EnvText>, top = 10): OovReport {
  type Acc = {
    texts: number
    tokens: number
    words: number
    letters: number
    unknown: number
    spelled: Map<string, number>
  }
  const accs = new Map<EnvTextKind | 'all', Acc>()
  const acc = (k: EnvTextKind | 'all'): Acc => {
    let a = accs.get(k)
    if (!a) {
      a = { texts: 0, tokens: 0, words: 0, letters: 0, unknown: 0, spelled: new Map() }
      accs.set(k, a)
    }
    return a
  }
  for (const t of texts) {
    const { stats } = tokenizer.encodeWithStats(t.text)
    for (const a of [acc(t.kind), acc('all')]) {
      a.texts++
      a.tokens += stats.tokens
      a.words += stats.words
      a.unknown += stats.unknown.length
      for (const w of stats.spelled) {
        a.spelled.set(w, (a.spelled.get(w) ?? 0) + 1)
        if (/^[a-z]+$/.test(w)) a.letters++
      }
    }
  }
  const report: OovReport = {}
  for (const [k, a] of accs) {
    const spelledWords = [...a.spelled.values()].reduce((p, n) => p + n, 0)
    report[k] = {
      texts: a.texts,
      tokens: a.tokens,
      words: a.words,
      spelledWords,
      spelledRate: rate(spelledWords, a.words),
      spelledLetterWords: a.letters,
      spelledLetterRate: rate(a.letters, a.words),
      unknownChars: a.unknown,
      unkRate: rate(a.unknown, a.tokens),
      meanTokensPerText: Number((a.tokens / Math.max(1, a.texts)).toFixed(2)),
      topSpelled: [...a.spelled].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).slice(0, top)
    }
  }
  return report
}
