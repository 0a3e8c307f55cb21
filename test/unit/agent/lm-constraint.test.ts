// The decoding automata: every walk ends on an admissible string whose tokens are exactly its
// encoding + <end>; WebShop queries use only instruction words; free decoding ends at <end>.
import { describe, expect, it } from 'vitest'
import {
  CommandConstraint,
  constrainedSearchAction,
  FreeCursor,
  instructionWords,
  compactObservation,
  matchFreeAction,
  resultClickTexts,
  stepConstraint,
  SUB_DONE
} from '../../../core/agent/lm'
import { createRng, type Rng } from '../../../core/rng'
import { SEARCH_PLACEHOLDER } from '../../../core/envs/webshop/format'
import { testEnv, testTokenizer } from './lm-fixtures'

const tokenizer = testTokenizer()
const end = tokenizer.special.end

function randomWalk(c: CommandConstraint, rng: Rng): { tokens: number[]; text: string } {
  const cursor = c.cursor()
  while (!cursor.done) {
    const allowed = cursor.allowed()
    expect(allowed.length).toBeGreaterThan(0)
    for (let i = 1; i < allowed.length; i++)
      expect(allowed[i] as number).toBeGreaterThan(allowed[i - 1] as number)
    cursor.advance(allowed[rng.int(allowed.length)] as number)
  }
  return { tokens: [...cursor.tokens], text: cursor.text() }
}

describe('CommandConstraint', () => {
  it('tells desk 1 from desk 10 and round-trips every command', () => {
    const admissible = ['go to desk 1', 'go to desk 10', 'look', 'take mug 1 from desk 1']
    const c = new CommandConstraint(tokenizer, {
      admissible,
      maxQueryWords: 8,
      allowSubDone: false
    })
    expect(c.actions).toEqual(admissible)
    const rng = createRng(1)
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const { tokens, text } = randomWalk(c, rng)
      expect(admissible).toContain(text)
      expect(tokens).toEqual([...tokenizer.encode(text), end])
      seen.add(text)
    }
    expect(seen.size).toBe(admissible.length)
    const cursor = c.cursor()
    expect(() => cursor.advance(tokenizer.special.obs)).toThrow(/not allowed/)
  })

  it('walks only admissible ALFWorld commands over many states', () => {
    const env = testEnv('alfworld')
    const rng = createRng(2)
    for (let seed = 0; seed < 5; seed++) {
      let obs = env.reset(seed)
      for (let t = 0; t < 10; t++) {
        const c = new CommandConstraint(tokenizer, {
          admissible: obs.admissibleActions,
          maxQueryWords: 8,
          allowSubDone: true
        })
        const { tokens, text } = randomWalk(c, rng)
        if (text === SUB_DONE) expect(tokens).toEqual([tokenizer.special.subDone, end])
        else {
          expect(obs.admissibleActions).toContain(text)
          expect(tokens).toEqual([...tokenizer.encode(text), end])
        }
        expect(tokens.length).toBeLessThanOrEqual(c.maxTokens)
        obs = { ...obs, ...env.step(rng.pick(obs.admissibleActions)) }
      }
    }
  })

  it('decodes WebShop searches from the instruction words only', () => {
    const instruction =
      'i need a 3-pack of b0xq12zzzz vegan snacks, and price lower than 30.00 dollars'
    const words = new Set(instructionWords(instruction))
    const admissible = [SEARCH_PLACEHOLDER, 'click[search]', 'click[< prev]']
    const c = new CommandConstraint(tokenizer, {
      admissible,
      instruction,
      maxQueryWords: 4,
      allowSubDone: false
    })
    const rng = createRng(3)
    let searches = 0
    for (let i = 0; i < 300; i++) {
      const { tokens, text } = randomWalk(c, rng)
      expect(tokens).toEqual([...tokenizer.encode(text), end])
      expect(tokenizer.decode(tokens.slice(0, -1))).toBe(text)
      if (text.startsWith('search[')) {
        searches++
        const query = text.slice(7, -1).split(' ')
        expect(query.length).toBeGreaterThanOrEqual(1)
        expect(query.length).toBeLessThanOrEqual(4)
        for (const w of query) expect(words.has(w)).toBe(true)
      } else expect(admissible).toContain(text)
    }
    expect(searches).toBeGreaterThan(50)
    expect(constrainedSearchAction(tokenizer, 'vegan snacks, 3-pack!', instruction, 2)).toBe(
      'search[vegan snacks]'
    )
  })

  it('walks WebShop pages of real episodes', () => {
    const env = testEnv('webshop')
    const rng = createRng(4)
    for (let seed = 0; seed < 5; seed++) {
      const r = env.reset(seed)
      const words = new Set(instructionWords(r.task))
      let obs = { admissibleActions: r.admissibleActions }
      for (let t = 0; t < 6; t++) {
        const c = new CommandConstraint(tokenizer, {
          admissible: obs.admissibleActions,
          instruction: r.task,
          maxQueryWords: 8,
          allowSubDone: false
        })
        const { text } = randomWalk(c, rng)
        if (text.startsWith('search[')) {
          for (const w of text.slice(7, -1).split(' ')) expect(words.has(w)).toBe(true)
        } else expect(obs.admissibleActions).toContain(text)
        const res = env.step(text)
        if (res.done) break
        obs = res
      }
    }
  })
})

