// Options of the WebShop env (validated at the CLI / config boundary).

import { z } from 'zod'
import { DEFAULT_CATALOG_SEED } from './generate'

export const webshopOptionsSchema = z.object({
  /** verl-agent split: test = goals[0:500], train = goals[500:]. */
  split: z.enum(['train', 'test']).default('train'),
  /** Synthetic goals (verl-agent default) or the human instructions. */
  goals: z.enum(['synthetic', 'human']).default('synthetic'),
  /** Size of the generated catalog (ignored when dataDir is set). */
  catalogSize: z.number().int().min(1).max(2_000_000).default(1000),
  catalogSeed: z.number().int().default(DEFAULT_CATALOG_SEED),
  /** Folder with the original WebShop files (node only). */
  dataDir: z.string().min(1).optional(),
  /** With dataDir: prefer the *_1000 files (verl-agent use_small). */
  small: z.boolean().default(true),
  /** Counted steps before done is forced (verl-agent / HiMAC use 15). */
  maxSteps: z.number().int().positive().default(15),
  /** Seed of the per-load price draws (ranged prices) and of the price clauses. */
  priceSeed: z.number().int().default(0),
  /** Seed of the goal shuffle (WebShop uses 233). */
  shuffleSeed: z.number().int().default(233),
  /** BM25 engine: MiniSearch, the compact typed-array index, or 'auto' (compact above 20k products). */
  searchEngine: z.enum(['auto', 'minisearch', 'compact']).default('auto'),
  /** 'verl': the quoted parts after the instruction (format_obs); 'raw': the [SEP] page text. */
  observation: z.enum(['verl', 'raw']).default('verl'),
  /** 'score': the raw WebShop reward in [0, 1]; 'verl': 10 iff the purchase scores 1.0. */
  reward: z.enum(['score', 'verl']).default('score')
})

export type WebshopOptions = z.output<typeof webshopOptionsSchema>
export type WebshopOptionsInput = z.input<typeof webshopOptionsSchema>
