import { describe, expect, it } from 'vitest'
import {
  createWebshopDemonstrator,
  runDemonstrator,
  runOracle
} from '../../../core/agent/demonstrators'
import {
  askedOptions,
  describedPart,
  pageOf,
  parseBudget,
  parseItem,
  parsePrice,
  parseResults,
  searchQuery
} from '../../../core/agent/demonstrators/webshop/parse'
import { createWebshopEnvFromSource } from '../../../core/envs/webshop/env'
import { admissible, play } from './helpers'

const INSTRUCTION =
  "i'm looking for rubber sole women's running shoes with mesh upper, memory foam with color: navy blue, and size: 7.5, and price lower than 60.00 dollars"

describe('WebShop page and instruction parsing', () => {
  it('splits an instruction into query, budget, described part and asked options', () => {
    expect(parseBudget(INSTRUCTION)).toBe(60)
    expect(parseBudget('i need a cotton shirt')).toBe(Number.POSITIVE_INFINITY)
    expect(searchQuery(INSTRUCTION)).toBe(
      "i'm looking for rubber sole women's running shoes with mesh upper, memory foam with color: navy blue, and size: 7.5"
    )
    expect(describedPart(INSTRUCTION)).toBe(
      "i'm looking for rubber sole women's running shoes with mesh upper, memory foam"
    )
    expect(askedOptions(INSTRUCTION)).toEqual({ color: 'navy blue', size: '7.5' })
    expect(askedOptions('get me green tea with flavor name: lemon, and size: pack of 2')).toEqual({
      'flavor name': 'lemon',
      size: 'pack of 2'
    })
    expect(askedOptions('i need a cotton shirt with long sleeves')).toEqual({})
    expect(parsePrice('$12.99')).toEqual([12.99, 12.99])
    expect(parsePrice('Price: $10.71 to $18.34')).toEqual([10.71, 18.34])
  })

  it('reads the result list and the item page of the env, in both observation formats', () => {
    for (const observation of ['verl', 'raw'] as const) {
      const env = createWebshopEnvFromSource({ split: 'test', observation })
      const reset = env.reset(3)
      expect(pageOf(reset.admissibleActions)).toBe('search')
      const results = env.step(`search[${searchQuery(reset.task)}]`)
      expect(pageOf(results.admissibleActions)).toBe('results')
      const entries = parseResults(results.observation, results.admissibleActions)
      expect(entries.map((e) => e.asin)).toEqual(results.view.results.map((r) => r.asin))
      expect(entries.map((e) => e.title)).toEqual(results.view.results.map((r) => r.title))
      expect(entries.map((e) => e.price)).toEqual(
        results.view.results.map((r) => parsePrice(r.price))
      )
      const first = entries[0]?.asin.toLowerCase() ?? ''
      const item = env.step(`click[${first}]`)
      expect(pageOf(item.admissibleActions)).toBe('item')
      const page = parseItem(item.observation, item.admissibleActions)
      expect(page.options).toEqual(item.view.product?.options)
      expect(page.title).toBe(item.view.product?.title)
      expect(page.price).toEqual(parsePrice(item.view.product?.price ?? ''))
      expect(pageOf(env.step('click[features]').admissibleActions)).toBe('sub')
    }
  })
})

describe('WebShop demonstrator', () => {
  it('test split: admissible actions only, buys a full-score item in ≥ 75 % of 100 tasks', () => {
    const env = createWebshopEnvFromSource({ split: 'test' })
    const demo = createWebshopDemonstrator()
    let wins = 0
    let score = 0
    for (let seed = 0; seed < 100; seed++) {
      const ep = runDemonstrator(env, demo, seed)
      for (const s of ep.steps.slice(0, -1)) {
        expect(admissible(s.action, s.admissibleActions), s.action).toBe(true)
      }
      expect(ep.steps.at(-2)?.action).toBe('click[buy now]')
      wins += ep.success ? 1 : 0
      score += ep.return
    }
    expect(wins).toBeGreaterThanOrEqual(75)
    expect(score / 100).toBeGreaterThan(0.9)
  })

  it('human instructions: ≥ 75 % of 60 tasks', () => {
    const env = createWebshopEnvFromSource({ split: 'test', goals: 'human' })
    let wins = 0
    for (let seed = 0; seed < 60; seed++) {
      wins += runDemonstrator(env, createWebshopDemonstrator(), seed).success ? 1 : 0
    }
    expect(wins).toBeGreaterThanOrEqual(45)
  })

  it('never sees the goal: blanking the view (which holds it) changes nothing', () => {
    const env = createWebshopEnvFromSource({ split: 'test' })
    for (let seed = 0; seed < 30; seed++) {
      const seen = play(env, createWebshopDemonstrator(), seed)
      expect(seen.inadmissible).toEqual([])
      expect(play(env, createWebshopDemonstrator(), seed, true)).toEqual(seen)
    }
  })

  it('names subgoals like the oracle and is deterministic', () => {
    const env = createWebshopEnvFromSource({ split: 'test' })
    const phrase =
      /^(Search for ".+"|Select item [A-Z0-9]{10}: .+|Choose options .+: .+|Buy the item)$/
    for (let seed = 0; seed < 30; seed++) {
      const ep = runDemonstrator(env, createWebshopDemonstrator(), seed)
      for (const s of ep.subgoals) expect(s.subgoal).toMatch(phrase)
      expect(ep.subgoals[0]?.subgoal).toBe(runOracle(env, seed).subgoals[0]?.subgoal)
      expect(play(env, createWebshopDemonstrator(), seed)).toEqual(
        play(env, createWebshopDemonstrator(), seed)
      )
    }
  })
})
