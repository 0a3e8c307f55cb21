// Public API of the WebShop environment. This module pulls in node-only files (node-data, bench);
// code that must also run in the renderer imports './env' (createWebshopEnvFromSource) instead.

import { createWebshopEnvFromSource, type WebshopEnv } from './env'
import { loadWebshopData } from './node-data'
import { webshopOptionsSchema, type WebshopOptionsInput } from './options'

/** WebShop env; with `dataDir` it reads the original files (node only), else the generated catalog. */
export function createWebshopEnv(options: WebshopOptionsInput = {}): WebshopEnv {
  const parsed = webshopOptionsSchema.parse(options)
  if (parsed.dataDir === undefined) return createWebshopEnvFromSource(parsed)
  const data = loadWebshopData(parsed.dataDir, { small: parsed.small })
  return createWebshopEnvFromSource(parsed, { kind: 'data', key: data.key, catalog: data.catalog })
}

export { createWebshopEnvFromSource, type WebshopEnv, type WebshopView } from './env'
export { webshopOptionsSchema, type WebshopOptions, type WebshopOptionsInput } from './options'
export { loadWebshopData, writeWebshopData, type LoadedWebshopData } from './node-data'
export { benchWebshop, type WebshopBenchOptions, type WebshopBenchResult } from './bench'
export { generateCatalog, DEFAULT_CATALOG_SEED, type GenerateOptions } from './generate'
export { getWorld, clearWorldCache, type WebshopWorld, type WorldSource } from './dataset'
export { getReward, tokenSetRatio, type RewardInfo } from './reward'
export { normalizeColor, COLOR_SET } from './normalize'
export { parseAction, WebshopSession } from './engine'
export {
  formatObservation,
  availableActions,
  formatAvailableActions,
  SEARCH_PLACEHOLDER
} from './format'
export { planExpert, expertQuery } from './expert'
export { buildGoals, splitRange, TEST_GOALS, PRICE_RANGE, type GoalSet, type Split } from './goals'
export type {
  Goal,
  Product,
  RawCatalog,
  RawProduct,
  RawAttributeFile,
  RawHumanFile,
  GoalSource
} from './types'
