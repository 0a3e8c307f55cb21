// Deterministic generator of a WebShop-shaped catalog: items_shuffle-style product records, the
// items_ins_v2-style attribute/instruction file and an items_human_ins-style file.

import { normalizeColor } from './normalize'
import { createRng, type Rng } from './rng'
import type { RawAttributeFile, RawCatalog, RawHumanFile, RawProduct } from './types'
import {
  DESCRIPTION_TEMPLATES,
  FEATURE_TEMPLATES,
  INSTRUCTION_OPENERS,
  PRODUCT_TYPES,
  type ProductTypeSpec
} from './vocab'

export type GenerateOptions = {
  /** Number of products. */
  size: number
  seed?: number
  /** Fraction of products with a human instruction (items_human_ins.json). */
  humanFraction?: number
}

export const DEFAULT_CATALOG_SEED = 20220701

export function generateCatalog(options: GenerateOptions): RawCatalog {
  const rng = createRng(options.seed ?? DEFAULT_CATALOG_SEED)
  const humanFraction = options.humanFraction ?? 0.6
  const products: RawProduct[] = []
  const attributes: RawAttributeFile = {}
  const human: RawHumanFile = {}
  const asins = new Set<string>()
  for (let i = 0; i < options.size; i++) {
    const spec = rng.pick(PRODUCT_TYPES)
    let asin = makeAsin(rng)
    while (asins.has(asin)) asin = makeAsin(rng)
    asins.add(asin)
    const made = makeProduct(rng, spec, asin)
    products.push(made.product)
    attributes[asin] = {
      attributes: made.attributes,
      // A few products carry no instruction, as in the scrape; they yield no synthetic goal.
      instruction: rng.next() < 0.03 ? null : made.instruction,
      instruction_attributes: made.instructionAttributes
    }
    if (rng.next() < humanFraction) {
      const count = 1 + rng.int(2)
      human[asin] = Array.from({ length: count }, () => makeHumanInstruction(rng, spec, made))
    }
  }
  return { products, attributes, human }
}

type Made = {
  product: RawProduct
  attributes: string[]
  instruction: string
  instructionAttributes: string[]
  options: Record<string, string[]>
}

function makeProduct(rng: Rng, spec: ProductTypeSpec, asin: string): Made {
  const brand = rng.pick(spec.brands)
  const descriptor = rng.pick(spec.descriptors)
  const attrs = rng.sample(spec.attributes, 3 + rng.int(3))
  const [a = '', b = '', c = ''] = attrs
  const use = rng.pick(spec.uses)
  const title = `${brand} ${descriptor} ${titleCase(spec.noun)}, ${titleCase(a)} ${titleCase(b)}${
    rng.next() < 0.5 ? ` - ${titleCase(c || use)}` : ''
  }`
  const fill = (t: string): string =>
    t
      .replaceAll('{A}', capitalise(a))
      .replaceAll('{B}', capitalise(b))
      .replaceAll('{a}', a)
      .replaceAll('{b}', b)
      .replaceAll('{use}', use)
      .replaceAll('{noun}', spec.noun)
      .replaceAll('{brand}', brand)
  const bullets = rng.sample(FEATURE_TEMPLATES, 3 + rng.int(3)).map(fill)
  const description = rng
    .sample(DESCRIPTION_TEMPLATES, 2 + rng.int(3))
    .map(fill)
    .join(' ')

  const options = makeOptions(rng, spec)
  const customization: NonNullable<RawProduct['customization_options']> = {}
  for (const [name, values] of Object.entries(options)) {
    customization[titleCase(name)] = values.map((value) => ({
      value: titleCase(value),
      image: null
    }))
  }

  const [lo, hi] = spec.price
  const base = round2(lo + (hi - lo) * rng.next())
  const pricing =
    rng.next() < 0.35
      ? `$${base.toFixed(2)}$${round2(base * (1.1 + rng.next())).toFixed(2)}`
      : `$${base.toFixed(2)}`

  const instructionAttributes = rng.sample(attrs, 1 + rng.int(Math.min(3, attrs.length)))
  const [first = '', ...rest] = instructionAttributes
  const instruction = `${rng.pick(INSTRUCTION_OPENERS)} ${first} ${spec.plural}${
    rest.length > 0 ? ` with ${rest.join(', ')}` : ''
  }`

  const product: RawProduct = {
    asin,
    name: title,
    full_description: description,
    small_description: bullets,
    category: spec.category,
    query: spec.query,
    product_category: spec.path.join(' › '),
    pricing,
    customization_options: Object.keys(customization).length > 0 ? customization : null,
    images: [`https://m.media-amazon.com/images/I/${asin.toLowerCase()}.jpg`],
    average_rating: round1(3 + 2 * rng.next())
  }
  return { product, attributes: attrs, instruction, instructionAttributes, options }
}

/** 0–2 option groups with 2–5 values; values never collide across groups. */
function makeOptions(rng: Rng, spec: ProductTypeSpec): Record<string, string[]> {
  const names = Object.keys(spec.options)
  const roll = rng.next()
  const count = roll < 0.12 ? 0 : roll < 0.45 ? 1 : Math.min(2, names.length)
  const chosen = rng.sample(names, count).sort()
  const seen = new Set<string>()
  const out: Record<string, string[]> = {}
  for (const name of chosen) {
    const pool = (spec.options[name] ?? []).filter((v) => !seen.has(v) && colorSafe(v))
    const values = rng.sample(pool, Math.min(pool.length, 2 + rng.int(4)))
    if (values.length === 0) continue
    values.forEach((v) => seen.add(v))
    out[name] = values
  }
  return out
}

/** Keep values whose colour normalisation lands on one of their own words (see normalize.ts). */
function colorSafe(value: string): boolean {
  const norm = normalizeColor(value)
  return norm === value || value.split(/[^a-z0-9]+/).includes(norm)
}

function makeHumanInstruction(
  rng: Rng,
  spec: ProductTypeSpec,
  made: Made
): RawHumanFile[string][number] {
  const attrs = rng.sample(made.attributes, 1 + rng.int(2))
  const chosen = Object.entries(made.options).map(([, values]) => rng.pick(values))
  const optionText = chosen.length > 0 ? ` in ${chosen.join(' and ')}` : ''
  const instruction = `${capitalise(rng.pick(INSTRUCTION_OPENERS))} a ${attrs.join(' and ')} ${spec.noun}${optionText}.`
  return { instruction, instruction_attributes: attrs, instruction_options: chosen }
}

function makeAsin(rng: Rng): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  let s = 'B0'
  for (let i = 0; i < 8; i++) s += chars[rng.int(chars.length)]
  return s
}

function titleCase(s: string): string {
  return s.replace(/(^|[\s-])([a-z])/g, (_m, pre: string, ch: string) => pre + ch.toUpperCase())
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}
