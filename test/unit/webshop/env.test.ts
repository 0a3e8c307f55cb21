import { describe, expect, it } from 'vitest'
import { createWebshopEnvFromSource, type WebshopEnv } from '../../../core/envs/webshop/env'
import { parseAction } from '../../../core/envs/webshop/engine'
import { FIXTURE } from './fixture-catalog'

function fixtureEnv(extra: Parameters<typeof createWebshopEnvFromSource>[0] = {}): WebshopEnv {
  return createWebshopEnvFromSource(
    { split: 'test', ...extra },
    { kind: 'data', key: 'fixture', catalog: FIXTURE }
  )
}

/** Seed whose goal asks for the given options of the target shirt. */
function seedFor(env: WebshopEnv, color: string, size: string): number {
  for (let s = 0; s < env.splitSize; s++) {
    const r = env.reset(s)
    const g = env.session?.goal
    if (
      g &&
      !Array.isArray(g.goal_options) &&
      g.goal_options.color === color &&
      g.goal_options.size === size
    )
      return s
    expect(r.task).toBeTruthy()
  }
  throw new Error('no such goal')
}

describe('parse_action', () => {
  it('matches (.+)\\[(.+)\\] and lower-cases the argument', () => {
    expect(parseAction('search[Red Shirt]')).toEqual({ name: 'search', arg: 'red shirt' })
    expect(parseAction('click[< Prev]')).toEqual({ name: 'click', arg: '< prev' })
    expect(parseAction('click[]')).toEqual({ name: 'click[]', arg: null })
    expect(parseAction('search[a [b] c]')).toEqual({ name: 'search[a ', arg: 'b] c' })
    expect(parseAction('nothing')).toEqual({ name: 'nothing', arg: null })
    expect(parseAction('click[a\rb]')).toEqual({ name: 'click', arg: 'a\rb' })
    expect(parseAction('click[a\nb]')).toEqual({ name: 'click[a\nb]', arg: null })
  })
})

