import { describe, expect, it } from 'vitest'
import { getWorld } from '../../../core/envs/webshop/dataset'
import { expertQuery } from '../../../core/envs/webshop/expert'
import {
  buildSearchIndex,
  searchText,
  SEARCH_RETURN_N,
  tokenize
} from '../../../core/envs/webshop/search'
import { product } from './helpers'

const doc = (asin: string, title: string) =>
  product({ asin, name: title, Description: '', BulletPoints: [], options: {} })

describe('search text and tokens', () => {
  it('indexes lower(Title Description BulletPoints[0] options)', () => {
    const p = product({ BulletPoints: ['First bullet', 'Second'] })
    expect(searchText(p)).toBe(
      'blue cotton shirt a soft shirt for summer days. first bullet color: blue, natural blonde, and size: large, x-large'
    )
    expect(tokenize("Men's Shirt, with the 2-pack!")).toEqual(['men', 's', 'shirt', '2', 'pack'])
  })
})

describe.each(['compact', 'minisearch'] as const)('BM25 (%s)', (engine) => {
  it('ranks by BM25: term frequency and length normalisation', () => {
    const idx = buildSearchIndex(
      [doc('D0', 'red shirt'), doc('D1', 'red red hat'), doc('D2', 'blue hat')],
      engine
    )
    expect(idx.search('red')).toEqual(['D1', 'D0'])
    expect(idx.search('blue hat')[0]).toBe('D2')
    expect(idx.search('   ')).toEqual([])
    expect(idx.search('the and')).toEqual([])
    expect(idx.search('unknownword')).toEqual([])
  })

  it('returns at most 50 results and finds a product by its own title', () => {
    const world = getWorld({
      source: { kind: 'generated', size: 1000, seed: 20220701 },
      goals: 'synthetic',
      priceSeed: 0,
      shuffleSeed: 233,
      searchEngine: engine
    })
    const p = world.products[123]!
    const hits = world.index.search(p.Title)
    expect(hits.length).toBe(SEARCH_RETURN_N)
    expect(hits.slice(0, 3)).toContain(p.asin)
    let found = 0
    for (let i = 0; i < 100; i++) {
      const g = world.goals.goal(i)
      if (world.index.search(expertQuery(g)).includes(g.asin)) found++
    }
    expect(found).toBeGreaterThanOrEqual(90)
  })
})

describe('compact BM25 scores', () => {
  it("matches Lucene's BM25 (k1 = 0.9, b = 0.4) computed by hand", () => {
    // red: N = 3, df = 2; d0 has 2 tokens, d1 3 tokens (tf 2); avg length 7/3
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    const s = (tf: number, len: number) =>
      (idf * tf * 1.9) / (tf + 0.9 * (0.6 + (0.4 * len) / (7 / 3)))
    expect(s(2, 3)).toBeGreaterThan(s(1, 2))
    // d3 mentions red once in a very long title, so it ranks below d0
    const idx = buildSearchIndex(
      [
        doc('D0', 'red shirt'),
        doc('D1', 'red red hat'),
        doc('D2', 'blue hat'),
        doc('D3', 'red x y z w v u t s r q p')
      ],
      'compact'
    )
    expect(idx.search('red')).toEqual(['D1', 'D0', 'D3'])
  })
})
