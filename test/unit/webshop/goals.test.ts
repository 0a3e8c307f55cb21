import { describe, expect, it } from 'vitest'
import { buildGoals, splitRange, TEST_GOALS } from '../../../core/envs/webshop/goals'
import { loadProducts } from '../../../core/envs/webshop/products'
import { getWorld } from '../../../core/envs/webshop/dataset'
import type { Goal, RawCatalog } from '../../../core/envs/webshop/types'

const catalog: RawCatalog = {
  products: [
    {
      asin: 'B0SHIRT001',
      name: 'Van Heusen Dress Shirt',
      full_description: '',
      small_description: [],
      category: 'fashion',
      query: "men's dress shirts",
      product_category: 'Clothing › Men › Shirts',
      pricing: '$44.50',
      customization_options: {
        Size: [{ value: 'Large Tall' }, { value: 'Small' }],
        Color: [{ value: 'Deep Atlantic' }, { value: 'White' }, { value: 'Black' }]
      },
      images: ['']
    },
    {
      asin: 'B0EXPENSIV',
      name: 'Gold Watch',
      full_description: '',
      small_description: [],
      category: 'fashion',
      query: 'watches',
      product_category: 'Watches',
      pricing: '$975.00',
      images: ['']
    },
    {
      asin: 'B0NOINSTR1',
      name: 'No Instruction',
      full_description: '',
      small_description: [],
      category: 'garden',
      query: 'x',
      product_category: 'x',
      pricing: '$5.00',
      images: ['']
    }
  ],
  attributes: {
    B0SHIRT001: {
      attributes: ['machine wash', 'classic fit', 'cotton spandex'],
      instruction: "Find me machine wash men's dress shirts with cotton spandex, classic fit",
      instruction_attributes: ['machine wash', 'cotton spandex', 'classic fit']
    },
    B0EXPENSIV: {
      attributes: ['water resistant'],
      instruction: 'i want a gold watch',
      instruction_attributes: ['water resistant']
    },
    B0NOINSTR1: { attributes: ['x'], instruction: null, instruction_attributes: null }
  },
  human: {
    B0SHIRT001: [
      {
        instruction: 'I need a white dress shirt.',
        instruction_attributes: ['machine wash'],
        instruction_options: ['white', 'small']
      },
      { instruction: 'skipped: no attributes', instruction_attributes: [], instruction_options: [] }
    ]
  }
}

const all = (goals: ReturnType<typeof buildGoals>): Goal[] =>
  Array.from({ length: goals.size }, (_, i) => goals.goal(i))

describe('synthetic goals', () => {
  const loaded = loadProducts(catalog, 0)
  const goals = all(buildGoals(loaded, 'synthetic', 0, 233))

  it('makes one goal per option combination, option names sorted', () => {
    // shirt: 3 colours x 2 sizes = 6, watch (no options): 1, no-instruction product: 0
    expect(goals).toHaveLength(7)
    const shirt = goals.filter((g) => g.asin === 'B0SHIRT001')
    expect(shirt).toHaveLength(6)
    const one = shirt.find(
      (g) =>
        !Array.isArray(g.goal_options) &&
        g.goal_options.color === 'deep atlantic' &&
        g.goal_options.size === 'large tall'
    ) as Goal
    expect(one.instruction_text).toBe(
      `Find me machine wash men's dress shirts with cotton spandex, classic fit with color: deep atlantic, and size: large tall, and price lower than ${one.price_upper.toFixed(2)} dollars`
    )
    for (const g of shirt) {
      expect(Object.keys(g.goal_options)).toEqual(['color', 'size'])
      expect(g.name).toBe('Van Heusen Dress Shirt')
      expect(g.attributes).toEqual(['machine wash', 'cotton spandex', 'classic fit'])
    }
  })

  it('price clause: two of the first four PRICE_RANGE values above the price, the larger one', () => {
    const shirt = goals.find((g) => g.asin === 'B0SHIRT001') as Goal
    // price 44.5 -> candidates [50, 60, 70, 80]; the upper of a 2-sample is 60, 70 or 80
    expect([60, 70, 80]).toContain(shirt.price_upper)
    expect(
      shirt.instruction_text.endsWith(
        `, and price lower than ${shirt.price_upper.toFixed(2)} dollars`
      )
    ).toBe(true)
    // price 975 -> only [980, 990] -> always 990
    const watch = goals.find((g) => g.asin === 'B0EXPENSIV') as Goal
    expect(watch.price_upper).toBe(990)
    expect(watch.instruction_text).toBe('i want a gold watch, and price lower than 990.00 dollars')
  })

  it('weight = mean over attributes of 1 / count(attribute)', () => {
    const shirt = goals.find((g) => g.asin === 'B0SHIRT001') as Goal
    expect(shirt.weight).toBeCloseTo(1 / 6, 12)
    expect((goals.find((g) => g.asin === 'B0EXPENSIV') as Goal).weight).toBe(1)
  })

  it('no price clause when fewer than two range values lie above the price', () => {
    const cheap = loadProducts(
      { ...catalog, products: [{ ...catalog.products[1]!, pricing: '$985.00' }] },
      0
    )
    const g = buildGoals(cheap, 'synthetic', 0, 233).goal(0)
    expect(g.price_upper).toBe(1000000)
    expect(g.instruction_text).toBe('i want a gold watch')
  })

  it('the shuffle is seeded', () => {
    const order = (seed: number) =>
      all(buildGoals(loaded, 'synthetic', 0, seed)).map((g) => g.instruction_text)
    expect(order(233)).toEqual(order(233))
    expect(order(233)).not.toEqual(order(1))
  })
})

describe('human goals', () => {
  it('strips the trailing period, keeps the option list, weight 1, skips goals without attributes', () => {
    const goals = all(buildGoals(loadProducts(catalog, 0), 'human', 0, 233))
    expect(goals).toHaveLength(1)
    const g = goals[0] as Goal
    expect(g.instruction_text).toMatch(
      /^I need a white dress shirt, and price lower than \d+\.00 dollars$/
    )
    expect(g.goal_options).toEqual(['white', 'small'])
    expect(g.weight).toBe(1)
  })
})

describe('splits', () => {
  it('test = the first 500 goals, train = the rest', () => {
    const world = getWorld({
      source: { kind: 'generated', size: 1000, seed: 20220701 },
      goals: 'synthetic',
      priceSeed: 0,
      shuffleSeed: 233
    })
    expect(world.goals.size).toBeGreaterThan(5000)
    expect(splitRange(world.goals, 'test')).toEqual([0, TEST_GOALS])
    expect(splitRange(world.goals, 'train')).toEqual([TEST_GOALS, world.goals.size])
  })

  it('the generated catalog has human goals for both splits', () => {
    const world = getWorld({
      source: { kind: 'generated', size: 1000, seed: 20220701 },
      goals: 'human',
      priceSeed: 0,
      shuffleSeed: 233
    })
    const [start, end] = splitRange(world.goals, 'train')
    expect(end - start).toBeGreaterThan(100)
    expect(Array.isArray(world.goals.goal(start).goal_options)).toBe(true)
  })
})