describe('WebShop pages and transitions', () => {
  const env = fixtureEnv()
  const seed = seedFor(env, 'blue', 'large')

  it('start page: text, verl-agent observation, admissible actions', () => {
    const r = env.reset(seed)
    const instr = r.task
    expect(instr).toMatch(
      /^i need a cotton shirt with color: blue, and size: large, and price lower than \d+\.00 dollars$/
    )
    expect(r.view.text).toBe(`WebShop [SEP] Instruction: [SEP] ${instr} [SEP] Search`)
    expect(r.observation).toBe("'Search'")
    expect(r.admissibleActions).toEqual(['search[<your query>]', 'click[search]'])
    expect(r.view).toMatchObject({
      kind: 'webshop',
      page: 'search',
      clickables: ['search'],
      hasSearchBar: true
    })
  })

  it('click[search] and unparseable actions do nothing (page unchanged, invalid)', () => {
    const r = env.reset(seed)
    for (const a of ['click[search]', 'search[]', 'buy', 'click[buy now]', 'Search[shirt]', '']) {
      const s = env.step(a)
      expect(s.observation).toBe(r.observation)
      expect(s.reward).toBe(0)
      expect(s.done).toBe(false)
      expect(s.info.actionIsValid).toBe(false)
    }
  })

  it('search -> results page 1 with 10 products, next/prev paging', () => {
    env.reset(seed)
    const s = env.step('search[cotton linen shirt]')
    expect(s.info.actionIsValid).toBe(true)
    const text = s.view.text as string
    expect(
      text.startsWith(
        `Instruction: [SEP] ${env.session?.instruction} [SEP] Back to Search [SEP] Page 1 (Total results: 13) [SEP] Next > [SEP] `
      )
    ).toBe(true)
    expect(text).not.toContain('< Prev')
    expect(s.admissibleActions.slice(0, 2)).toEqual(['click[back to search]', 'click[next >]'])
    expect(s.admissibleActions).toHaveLength(12)
    expect(s.admissibleActions[2]).toBe('click[b0target01]')
    expect(
      s.observation.startsWith(
        "'Back to Search' [SEP] 'Page 1 (Total results: 13)' [SEP] 'Next >' [SEP] 'B0TARGET01' [SEP] 'Blue Cotton Shirt' [SEP] '$20.0 to $30.0'"
      )
    ).toBe(true)
    const p2 = env.step('click[next >]')
    expect(p2.observation).toMatch(
      /^'Back to Search' \[SEP\] 'Page 2 \(Total results: 13\)' \[SEP\] '< Prev' \[SEP\] 'Next >' \[SEP\] /
    )
    expect(p2.admissibleActions.filter((a) => /click\[b0/.test(a))).toHaveLength(3)
    const p1 = env.step('click[< prev]')
    expect(p1.observation).toBe(s.observation)
  })

  it('item page, options, sub pages and < prev', () => {
    env.reset(seed)
    env.step('search[cotton shirt]')
    const item = env.step('click[b0target01]')
    expect(item.view.text).toBe(
      `Instruction: [SEP] ${env.session?.instruction} [SEP] Back to Search [SEP] < Prev [SEP] color [SEP] blue [SEP] natural blonde [SEP] size [SEP] large [SEP] x-large [SEP] Blue Cotton Shirt [SEP] Price: $20.0 to $30.0 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now`
    )
    expect(item.admissibleActions).toEqual([
      'click[back to search]',
      'click[< prev]',
      'click[description]',
      'click[features]',
      'click[reviews]',
      'click[buy now]',
      'click[blue]',
      'click[natural blonde]',
      'click[large]',
      'click[x-large]'
    ])
    const opt = env.step('click[blue]')
    expect(opt.observation).toBe(item.observation)
    expect(env.session?.state.options).toEqual({ color: 'blue' })
    const desc = env.step('click[description]')
    expect(desc.observation).toBe("'Back to Search' [SEP] '< Prev' [SEP] 'A soft cotton shirt.'")
    expect(desc.admissibleActions).toEqual(['click[back to search]', 'click[< prev]'])
    env.step('click[< prev]')
    const feat = env.step('click[features]')
    expect(feat.observation).toBe(
      "'Back to Search' [SEP] '< Prev' [SEP] 'Machine wash' [SEP] 'Regular fit'"
    )
    env.step('click[< prev]')
    const rev = env.step('click[reviews]')
    expect(rev.observation).toBe("'Back to Search' [SEP] '< Prev'")
    const back = env.step('click[< prev]')
    expect(back.view.page).toBe('item')
    // options survive sub pages
    expect(env.session?.state.options).toEqual({ color: 'blue' })
    // < prev on the item page returns to the results and resets the options
    const res = env.step('click[< prev]')
    expect(res.view.page).toBe('results')
    expect(env.session?.state.options).toEqual({})
  })

  it('search works on any page and resets the chosen item and options', () => {
    env.reset(seed)
    env.step('search[cotton shirt]')
    env.step('click[b0target01]')
    env.step('click[natural blonde]')
    const s = env.step('search[linen]')
    expect(s.info.actionIsValid).toBe(true)
    expect(s.view.page).toBe('results')
    expect(env.session?.state.asin).toBeNull()
    expect(env.session?.state.options).toEqual({})
  })

  it('back to search returns to the start page with the same instruction', () => {
    const r = env.reset(seed)
    env.step('search[cotton shirt]')
    env.step('click[b0target01]')
    const s = env.step('click[back to search]')
    expect(s.observation).toBe(r.observation)
    expect(s.view.text).toBe(r.view.text)
  })

  it('buying with the goal options under the price scores 1 and ends the episode', () => {
    env.reset(seed)
    env.step('search[cotton shirt]')
    env.step('click[b0target01]')
    env.step('click[large]')
    env.step('click[blue]')
    const s = env.step('click[buy now]')
    expect(s.done).toBe(true)
    expect(s.reward).toBe(1)
    expect(s.info.won).toBe(true)
    expect(s.info.taskScore).toBe(1)
    expect(s.view.page).toBe('done')
    expect(s.view.text).toContain('Thank you for shopping with us!')
    expect(s.admissibleActions).toEqual([])
    const after = env.step('click[buy now]')
    expect(after.done).toBe(true)
    expect(after.reward).toBe(0)
  })

  it('buying without options is allowed; options simply score 0', () => {
    env.reset(seed)
    env.step('search[cotton shirt]')
    env.step('click[b0target01]')
    const s = env.step('click[buy now]')
    // attrs 1/1 + options 0/2 + price 1 over 4
    expect(s.reward).toBeCloseTo(2 / 4, 12)
    expect(s.info.won).toBe(false)
  })

  it('forces done after maxSteps with reward 0', () => {
    const short = fixtureEnv({ maxSteps: 3 })
    short.reset(seed)
    expect(short.step('search[shirt]').done).toBe(false)
    expect(short.step('click[next >]').done).toBe(false)
    const last = short.step('click[< prev]')
    expect(last.done).toBe(true)
    expect(last.reward).toBe(0)
    expect(last.info.truncated).toBe(true)
    expect(last.admissibleActions).toEqual([])
  })

  it('verl reward mode pays 10 only for a perfect purchase; raw observation mode', () => {
    const verl = fixtureEnv({ reward: 'verl', observation: 'raw' })
    const r = verl.reset(seed)
    expect(r.observation).toBe(r.view.text)
    verl.step('search[cotton shirt]')
    verl.step('click[b0target01]')
    verl.step('click[large]')
    verl.step('click[blue]')
    expect(verl.step('click[buy now]').reward).toBe(10)
  })

  it('reset is deterministic and the seed picks the goal within the split', () => {
    const a = fixtureEnv()
    const b = fixtureEnv()
    expect(a.reset(3).task).toBe(b.reset(3).task)
    expect(a.reset(3 + a.splitSize).task).toBe(a.reset(3).task)
    expect(a.reset(-1).task).toBe(a.reset(a.splitSize - 1).task)
    expect(a.reset(Number.NaN).task).toBe(a.reset(0).task)
  })
})

describe('WebShop view and options', () => {
  it('the view carries what a replay needs', () => {
    const env = fixtureEnv()
    const seed = seedFor(env, 'natural blonde', 'x-large')
    env.reset(seed)
    const results = env.step('search[cotton shirt]')
    expect(results.view.results[0]).toEqual({
      asin: 'B0TARGET01',
      title: 'Blue Cotton Shirt',
      price: '$20.0 to $30.0'
    })
    expect(results.view.results).toHaveLength(10)
    expect(results.view.totalResults).toBe(13)
    expect(results.view.keywords).toBe('cotton shirt')
    expect(results.view.url).toMatch(
      /^http:\/\/127\.0\.0\.1:3000\/search_results\/\d+\/cotton\+shirt\/1$/
    )
    env.step('click[b0target01]')
    const item = env.step('click[x-large]')
    expect(item.view.product).toEqual({
      asin: 'B0TARGET01',
      title: 'Blue Cotton Shirt',
      price: '$20.0 to $30.0',
      options: { color: ['blue', 'natural blonde'], size: ['large', 'x-large'] },
      selected: { size: 'x-large' }
    })
    expect(item.view.goal).toMatchObject({
      asin: 'B0TARGET01',
      options: { color: 'natural blonde', size: 'x-large' }
    })
    expect(item.view.url).toContain('/item_page/')
    expect(item.view.url.endsWith('{"size": "x-large"}')).toBe(true)
    expect(JSON.parse(JSON.stringify(item.view))).toEqual(item.view)
  })

  it('options are validated with zod', () => {
    expect(() => fixtureEnv({ maxSteps: 0 })).toThrow()
    expect(() => fixtureEnv({ split: 'valid' as 'test' })).toThrow()
    expect(fixtureEnv().maxSteps).toBe(15)
  })
})
