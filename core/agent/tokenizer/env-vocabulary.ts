// The tokenizer of an experiment: words from the environments' data tables and grammars, from
// seeded episodes of each environment, and from any extra texts (loaded real data, prompt text).
import { createAlfworldEnv, defaultGrammar } from '../../envs/alfworld'
import { OBJECT_RECEPTACLES, ROOM_OBJECTS, ROOM_RECEPTACLES } from '../../envs/alfworld/vocab'
import type { AlfworldGameData } from '../../envs/alfworld/env'
import type { Env, EnvKind } from '../../envs/env'
import { createSokobanEnv } from '../../envs/sokoban'
import { createWebshopEnv, webshopOptionsSchema, type RawCatalog } from '../../envs/webshop'
import { generatedCatalog } from '../../envs/webshop/dataset'
import { envTexts, seedRange } from './env-texts'
import { createTokenizer, type Tokenizer } from './tokenizer'
import { addText, emptyInventory, vocabularyTokens } from './vocabulary'

export const ENV_KINDS: readonly EnvKind[] = ['sokoban', 'alfworld', 'webshop']

export type EnvTokenizerOptions = {
  /** Environments whose words are included; default all three. */
  envs?: readonly EnvKind[]
  /** Episodes played per environment (seeds 0…n−1, default options, train split); default 200. */
  episodes?: number
  /** More texts, e.g. alfworldGameTexts / webshopCatalogTexts of loaded real data. */
  extraTexts?: Iterable<string>
  /** Minimum count of a word over all texts; default 1. */
  minCount?: number
}

/** What a tokenizer was built from (stored next to it; not part of its hash). */
export type TokenizerSources = {
  envs: EnvKind[]
  episodes: number
  extraTexts: number
  minCount: number
}

/** The environment with the options the vocabulary is built on (and OOV is measured on). */
export function defaultEnv(kind: EnvKind): Env {
  switch (kind) {
    case 'sokoban':
      return createSokobanEnv({})
    case 'alfworld':
      return createAlfworldEnv({})
    case 'webshop':
      return createWebshopEnv({})
  }
}

function* strings(value: unknown, skipKeys: ReadonlySet<string>): Generator<string> {
  if (typeof value === 'string') yield value
  else if (Array.isArray(value)) for (const v of value) yield* strings(v, skipKeys)
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (skipKeys.has(k)) continue
      yield k
      yield* strings(v, skipKeys)
    }
  }
}

/** Every text of a WebShop catalog (products, attributes, instructions), image URLs and ASINs left out. */
export function webshopCatalogTexts(catalog: RawCatalog): string[] {
  const skip = new Set(['images', 'asin'])
  return [
    ...catalog.products.flatMap((p) => [...strings(p, skip)]),
    ...Object.values(catalog.attributes).flatMap((a) => [...strings(a, skip)]),
    ...Object.values(catalog.human ?? {}).flatMap((h) => [...strings(h, skip)])
  ]
}

/** The texts of one seeded episode per loaded ALFWorld game (e.g. from --alfworld-data). */
export function alfworldGameTexts(games: readonly AlfworldGameData[]): string[] {
  const env = createAlfworldEnv({ source: 'files', taskTypes: [] }, games)
  return [...envTexts(env, seedRange(0, games.length))].map((t) => t.text)
}

/** Fixed texts of an environment's code: ALFWorld classes and both grammars, the default WebShop catalog. */
export function envTableTexts(kind: EnvKind): string[] {
  switch (kind) {
    case 'sokoban':
      return []
    case 'alfworld': {
      const classes = [
        ...Object.entries(OBJECT_RECEPTACLES).flat(2),
        ...Object.values(ROOM_RECEPTACLES).flatMap((specs) => specs.map((s) => s[0])),
        ...Object.values(ROOM_OBJECTS).flat()
      ]
      const grammars = (['current', 'legacy'] as const).flatMap((v) => [
        ...strings(defaultGrammar(v), new Set())
      ])
      return [...classes, ...grammars]
    }
    case 'webshop': {
      const { catalogSize, catalogSeed } = webshopOptionsSchema.parse({})
      return webshopCatalogTexts(generatedCatalog(catalogSize, catalogSeed))
    }
  }
}

/** Builds the closed-vocabulary tokenizer deterministically from the options. */
export function buildEnvTokenizer(options: EnvTokenizerOptions = {}): {
  tokenizer: Tokenizer
  sources: TokenizerSources
} {
  const envs = [...(options.envs ?? ENV_KINDS)]
  const episodes = options.episodes ?? 200
  const minCount = options.minCount ?? 1
  const inventory = emptyInventory()
  for (const kind of envs) {
    for (const text of envTableTexts(kind)) addText(inventory, text)
    for (const t of envTexts(defaultEnv(kind), seedRange(0, episodes))) addText(inventory, t.text)
  }
  let extraTexts = 0
  for (const text of options.extraTexts ?? []) {
    addText(inventory, text)
    extraTexts++
  }
  return {
    tokenizer: createTokenizer(vocabularyTokens(inventory, minCount)),
    sources: { envs, episodes, extraTexts, minCount }
  }
}
