// BM25 product search over the text WebShop's Lucene index holds:
// lower(Title Description BulletPoints[0] "opt: v1, v2, and opt2: ..."); top 50 hits.
// Two engines share one tokenizer and Lucene's BM25 (pyserini defaults k1 = 0.9, b = 0.4):
// MiniSearch (the default), and a compact typed-array index for 100k-product catalogs, where
// MiniSearch's per-posting objects cost ~0.5 s per query and ~600 MB.

import MiniSearch from 'minisearch'
import type { Product } from './types'

export const SEARCH_RETURN_N = 50
export const PRODUCT_WINDOW = 10
export type SearchEngine = 'minisearch' | 'compact'

export type SearchIndex = {
  /** Top-50 asins, best first (served from a small LRU cache when the query repeats). */
  search(keywords: string): string[]
  /** The same ranking, always computed (for benchmarks). */
  searchUncached(keywords: string): string[]
}

const K1 = 0.9
const B = 0.4
const CACHE_SIZE = 4096

// Lucene's English stop words; the original index drops them too.
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'but',
  'by',
  'for',
  'if',
  'in',
  'into',
  'is',
  'it',
  'no',
  'not',
  'of',
  'on',
  'or',
  'such',
  'that',
  'the',
  'their',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'was',
  'will',
  'with'
])
const SPLIT = /[\n\r\p{Z}\p{P}\p{S}]+/u

export function searchText(p: Product): string {
  const options = Object.entries(p.options)
    .map(([name, values]) => `${name}: ${values.join(', ')}`)
    .join(', and ')
  return [p.Title, p.Description, p.BulletPoints[0] ?? '', options].join(' ').toLowerCase()
}

export function tokenize(text: string): string[] {
  const out: string[] = []
  for (const raw of text.toLowerCase().split(SPLIT))
    if (raw !== '' && !STOP_WORDS.has(raw)) out.push(raw)
  return out
}

export function buildSearchIndex(
  products: Product[],
  engine: SearchEngine = 'minisearch'
): SearchIndex {
  const run = engine === 'compact' ? compactEngine(products) : miniSearchEngine(products)
  const cache = new Map<string, string[]>()
  return {
    searchUncached: run,
    search: (keywords) => {
      const hit = cache.get(keywords)
      if (hit) {
        cache.delete(keywords)
        cache.set(keywords, hit)
        return hit
      }
      const result = run(keywords)
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
      cache.set(keywords, result)
      return result
    }
  }
}

type Doc = { id: number; text: string }

function miniSearchEngine(products: Product[]): (q: string) => string[] {
  // d = 0 turns MiniSearch's BM25+ into plain BM25.
  const bm25 = { k: K1, b: B, d: 0 }
  const mini = new MiniSearch<Doc>({
    fields: ['text'],
    storeFields: [],
    tokenize,
    processTerm: (t) => t,
    searchOptions: { bm25 }
  })
  const batch: Doc[] = []
  for (let i = 0; i < products.length; i++) {
    batch.push({ id: i, text: searchText(products[i] as Product) })
    if (batch.length === 5000) mini.addAll(batch.splice(0))
  }
  mini.addAll(batch)
  return (keywords) => {
    const terms = [...new Set(tokenize(keywords))]
    if (terms.length === 0) return []
    const hits = mini.search(
      { queries: terms, combineWith: 'OR' },
      { prefix: false, fuzzy: false, bm25 }
    )
    return hits.slice(0, SEARCH_RETURN_N).map((h) => (products[h.id as number] as Product).asin)
  }
}

/** Inverted index in typed arrays; scores with Lucene's BM25 and keeps the top 50 (ties: doc order). */
function compactEngine(products: Product[]): (q: string) => string[] {
  const n = products.length
  const vocab = new Map<string, number>()
  const df: number[] = []
  const docLen = new Float64Array(n)
  const docTerms = (i: number): Map<number, number> => {
    const counts = new Map<number, number>()
    const tokens = tokenize(searchText(products[i] as Product))
    docLen[i] = tokens.length
    for (const t of tokens) {
      let id = vocab.get(t)
      if (id === undefined) {
        id = vocab.size
        vocab.set(t, id)
        df.push(0)
      }
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    return counts
  }
  for (let i = 0; i < n; i++) for (const id of docTerms(i).keys()) df[id] = (df[id] as number) + 1
  const offsets = new Int32Array(vocab.size + 1)
  for (let t = 0; t < vocab.size; t++) offsets[t + 1] = (offsets[t] as number) + (df[t] as number)
  const postDoc = new Int32Array(offsets[vocab.size] as number)
  const postTf = new Uint16Array(postDoc.length)
  const fill = offsets.slice(0, vocab.size)
  for (let i = 0; i < n; i++) {
    for (const [id, tf] of docTerms(i)) {
      const at = fill[id] as number
      postDoc[at] = i
      postTf[at] = Math.min(tf, 65535)
      fill[id] = at + 1
    }
  }
  let total = 0
  for (let i = 0; i < n; i++) total += docLen[i] as number
  const avgLen = n > 0 ? total / n : 1
  const norm = new Float64Array(n)
  for (let i = 0; i < n; i++) norm[i] = K1 * (1 - B + (B * (docLen[i] as number)) / avgLen)
  const scores = new Float64Array(n)
  const touched = new Int32Array(n)

  return (keywords) => {
    const ids = [...new Set(tokenize(keywords))]
      .map((t) => vocab.get(t))
      .filter((id): id is number => id !== undefined)
    if (ids.length === 0) return []
    let nTouched = 0
    for (const id of ids) {
      const d = df[id] as number
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5))
      for (let p = offsets[id] as number, end = offsets[id + 1] as number; p < end; p++) {
        const doc = postDoc[p] as number
        const tf = postTf[p] as number
        if (scores[doc] === 0) touched[nTouched++] = doc
        scores[doc] = (scores[doc] as number) + (idf * tf * (K1 + 1)) / (tf + (norm[doc] as number))
      }
    }
    const top: number[] = []
    const better = (a: number, b: number) =>
      (scores[a] as number) > (scores[b] as number) || (scores[a] === scores[b] && a < b)
    for (let k = 0; k < nTouched; k++) {
      const doc = touched[k] as number
      if (top.length === SEARCH_RETURN_N && !better(doc, top[top.length - 1] as number)) continue
      let at = top.length
      while (at > 0 && better(doc, top[at - 1] as number)) at--
      top.splice(at, 0, doc)
      if (top.length > SEARCH_RETURN_N) top.pop()
    }
    const out = top.map((doc) => (products[doc] as Product).asin)
    for (let k = 0; k < nTouched; k++) scores[touched[k] as number] = 0
    return out
  }
}
