// BM25 product search (MiniSearch, BM25+) over the text WebShop's Lucene index holds:
// lower(Title Description BulletPoints[0] "opt: v1, v2, and opt2: ..."); top 50 hits.

import MiniSearch from 'minisearch'
import type { Product } from './types'

export const SEARCH_RETURN_N = 50
export const PRODUCT_WINDOW = 10

export type SearchIndex = {
  search(keywords: string): string[]
}

type Doc = { id: number; text: string }

// Lucene's English analyzer drops these; BM25 over them only adds noise.
const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these',
  'they', 'this', 'to', 'was', 'will', 'with'
])

export function searchText(p: Product): string {
  const options = Object.entries(p.options)
    .map(([name, values]) => `${name}: ${values.join(', ')}`)
    .join(', and ')
  return [p.Title, p.Description, p.BulletPoints[0] ?? '', options].join(' ').toLowerCase()
}

export function buildSearchIndex(products: Product[]): SearchIndex {
  const mini = new MiniSearch<Doc>({
    fields: ['text'],
    storeFields: [],
    processTerm: (term) => {
      const t = term.toLowerCase()
      return t.length === 0 || STOP_WORDS.has(t) ? null : t
    }
  })
  const batch: Doc[] = []
  for (let i = 0; i < products.length; i++) {
    batch.push({ id: i, text: searchText(products[i] as Product) })
    if (batch.length === 5000) mini.addAll(batch.splice(0))
  }
  mini.addAll(batch)
  return {
    search: (keywords) => {
      const q = keywords.trim()
      if (q === '') return []
      const hits = mini.search(q, { combineWith: 'OR', prefix: false, fuzzy: false })
      return hits.slice(0, SEARCH_RETURN_N).map((h) => (products[h.id as number] as Product).asin)
    }
  }
}