type WebshopPage = { observation: string; admissibleActions: string[] }

/** Results pages of six test tasks (a query of each instruction's first six words). */
function* resultsPages(): Generator<{ task: string; page: WebshopPage; asinClicks: string[] }> {
  const env = testEnv('webshop')
  for (let seed = 0; seed < 6; seed++) {
    const { task } = env.reset(seed)
    const page = env.step(`search[${instructionWords(task).slice(0, 6).join(' ')}]`)
    const asinClicks = page.admissibleActions.filter((a) => /^click\[[a-z0-9]{10}\]$/.test(a))
    yield { task, page, asinClicks }
  }
}

/**
 * 40 random walks through the page's constraint: each ends on an admissible command spelled as the
 * model's text + <end>. Returns the model's texts of the renamed commands walked to.
 */
function walkPage(
  task: string,
  page: WebshopPage,
  webshopClick: 'title' | 'rank',
  rng: Rng
): string[] {
  const c = stepConstraint(
    tokenizer,
    { env: 'webshop', observation: page.observation, admissible: page.admissibleActions, task },
    { maxQueryWords: 8, webshopClick },
    false
  )
  expect(c.actions).toEqual(page.admissibleActions)
  const renamed: string[] = []
  for (let i = 0; i < 40; i++) {
    const { tokens, text } = randomWalk(c, rng)
    expect(page.admissibleActions).toContain(text)
    expect(tokens).toEqual([...tokenizer.encode(c.modelText(text)), end])
    if (c.modelText(text) !== text) renamed.push(c.modelText(text))
  }
  return renamed
}

describe('WebShop results named by title (webshopClick: title)', () => {
  it('a result is chosen by its title and sent as its ASIN click; titles repeat as title + price', () => {
    const rng = createRng(5)
    let pages = 0
    let clicks = 0
    for (const { task, page: results, asinClicks } of resultsPages()) {
      const texts = resultClickTexts(results.observation, results.admissibleActions)
      expect([...texts.keys()].sort()).toEqual(asinClicks.sort())
      const spelled = [...texts.values()].map((t) => tokenizer.encode(t).join(' '))
      expect(new Set(spelled).size).toBe(spelled.length)
      pages++
      clicks += walkPage(task, results, 'title', rng).length
      // The model's page has no ASIN lines; every title is still there.
      const page = compactObservation('webshop', results.observation, 'egocentric', 'title')
      for (const asin of asinClicks) expect(page.toLowerCase()).not.toContain(asin.slice(6, -1))
      for (const t of texts.values()) expect(page).toContain(t.slice(6, -1).split(' $')[0])
      expect(compactObservation('webshop', results.observation).toLowerCase()).toContain(
        asinClicks[0]!.slice(6, -1)
      )
    }
    expect(pages).toBe(6)
    expect(clicks).toBeGreaterThan(60)
    // Two results with one title: the second is told apart by its price.
    const page =
      "'Back to Search' [SEP] 'Page 1 (Total results: 2)' [SEP] 'Next >' [SEP] 'B000000001' [SEP] 'Red Mug' [SEP] '$3.50' [SEP] 'B000000002' [SEP] 'Red Mug' [SEP] '$4.00'"
    const admissible = [
      'click[back to search]',
      'click[next >]',
      'click[b000000001]',
      'click[b000000002]'
    ]
    expect([...resultClickTexts(page, admissible)]).toEqual([
      ['click[b000000001]', 'click[Red Mug]'],
      ['click[b000000002]', 'click[Red Mug $4.00]']
    ])
    // Not a results page: nothing renamed.
    expect(resultClickTexts("'Search'", ['search[<your query>]']).size).toBe(0)
  })
})

