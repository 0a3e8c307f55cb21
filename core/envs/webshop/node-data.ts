// Node-only: read and write the original WebShop data files (items_shuffle*.json,
// items_ins_v2*.json, items_human_ins.json).

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import type { RawAttributeFile, RawCatalog, RawHumanFile, RawProduct } from './types'

export const SMALL_FILES = {
  products: 'items_shuffle_1000.json',
  attributes: 'items_ins_v2_1000.json'
}
export const FULL_FILES = { products: 'items_shuffle.json', attributes: 'items_ins_v2.json' }
export const HUMAN_FILE = 'items_human_ins.json'

export type LoadedWebshopData = {
  /** Cache key: the resolved folder and the files read. */
  key: string
  catalog: RawCatalog
  files: string[]
}

const loadedCache = new Map<string, LoadedWebshopData>()

/** Reads a WebShop data folder; prefers the *_1000 files when `small` (verl-agent use_small). */
export function loadWebshopData(dir: string, options: { small?: boolean } = {}): LoadedWebshopData {
  const root = resolve(dir)
  const small = options.small ?? true
  const order = small ? [SMALL_FILES, FULL_FILES] : [FULL_FILES, SMALL_FILES]
  const pick = (name: 'products' | 'attributes'): string => {
    for (const set of order) {
      const path = join(root, set[name])
      if (existsSync(path)) return path
    }
    throw new Error(
      `WebShop data: ${root} has neither ${SMALL_FILES[name]} nor ${FULL_FILES[name]}`
    )
  }
  const productsPath = pick('products')
  const attributesPath = pick('attributes')
  const humanPath = join(root, HUMAN_FILE)
  const files = [productsPath, attributesPath, ...(existsSync(humanPath) ? [humanPath] : [])]
  // Size and mtime in the key so that rewritten files are read again.
  const key = files
    .map((f) => {
      const st = statSync(f)
      return `${f}:${st.size}:${st.mtimeMs}`
    })
    .join('|')
  const cached = loadedCache.get(key)
  if (cached) return cached
  const products = readJson(productsPath)
  if (!Array.isArray(products)) throw new Error(`WebShop data: ${productsPath} is not a JSON array`)
  const attributes = readJson(attributesPath)
  if (!isRecord(attributes)) throw new Error(`WebShop data: ${attributesPath} is not a JSON object`)
  const catalog: RawCatalog = {
    products: products.filter(isRawProduct),
    attributes: validEntries(attributes, attributeEntrySchema) as RawAttributeFile
  }
  if (existsSync(humanPath)) {
    const human = readJson(humanPath)
    if (!isRecord(human)) throw new Error(`WebShop data: ${humanPath} is not a JSON object`)
    catalog.human = validEntries(human, humanEntrySchema) as RawHumanFile
  }
  const loaded = { key, catalog, files }
  loadedCache.set(key, loaded)
  return loaded
}

/** Writes a catalog in the original file format; returns the paths written. */
export function writeWebshopData(
  dir: string,
  catalog: RawCatalog,
  human: RawHumanFile | undefined = catalog.human,
  options: { small?: boolean } = {}
): string[] {
  mkdirSync(dir, { recursive: true })
  const names = (options.small ?? true) ? SMALL_FILES : FULL_FILES
  const written = [join(dir, names.products), join(dir, names.attributes)]
  writeFileSync(written[0] as string, JSON.stringify(catalog.products))
  writeFileSync(written[1] as string, JSON.stringify(catalog.attributes))
  if (human) {
    const path = join(dir, HUMAN_FILE)
    writeFileSync(path, JSON.stringify(human))
    written.push(path)
  }
  return written
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`WebShop data: cannot parse ${path}: ${(err as Error).message}`, { cause: err })
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

/**
 * The fields the engine reads, with the types it reads them as; other fields pass through. Records
 * that do not fit (WebShop would crash on them: no asin / name / images, a number for a text) are
 * skipped, as are attribute and human-instruction entries that do not fit.
 */
const rawProductSchema = z.looseObject({
  asin: z.string(),
  name: z.string(),
  images: z.array(z.string()),
  category: z.string(),
  query: z.string(),
  full_description: z.string().nullish(),
  small_description: z.union([z.array(z.string()), z.string()]).nullish(),
  product_category: z.string().nullish(),
  pricing: z.string().nullish(),
  customization_options: z
    .record(z.string(), z.array(z.looseObject({ value: z.unknown() })).nullable())
    .nullish()
})

const attributeEntrySchema = z.looseObject({
  attributes: z.array(z.string()).optional(),
  instruction: z.string().nullish(),
  instruction_attributes: z.array(z.string()).nullish()
})

const humanEntrySchema = z.array(
  z.looseObject({
    instruction: z.string(),
    instruction_attributes: z.array(z.string()),
    instruction_options: z.array(z.string())
  })
)

function isRawProduct(x: unknown): x is RawProduct {
  return rawProductSchema.safeParse(x).success
}

function validEntries(file: Record<string, unknown>, schema: z.ZodType): Record<string, unknown> {
  return Object.fromEntries(Object.entries(file).filter(([, v]) => schema.safeParse(v).success))
}
