// The closed word-level tokenizer: documented normalisation, exact round trips of environment texts,
// spelling of unknown words, the stored JSON (version, hash, validation) and OOV reports.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAlfworldEnv, loadAlfworldGameFile } from '../../../core/envs/alfworld'
import type { EnvKind } from '../../../core/envs/env'
import { createWebshopEnv } from '../../../core/envs/webshop'
import {
  alfworldGameTexts,
  buildEnvTokenizer,
  createTokenizer,
  defaultEnv,
  envTexts,
  normalizeText,
  oovReport,
  seedRange,
  tokenizerFromJson,
  tokenizerToJson,
  vocabularyTokens,
  emptyInventory,
  addText,
  type Tokenizer
} from '../../../core/agent/tokenizer'
import { sharedFixture } from './fixtures'

let tokenizer: Tokenizer
beforeAll(() => {
  tokenizer = buildEnvTokenizer({ episodes: 40 }).tokenizer
})

const tokensOf = (text: string): string[] =>
  tokenizer.encode(text).map((id) => tokenizer.tokens[id] as string)

describe('normalisation and spacing', () => {
  it('lowercases, collapses whitespace per line and keeps newlines', () => {
    const text = '-= Welcome to TextWorld, ALFRED! =-\n\nYou are in\tthe  middle of a room.  '
    const expected = '-= welcome to textworld, alfred! =-\n\nyou are in the middle of a room.'
    expect(normalizeText(text)).toBe(expected)
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(expected)
  })

  it('keeps the spacing around punctuation exactly', () => {
    for (const text of [
      "'Back to Search' [SEP] 'Price: $30.62' [SEP] '< Prev'",
      'click[b0gws2yhwp]',
      'search[i need a 3x-large hoodie, and price lower than 40.00 dollars]',
      ' # \t _ \t P \t #\n # \t X \t O \t #',
      'a -- b ... (c)!? "d"'
    ]) {
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(normalizeText(text))
    }
    expect(tokensOf('$30.62')).toEqual([' $', '30', '.', '62'])
    expect(tokensOf('move it to shelf 1.')).toEqual(['move', 'it', 'to', 'shelf', '1', '. '])
    expect(tokensOf('go, now')).toEqual(['go', ', ', 'now'])
    expect(tokensOf('a - b')).toEqual(['a', ' - ', 'b'])
  })

  it('spells words outside the vocabulary and marks unknown characters', () => {
    const { ids, stats } = tokenizer.encodeWithStats('click[b0gws2yhwp] for 1234 café')
    expect(stats.spelled).toEqual(['b0gws2yhwp', '1234', 'caf'])
    expect(stats.unknown).toEqual(['é'])
    const asin = tokensOf('b0gws2yhwp')
    expect(asin).toEqual(['b', '0 ', 'g ', 'w ', 's ', '2 ', 'y ', 'h ', 'w ', 'p '])
    expect(ids).toContain(tokenizer.special.unk)
    expect(tokenizer.decode(tokenizer.encode('click[b0gws2yhwp] for 1234'))).toBe(
      'click[b0gws2yhwp] for 1234'
    )
  })

  it('reads special-token literals as one token and spaces them from words', () => {
    const ids = tokenizer.encode('answer <sub_done>\n<ACT>go to shelf 1<end>')
    expect(ids.filter((i) => i === tokenizer.special.subDone)).toHaveLength(1)
    expect(ids).toContain(tokenizer.special.act)
    expect(ids).toContain(tokenizer.special.end)
    expect(tokenizer.decode(ids)).toBe('answer <sub_done>\n<act> go to shelf 1 <end>')
    expect(normalizeText('answer <sub_done>\n<ACT>go to shelf 1<end>')).toBe(
      'answer <sub_done>\n<act> go to shelf 1 <end>'
    )
    // <pad> never comes from text, and decoding skips it
    expect(tokenizer.encode('<pad>')).not.toContain(tokenizer.special.pad)
    expect(tokenizer.decode([tokenizer.special.pad, ...tokenizer.encode('look'), 0])).toBe('look')
  })

  it('has the special tokens first, in the documented order', () => {
    expect(tokenizer.tokens.slice(0, 9)).toEqual([
      '<pad>',
      '<unk>',
      '<task>',
      '<plan>',
      '<subgoal>',
      '<obs>',
      '<act>',
      '<sub_done>',
      '<end>'
    ])
    expect(tokenizer.special).toMatchObject({ pad: 0, unk: 1, subDone: 7, end: 8 })
  })
})

