// The search prefixes of get_top_n_product_from_keywords (engine.py): '<c> category', '<q> query'
// and '<r>' (random products). The text env passes no attribute index, so '<a> …' raises there.
import type { Rng } from './rng'
import { SEARCH_RETURN_N } from './search'
import type { Product } from './types'

export type PrefixSearch =
  /** No prefix: a BM25 search. */
  | { kind: 'bm25' }
  /** The original raises (no attribute index, or `<c>` without a category): an invalid action. */
  | { kind: 'invalid' }
  | { kind: 'results'; asins: string[] }

/** `keywords` as the text env splits them: the lower-cased argument split on single spaces. */
export function prefixSearch(
  products: readonly Product[],
  keywords: string[],
  rng: Rng
): PrefixSearch {
  switch (keywords[0]) {
    case '<r>':
      // upstream random.sample(all_products, k=50) needs 50 products; smaller catalogs give all
      return {
        kind: 'results',
        asins: rng.sample(products, Math.min(SEARCH_RETURN_N, products.length)).map((p) => p.asin)
      }
    case '<c>': {
      const category = keywords[1]?.trim()
      if (category === undefined) return { kind: 'invalid' }
      return { kind: 'results', asins: asinsWhere(products, (p) => p.category === category) }
    }
    case '<q>': {
      const query = keywords.slice(1).join(' ').trim()
      return { kind: 'results', asins: asinsWhere(products, (p) => p.query === query) }
    }
    case '<a>':
      return { kind: 'invalid' }
    default:
      return { kind: 'bm25' }
  }
}

function asinsWhere(products: readonly Product[], keep: (p: Product) => boolean): string[] {
  const out: string[] = []
  for (const p of products) if (keep(p)) out.push(p.asin)
  return out
}
