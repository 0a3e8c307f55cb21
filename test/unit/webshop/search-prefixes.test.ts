// The search prefixes of WebShop's get_top_n_product_from_keywords (engine.py, envs.md §2.4):
// <c> category filter, <q> query filter, <r> random products; <a> crashes the text env there.
import { describe, expect, it } from 'vitest'
import { createWebshopEnvFromSource, type WebshopEnv } from '../../../core/envs/webshop/env'
import type { Product } from '../../../core/envs/webshop/types'

const env: WebshopEnv = createWebshopEnvFromSource({ split: 'test' })
const products: Product[] = env.world.products
/** Every result of the session's last search (the view shows one page of them). */
const allResults = (): string[] => env.session?.state.results.slice() ?? []

describe('WebShop search prefixes', () => {
  it('<c> lists every product of that category, in catalog order, over several pages', () => {
    const category = products[0]?.category as string
    const expected = products.filter((p) => p.category === category).map((p) => p.asin)
    expect(expected.length).toBeGreaterThan(10)
    env.reset(0)
    const r = env.step(`search[<c> ${category}]`)
    expect(r.info.actionIsValid).toBe(true)
    expect(r.view.page).toBe('results')
    expect(allResults()).toEqual(expected)
    expect(r.view.totalResults).toBe(expected.length)
    expect(r.view.text).toContain(`Page 1 (Total results: ${expected.length})`)
    expect(r.view.results.map((p) => p.asin)).toEqual(expected.slice(0, 10))
    const next = env.step('click[next >]')
    expect(next.view.results.map((p) => p.asin)).toEqual(expected.slice(10, 20))
    // only keywords[1] is the category: extra words are ignored, as upstream
    env.step(`search[<c> ${category} whatever else]`)
    expect(allResults()).toEqual(expected)
  })

  it('<q> lists the products scraped under exactly that query', () => {
    const query = products[3]?.query as string
    expect(query).toContain(' ')
    const expected = products.filter((p) => p.query === query).map((p) => p.asin)
    env.reset(1)
    const r = env.step(`search[<q> ${query.toUpperCase()}]`)
    expect(r.info.actionIsValid).toBe(true)
    expect(allResults()).toEqual(expected)
    env.step('search[<q> no such query at all]')
    expect(allResults()).toEqual([])
  })

  it('<r> shows 50 distinct random products, seeded per session, redrawn per results page', () => {
    env.reset(2)
    env.step('search[<r>]')
    const first = allResults()
    expect(first).toHaveLength(50)
    expect(new Set(first).size).toBe(50)
    for (const asin of first) expect(env.world.byAsin.has(asin)).toBe(true)
    env.step('click[next >]')
    const redrawn = allResults()
    expect(redrawn).toHaveLength(50)
    expect(redrawn).not.toEqual(first)
    env.reset(2)
    env.step('search[<r>]')
    expect(allResults()).toEqual(first)
    env.reset(3)
    env.step('search[<r>]')
    expect(allResults()).not.toEqual(first)
  })

  it('<a>, and <c> without a category, are invalid actions (the original text env crashes)', () => {
    const start = env.reset(4)
    for (const bad of ['search[<a> cotton]', 'search[<c>]']) {
      const r = env.step(bad)
      expect(r.reward).toBe(0)
      expect(r.done).toBe(false)
      expect(r.info.actionIsValid).toBe(false)
      expect(r.observation).toBe(start.observation)
    }
  })

  it('after click[buy now] the episode is over: search and back to search do nothing', () => {
    env.reset(5)
    env.step(`search[<c> ${products[0]?.category}]`)
    const asin = allResults()[0] as string
    env.step(`click[${asin.toLowerCase()}]`)
    const bought = env.step('click[buy now]')
    expect(bought.done).toBe(true)
    for (const a of ['search[shirt]', 'click[back to search]']) {
      const r = env.step(a)
      expect(r.done).toBe(true)
      expect(r.reward).toBe(0)
      expect(r.info.actionIsValid).toBe(false)
      expect(r.view.page).toBe('done')
    }
  })
})