describe('environment texts', () => {
  const kinds: [EnvKind, number][] = [
    ['sokoban', 30],
    ['alfworld', 30],
    ['webshop', 15]
  ]
  for (const [kind, seeds] of kinds) {
    it(`${kind}: held-out episodes round-trip exactly (modulo normalisation), without <unk>`, () => {
      let texts = 0
      for (const t of envTexts(defaultEnv(kind), seedRange(50_000, seeds))) {
        const ids = tokenizer.encode(t.text)
        expect(ids).not.toContain(tokenizer.special.unk)
        expect(tokenizer.decode(ids)).toBe(normalizeText(t.text))
        // normalising twice changes nothing, and the tokens are canonical
        expect(tokenizer.encode(normalizeText(t.text))).toEqual(ids)
        texts++
      }
      expect(texts).toBeGreaterThan(seeds * 3)
    })
  }

  it('ALFWorld valid_unseen and Sokoban need (almost) no spelling; WebShop spells only ids and numbers', () => {
    // built from 40 episodes only: a rare engine sentence may still be missing
    const alf = oovReport(
      tokenizer,
      envTexts(createAlfworldEnv({ split: 'valid_unseen' }), seedRange(0, 30))
    )
    expect(alf.all?.unknownChars).toBe(0)
    expect(alf.all?.words).toBeGreaterThan(10_000)
    expect(alf.all?.spelledRate).toBeLessThan(0.001)
    const sok = oovReport(tokenizer, envTexts(defaultEnv('sokoban'), seedRange(90_000, 20)))
    expect(sok.all?.spelledWords).toBe(0)
    const web = oovReport(
      tokenizer,
      envTexts(createWebshopEnv({ split: 'test' }), seedRange(0, 15))
    )
    expect(web.all?.unknownChars).toBe(0)
    expect(web.all?.spelledLetterWords).toBe(0)
    expect(web.action?.spelledRate).toBeGreaterThan(0)
    for (const [w] of web.all?.topSpelled ?? []) expect(w).toMatch(/[0-9]/)
  })
})

describe('vocabulary building', () => {
  it('is deterministic and includes extra texts', () => {
    const a = buildEnvTokenizer({ envs: ['sokoban', 'alfworld'], episodes: 10 })
    const b = buildEnvTokenizer({ envs: ['sokoban', 'alfworld'], episodes: 10 })
    expect(b.tokenizer.tokens).toEqual(a.tokenizer.tokens)
    expect(a.tokenizer.id('houseplant')).toBeUndefined()
    const c = buildEnvTokenizer({
      envs: ['sokoban', 'alfworld'],
      episodes: 10,
      extraTexts: ['a houseplant 1 and a sink 1']
    })
    expect(c.tokenizer.id('houseplant')).toBeDefined()
    expect(c.sources).toEqual({
      envs: ['sokoban', 'alfworld'],
      episodes: 10,
      extraTexts: 1,
      minCount: 1
    })
  })

  it('leaves words with digits out and applies minCount', () => {
    const inv = emptyInventory()
    addText(inv, 'zebra zebra okapi b0gws2yhwp 3x 12345')
    const tokens = vocabularyTokens(inv, 2)
    expect(tokens).toContain('zebra')
    expect(tokens).not.toContain('okapi')
    expect(tokens).not.toContain('b0gws2yhwp')
    expect(tokens).not.toContain('12345')
    expect(tokens).toContain('100')
    expect(tokens).not.toContain('101')
  })
})

describe('stored tokenizer', () => {
  it('round-trips through JSON with a stable hash', () => {
    const json = tokenizerToJson(tokenizer, { envs: ['sokoban'] })
    expect(json.hash).toMatch(/^sha256:[0-9a-f]{64}$/)
    const loaded = tokenizerFromJson(JSON.parse(JSON.stringify(json)))
    expect(loaded.tokens).toEqual(tokenizer.tokens)
    expect(tokenizerToJson(loaded).hash).toBe(json.hash)
    const text = "You arrive at countertop 1. On the countertop 1, you see a mug 2.\n'$12.50'"
    expect(loaded.encode(text)).toEqual(tokenizer.encode(text))
  })

  it('rejects tampered, foreign and malformed files', () => {
    const json = tokenizerToJson(tokenizer)
    const swapped = [...json.tokens]
    ;[swapped[20], swapped[21]] = [swapped[21] as string, swapped[20] as string]
    expect(() => tokenizerFromJson({ ...json, tokens: swapped })).toThrow(/hash mismatch/)
    expect(() => tokenizerFromJson({ ...json, version: 2 })).toThrow()
    expect(() => tokenizerFromJson({ ...json, extra: 1 })).toThrow()
    expect(() => tokenizerFromJson({ ...json, hash: 'md5:1' })).toThrow()
    expect(() => createTokenizer(json.tokens.filter((t) => t !== 'q '))).toThrow(/missing/)
    expect(() => createTokenizer([...json.tokens, 'look'])).toThrow(/duplicate/)
    expect(() => createTokenizer([...json.tokens, 'two words'])).toThrow(/not a token form/)
    expect(() => createTokenizer(json.tokens.slice(1))).toThrow(/must be <pad>/)
  })
})

const realDir = sharedFixture('alfworld-real')
describe.skipIf(!realDir)('real ALFWorld games (shared fixtures)', () => {
  it('spells only a few object classes the generator lacks, none once the games are added', () => {
    const dir = realDir as string
    const games = readdirSync(dir)
      .filter((d) => d.includes('__trial_'))
      .sort()
      .map((d) => loadAlfworldGameFile(path.join(dir, d, 'game.tw-pddl')))
    expect(games).toHaveLength(12)
    const env = createAlfworldEnv({ source: 'files', taskTypes: [] }, games)
    const report = oovReport(tokenizer, envTexts(env, seedRange(0, games.length * 2)))
    expect(report.all?.unknownChars).toBe(0)
    expect(report.all?.spelledLetterRate).toBeGreaterThan(0)
    expect(report.all?.spelledLetterRate).toBeLessThan(0.01)
    const withReal = buildEnvTokenizer({
      envs: ['alfworld'],
      episodes: 10,
      extraTexts: alfworldGameTexts(games)
    }).tokenizer
    const again = oovReport(withReal, envTexts(env, seedRange(0, games.length)))
    expect(again.all?.spelledWords).toBe(0)
  })
})
