// A loaded WebShop world (products, per-load prices, BM25 index, shuffled goals), cached per
// process so env instances share one copy.

import { generateCatalog } from './generate'
import { buildGoals, type GoalSet } from './goals'
import { loadProducts, type LoadedProducts } from './products'
import { buildSearchIndex, type SearchIndex } from './search'
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
}

type CatalogEntry = LoadedProducts & { index: SearchIndex }

const catalogCache = new Map<string, CatalogEntry>()
const worldCache = new Map<string, WebshopWorld>()
const rawCache = new Map<string, RawCatalog>()

export function sourceKey(source: WorldSource): string {
  return source.kind === 'generated' ? `gen:${source.size}:${source.seed}` : `data:${source.key}`
}

export function generatedCatalog(size: number, seed: number): RawCatalog {
  const key = `${size}:${seed}`
  let raw = rawCache.get(key)
  if (!raw) {
    raw = generateCatalog({ size, seed })
    rawCache.set(key, raw)
  }
  return raw
}

export function getWorld(params: WorldParams): WebshopWorld {
  const catKey = `${sourceKey(params.source)}|price:${params.priceSeed}`
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
    entry = { ...loaded, index: buildSearchIndex(loaded.products) }
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
