// Port of WebShop's load_products and generate_product_prices (engine.py).

import { pyFloat } from './pyfmt'
import { createRng } from './rng'
import type { Product, RawCatalog } from './types'

export type LoadedProducts = {
  products: Product[]
  byAsin: Map<string, Product>
  /** The per-load price of each product (ranges drawn with the seeded RNG). */
  prices: Map<string, number>
}

export function loadProducts(catalog: RawCatalog, priceSeed: number): LoadedProducts {
  const products: Product[] = []
  const seen = new Set<string>()
  for (const p of catalog.products) {
    const asin = String(p.asin)
    if (asin === 'nan' || asin.length > 10 || seen.has(asin)) continue
    seen.add(asin)
    const { pricing, price } = parsePricing(p.pricing)
    const attrEntry = catalog.attributes[asin]
    products.push({
      asin,
      name: p.name,
      Title: p.name,
      Description: p.full_description ?? '',
      BulletPoints: Array.isArray(p.small_description)
        ? p.small_description
        : [p.small_description ?? ''],
      category: p.category,
      query: (p.query ?? '').toLowerCase().trim(),
      product_category: p.product_category ?? '',
      pricing,
      Price: price,
      options: parseOptions(p.customization_options),
      Attributes: attrEntry?.attributes ?? ['DUMMY_ATTR'],
      MainImage: p.images?.[0] ?? '',
      Rating: 'N.A.',
      instruction_text: attrEntry?.instruction ?? null,
      instruction_attributes: attrEntry?.instruction_attributes ?? null,
      human: catalog.human?.[asin] ?? null
    })
  }
  const byAsin = new Map(products.map((p) => [p.asin, p]))
  const rng = createRng(priceSeed)
  const prices = new Map<string, number>()
  for (const p of products) {
    const [lo = 100, hi] = p.pricing
    prices.set(p.asin, hi === undefined ? lo : rng.uniform(lo, hi))
  }
  return { products, byAsin, prices }
}

function parsePricing(pricing: string | null | undefined): { pricing: number[]; price: string } {
  if (!pricing) return { pricing: [100], price: '$100.0' }
  const values = pricing
    .split('$')
    .slice(1)
    .map((s) => Number.parseFloat(s.replace(/[^\d.]/g, '')))
    .filter((x) => Number.isFinite(x))
  if (values.length === 0) return { pricing: [100], price: '$100.0' }
  const [a = 100, b] = values
  if (b === undefined) return { pricing: [a], price: `$${pyFloat(a)}` }
  return { pricing: [a, b], price: `$${pyFloat(a)} to $${pyFloat(b)}` }
}

function parseOptions(
  raw: RawCatalog['products'][number]['customization_options']
): Record<string, string[]> {
  const options: Record<string, string[]> = {}
  if (!raw) return options
  for (const [name, contents] of Object.entries(raw)) {
    if (!contents) continue
    options[name.toLowerCase()] = contents.map((c) =>
      String(c.value).trim().replaceAll('/', ' | ').toLowerCase()
    )
  }
  return options
}
