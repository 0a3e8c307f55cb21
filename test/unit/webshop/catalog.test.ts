import { describe, expect, it } from 'vitest'
import { generateCatalog } from '../../../core/envs/webshop/generate'
import { loadProducts } from '../../../core/envs/webshop/products'
import type { RawCatalog, RawProduct } from '../../../core/envs/webshop/types'

const raw = (over: Partial<RawProduct>): RawProduct => ({
  asin: 'B0TEST0001',
  name: 'Thing',
  full_description: 'desc',
  small_description: 'one bullet',
  category: 'garden',
  query: ' Garden Hose ',
  product_category: 'A › B',
  pricing: '$12.99',
  customization_options: null,
  images: ['img.jpg'],
  ...over
})

describe('generated catalog', () => {
  const cat = generateCatalog({ size: 1000 })

  it('is deterministic and has the items_shuffle / items_ins_v2 record shapes', () => {
    const again = generateCatalog({ size: 1000 })
    expect(JSON.stringify(again)).toBe(JSON.stringify(cat))
    expect(cat.products).toHaveLength(1000)
    expect(new Set(cat.products.map((p) => p.asin)).size).toBe(1000)
    for (const p of cat.products.slice(0, 50)) {
      expect(p.asin).toMatch(/^B0[0-9A-Z]{8}$/)
      expect(p.pricing).toMatch(/^\$\d+\.\d\d(\$\d+\.\d\d)?$/)
      expect(p.product_category.split(' › ').length).toBeGreaterThanOrEqual(3)
      expect(Array.isArray(p.small_description)).toBe(true)
      expect(p.images.length).toBe(1)
      const attr = cat.attributes[p.asin]
      expect(attr?.attributes?.length).toBeGreaterThanOrEqual(3)
      for (const a of attr?.instruction_attributes ?? []) expect(attr?.attributes).toContain(a)
    }
    expect(Object.keys(cat.human ?? {}).length).toBeGreaterThan(200)
  })

  it('a different seed gives a different catalog', () => {
    expect(generateCatalog({ size: 20, seed: 1 }).products[0]?.asin).not.toBe(
      generateCatalog({ size: 20, seed: 2 }).products[0]?.asin
    )
  })
})

describe('load_products', () => {
  const catalog: RawCatalog = {
    products: [
      raw({
        customization_options: {
          Color: [{ value: 'Black/White ' }, { value: 'Navy' }],
          Size: null
        }
      }),
      raw({ asin: 'nan' }),
      raw({ asin: 'B0TOOLONG001' }),
      raw({ name: 'duplicate' }),
      raw({ asin: 'B0TEST0002', pricing: '$10.71$18.34', small_description: ['a', 'b'] }),
      raw({ asin: 'B0TEST0003', pricing: '' }),
      raw({ asin: 'B0TEST0004', pricing: '$1,299.00' })
    ],
    attributes: {
      B0TEST0001: {
        attributes: ['long lasting'],
        instruction: 'i want a thing',
        instruction_attributes: ['long lasting']
      }
    }
  }

  it('skips nan / long / duplicate asins and maps the fields as WebShop does', () => {
    const { products, prices } = loadProducts(catalog, 0)
    expect(products.map((p) => p.asin)).toEqual([
      'B0TEST0001',
      'B0TEST0002',
      'B0TEST0003',
      'B0TEST0004'
    ])
    const [a, b, c, d] = products
    expect(a?.Title).toBe('Thing')
    expect(a?.name).toBe('Thing')
    expect(a?.query).toBe('garden hose')
    expect(a?.BulletPoints).toEqual(['one bullet'])
    expect(a?.options).toEqual({ color: ['black | white', 'navy'] })
    expect(a?.Attributes).toEqual(['long lasting'])
    expect(a?.instruction_text).toBe('i want a thing')
    expect(a?.Price).toBe('$12.99')
    expect(b?.Attributes).toEqual(['DUMMY_ATTR'])
    expect(b?.Price).toBe('$10.71 to $18.34')
    expect(b?.pricing).toEqual([10.71, 18.34])
    expect(c?.Price).toBe('$100.0')
    expect(c?.pricing).toEqual([100])
    expect(d?.Price).toBe('$1299.0')
    expect(prices.get('B0TEST0001')).toBe(12.99)
    const ranged = prices.get('B0TEST0002') as number
    expect(ranged).toBeGreaterThanOrEqual(10.71)
    expect(ranged).toBeLessThanOrEqual(18.34)
  })

  it('draws ranged prices from the seeded RNG: same seed same prices', () => {
    const p1 = loadProducts(catalog, 7).prices.get('B0TEST0002')
    const p2 = loadProducts(catalog, 7).prices.get('B0TEST0002')
    const p3 = loadProducts(catalog, 8).prices.get('B0TEST0002')
    expect(p1).toBe(p2)
    expect(p3).not.toBe(p1)
  })
})
