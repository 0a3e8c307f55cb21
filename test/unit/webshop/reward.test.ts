import { describe, expect, it } from 'vitest'
import { normalizeColor, normalizeGoalOptionTuple } from '../../../core/envs/webshop/normalize'
import { getReward, optionMatches, typeReward } from '../../../core/envs/webshop/reward'
import { goal, product } from './helpers'

describe('normalize_color', () => {
  it('returns the first COLOR_SET entry that is a substring', () => {
    // WebShop's own test suite for normalize_color
    expect(normalizeColor('')).toBe('')
    expect(normalizeColor('black forest')).toBe('black')
    expect(normalizeColor('violet lavender')).toBe('lavender')
    expect(normalizeColor('steelivy fuchsia')).toBe('fuchsia')
    expect(normalizeColor('123alabaster')).toBe('alabaster')
    expect(normalizeColor('webshop')).toBe('webshop')
    expect(normalizeColor('natural blonde')).toBe('natural')
    expect(normalizeColor('wash')).toBe('ash')
  })

  it('treats a synthetic goal option as a (name, value) tuple', () => {
    expect(normalizeGoalOptionTuple('color', 'black')).toBe('black')
    expect(normalizeGoalOptionTuple('color', 'deep atlantic')).toBe('color deep atlantic')
    expect(normalizeGoalOptionTuple('color', 'natural blonde')).toBe('color natural blonde')
  })
})

describe('get_reward', () => {
  it('gives 1.0 for the goal product with the goal options under the price', () => {
    const r = getReward(product(), goal(), 20, { color: 'blue', size: 'large' })
    expect(r.reward).toBe(1)
    expect(r.info).toMatchObject({ r_type: 1, r_att: 1, r_option: 1, r_price: 1, title_score: 1 })
  })

  it('counts attributes, options and price over |A| + |O| + 1', () => {
    // attrs: cotton (Attributes) + "summer days" (description substring) + "silk" (no) = 2 of 3;
    // options: blue yes, size missing = 1 of 2; price 40 > 30 -> 0. (2 + 1 + 0) / 6
    const g = goal({ attributes: ['cotton', 'summer days', 'silk'] })
    const r = getReward(product(), g, 40, { color: 'blue' })
    expect(r.reward).toBeCloseTo(3 / 6, 12)
    expect(r.info.w_att).toBeCloseTo(3 / 6, 12)
    expect(r.info.w_option).toBeCloseTo(2 / 6, 12)
    expect(r.info.r_price).toBe(0)
  })

  it('a price equal to the budget is within it (price <= price_upper)', () => {
    const g = goal({ price_upper: 30 })
    const atBudget = getReward(product(), g, 30, { color: 'blue', size: 'large' })
    expect(atBudget.info.r_price).toBe(1)
    expect(atBudget.reward).toBe(1)
    const justOver = getReward(product(), g, 30.01, { color: 'blue', size: 'large' })
    expect(justOver.info.r_price).toBe(0)
    expect(justOver.reward).toBeLessThan(1)
  })

  it('matches attributes with token_set_ratio > 85', () => {
    // "machine washable" vs "machine wash" scores 86 -> match
    const p = product({ Attributes: ['machine washable'], Description: '', BulletPoints: [] })
    const r = getReward(p, goal({ attributes: ['machine wash'], goal_options: {} }), 10, {})
    expect(r.reward).toBe(1)
    // "cotton blend" vs "cotton spandex": no fuzzy match and not a substring of the text
    const r2 = getReward(p, goal({ attributes: ['cotton spandex'], goal_options: {} }), 10, {})
    expect(r2.reward).toBeCloseTo(1 / 2, 12)
  })

  it('lenient tuple quirk: a purchased value inside the goal token bag matches', () => {
    // purchased "natural blonde" -> "natural"; goal -> "color natural blonde"; subset -> 100
    expect(optionMatches({ color: 'natural blonde' }, { color: 'natural blonde' })).toBe(1)
    // a purchased "x-large" does not match a goal size "large" (83 < 86)
    expect(optionMatches({ size: 'x-large' }, { size: 'large' })).toBe(0)
    // "washed blue" normalises to "ash", which is no token of the goal -> no match
    expect(optionMatches({ color: 'washed blue' }, { color: 'washed blue' })).toBe(0)
  })

  it('human goals list plain values, normalised with normalize_color', () => {
    expect(optionMatches({ color: 'navy blue', size: 'large' }, ['blue', 'large'])).toBe(2)
    expect(optionMatches({ color: 'red' }, ['blue'])).toBe(0)
  })

  it('r_type: 0.5 without query/category match and title score <= 0.2', () => {
    // goal nouns: blue, cotton, shirt, collar, pocket (5); shared: shirt -> 0.2
    const g = goal({
      name: 'Blue Cotton Shirt Collar Pocket',
      query: 'other',
      product_category: 'A › B › C'
    })
    const p = product({ name: 'Red Wool Shirt' })
    const t = typeReward(p, g)
    expect(t.titleScore).toBeCloseTo(0.2, 12)
    expect(t.rType).toBe(0.5)
  })

  it('r_type: 0.1 below title score 0.1 and 0 when no noun is shared', () => {
    const g = goal({
      name: 'Cotton Shirt Collar Pocket Button Sleeve Hem Seam Yoke Placket Label',
      query: "men's shirts"
    })
    // 1 shared noun of 11 -> 0.09 < 0.1: the query matches but the override wins
    const t = typeReward(product({ name: 'Shirt' }), g)
    expect(t.titleScore).toBeCloseTo(1 / 11, 12)
    expect(t.queryMatch).toBe(true)
    expect(t.rType).toBe(0.1)
    expect(typeReward(product({ name: 'Garden Hose' }), g).rType).toBe(0)
    const r = getReward(product({ name: 'Garden Hose' }), g, 1, {})
    expect(r.reward).toBe(0)
  })

  it('category match needs two shared breadcrumb elements; no goal nouns gives 0.2', () => {
    const g = goal({ name: 'very quickly', query: 'x', product_category: 'Clothing › Women' })
    const t = typeReward(product({ query: 'y' }), g)
    expect(t.categoryMatch).toBe(false)
    expect(t.titleScore).toBe(0.2)
    expect(t.rType).toBe(0.5)
    const t2 = typeReward(product({ query: 'y' }), { ...g, product_category: 'Clothing›Men' })
    expect(t2.categoryMatch).toBe(true)
    expect(t2.rType).toBe(1)
  })
})