describe('WebShop results named by rank (webshopClick: rank)', () => {
  it('the k-th result is click[k], sent as its ASIN click; the page shows k where its ASIN was', () => {
    const rng = createRng(6)
    let clicks = 0
    for (const { task, page: results, asinClicks } of resultsPages()) {
      const texts = resultClickTexts(results.observation, results.admissibleActions, 'rank')
      // In page order: the first ASIN shown is click[1], the next click[2], …
      const shown = (results.observation.match(/'[A-Z0-9]{10}'/g) ?? []).map(
        (q) => `click[${q.slice(1, -1).toLowerCase()}]`
      )
      expect(shown.length).toBeGreaterThan(1)
      expect(shown.map((a) => texts.get(a))).toEqual(shown.map((_, i) => `click[${i + 1}]`))
      expect([...texts.keys()].sort()).toEqual(asinClicks.sort())
      for (const text of walkPage(task, results, 'rank', rng)) {
        clicks++
        // A rank is one token: the choice among results is a single decision.
        expect(tokenizer.encode(text)).toHaveLength(4)
      }
      const page = compactObservation('webshop', results.observation, 'egocentric', 'rank')
      const lines = page.split('\n')
      for (const asin of asinClicks) expect(page.toLowerCase()).not.toContain(asin.slice(6, -1))
      // Each rank stands where its ASIN stood: right before that result's title.
      const full = compactObservation('webshop', results.observation).split('\n')
      shown.forEach((a, i) => {
        const title = full[full.findIndex((l) => l.toLowerCase() === a.slice(6, -1)) + 1]
        expect(lines[lines.indexOf(String(i + 1)) + 1]).toBe(title)
      })
    }
    expect(clicks).toBeGreaterThan(60)
    // Not a results page, or the env's own spelling: nothing renamed.
    expect(resultClickTexts("'Search'", ['search[<your query>]'], 'rank').size).toBe(0)
    const [first] = resultsPages()
    const { observation, admissibleActions } = first!.page
    expect(resultClickTexts(observation, admissibleActions, 'asin').size).toBe(0)
  })
})

describe('FreeCursor', () => {
  it('forces <end> at the last position and matches admissible spellings', () => {
    const cursor = new FreeCursor(tokenizer, 3)
    expect(cursor.allowed().length).toBe(0)
    const look = tokenizer.encode('look')[0] as number
    cursor.advance(look)
    cursor.advance(look)
    expect([...cursor.allowed()]).toEqual([end])
    cursor.advance(end)
    expect(cursor.text()).toBe('look look')
    const c = new CommandConstraint(tokenizer, {
      admissible: ['look', SEARCH_PLACEHOLDER],
      instruction: 'red shoes',
      maxQueryWords: 8,
      allowSubDone: false
    })
    expect(matchFreeAction(c, [look, end], 'look')).toEqual({ valid: true, action: 'look' })
    expect(matchFreeAction(c, cursor.tokens, 'look look').valid).toBe(false)
    const search = [...tokenizer.encode('search[blue hats]'), end]
    expect(matchFreeAction(c, search, 'search[blue hats]').valid).toBe(true)
  })
})
