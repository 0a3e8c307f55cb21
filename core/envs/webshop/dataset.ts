// A loaded WebShop world (products, per-load prices, BM25 index, shuffled goals), cached per
// process so env instances share one copy.

import { generateCatalog } from './generate'
import { buildGoals, type GoalSet } from './goals'
import { loadProducts, type LoadedProducts } from './products'
import { buildSearchIndex, type SearchEngine, type SearchIndex } from './search'
import type { GoalSource, RawCatalog } from './types'

export type WebshopWorld = LoadedProducts & {
  index: SearchIndex
  goals: GoalSet
}

export type WorldSource =
  | { kind: 'generated'; size: number; seed: number }
  /** Raw files already read (e.g. by loadWebshopData); `key` identifies them for the cache. */
  | { kind: 'data'; key: string; catalog: RawCatalog }

export type WorldParams = {
  source: WorldSource
  goals: GoalSource
  priceSeed: number
  shuffleSeed: number
  /** 'auto': MiniSearch up to AUTO_COMPACT_ABOVE products, the compact index above. */
  searchEngine?: SearchEngine | 'auto'
}

export const AUTO_COMPACT_ABOVE = 20_000

type CatalogEntry = LoadedProducts & { index: SearchIndex }

const catalogCache = new Map<string, CatalogEntry>()
const worldCache = new Map<string, WebshopWorld>()
const rawCache = new Map<string, RawCatalog>()

export function sourceKey(source: WorldSource): string {
  return source.kind === 'generated' ? `gen:${source.size}:${source.seed}` : `data:${source.key}`
}

/** The generated raw catalog; small ones are kept (writeWebshopData, tests), big ones rebuilt. */
export function generatedCatalog(size: number, seed: number): RawCatalog {
  const key = `${size}:${seed}`
  const hit = rawCache.get(key)
  if (hit) return hit
  const raw = generateCatalog({ size, seed })
  if (size <= 10_000) rawCache.set(key, raw)
  return raw
}

export function getWorld(params: WorldParams): WebshopWorld {
  const catKey = `${sourceKey(params.source)}|price:${params.priceSeed}|search:${params.searchEngine ?? 'auto'}`
  const worldKey = `${catKey}|${params.goals}|shuffle:${params.shuffleSeed}`
  const cached = worldCache.get(worldKey)
  if (cached) return cached
  let entry = catalogCache.get(catKey)
  if (!entry) {
    const raw =
      params.source.kind === 'generated'
        ? generatedCatalog(params.source.size, params.source.seed)
        : params.source.catalog
    const loaded = loadProducts(raw, params.priceSeed)
    const wanted = params.searchEngine ?? 'auto'
    const engine: SearchEngine =
      wanted !== 'auto'
        ? wanted
        : loaded.products.length > AUTO_COMPACT_ABOVE
          ? 'compact'
          : 'minisearch'
    entry = { ...loaded, index: buildSearchIndex(loaded.products, engine) }
    catalogCache.set(catKey, entry)
  }
  const world: WebshopWorld = {
    ...entry,
    goals: buildGoals(entry, params.goals, params.priceSeed, params.shuffleSeed)
  }
  worldCache.set(worldKey, world)
  return world
}

/** Drops every cached world (tests and benchmarks that measure cold builds). */
export function clearWorldCache(): void {
  catalogCache.clear()
  worldCache.clear()
  rawCache.clear()
}
