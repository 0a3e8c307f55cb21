// Node-only benchmark: build time, steps/s of random play incl. searches, searches/s and the
// heap held by a catalog (products + prices + BM25 index + goal refs).

import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { clearWorldCache, getWorld } from './dataset'
import { DEFAULT_CATALOG_SEED } from './generate'
import { createWebshopEnvFromSource } from './env'
import { createRng } from './rng'
import { expertQuery } from './expert'

export type WebshopBenchOptions = {
  catalogSize?: number
  /** Env steps of random play to time. */
  steps?: number
  /** Raw BM25 queries to time. */
  searches?: number
  seed?: number
  searchEngine?: 'auto' | 'minisearch' | 'compact'
}

export type WebshopBenchResult = {
  catalogSize: number
  buildMs: number
  catalogBytes: number
  stepsPerSec: number
  searchesPerSec: number
  goals: number
}

export function benchWebshop(options: WebshopBenchOptions = {}): WebshopBenchResult {
  const catalogSize = options.catalogSize ?? 1000
  const steps = options.steps ?? 2000
  const searches = options.searches ?? 300
  const rng = createRng(options.seed ?? 0)
  const gc = exposeGc()

  clearWorldCache()
  gc()
  const before = process.memoryUsage().heapUsed
  const t0 = performance.now()
  const world = getWorld({
    source: { kind: 'generated', size: catalogSize, seed: DEFAULT_CATALOG_SEED },
    goals: 'synthetic',
    priceSeed: 0,
    shuffleSeed: 233,
    searchEngine: options.searchEngine ?? 'auto'
  })
  const buildMs = performance.now() - t0
  gc()
  const catalogBytes = Math.max(0, process.memoryUsage().heapUsed - before)

  const queries = Array.from({ length: searches }, () =>
    expertQuery(world.goals.goal(rng.int(world.goals.size)))
  )
  const t1 = performance.now()
  for (const q of queries) world.index.searchUncached(q)
  const searchesPerSec = searches / ((performance.now() - t1) / 1000)

  const env = createWebshopEnvFromSource({
    catalogSize,
    split: 'train',
    searchEngine: options.searchEngine ?? 'auto'
  })
  let episode = 0
  env.reset(episode)
  const t2 = performance.now()
  for (let i = 0; i < steps; i++) {
    const session = env.session
    const page = session?.state.page.name
    let action: string
    if (page === 'search' || rng.next() < 0.1) {
      // a random goal's query, so that the LRU search cache rarely answers
      action = `search[${expertQuery(world.goals.goal(rng.int(world.goals.size)))}]`
    } else {
      const clicks = env.session ? [...env.session.state.page.clickables.keys()] : []
      action = clicks.length > 0 ? `click[${rng.pick(clicks)}]` : 'click[buy now]'
    }
    const out = env.step(action)
    if (out.done) env.reset(++episode)
  }
  const stepsPerSec = steps / ((performance.now() - t2) / 1000)
  return {
    catalogSize,
    buildMs,
    catalogBytes,
    stepsPerSec,
    searchesPerSec,
    goals: world.goals.size
  }
}

function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc
  if (existing) return existing
  try {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as unknown
    if (typeof gc === 'function') return gc as () => void
  } catch {
    // Heap numbers are then only approximate.
  }
  return () => {}
}
