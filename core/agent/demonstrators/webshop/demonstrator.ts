// The WebShop demonstrator: searches with the instruction, reads the result page, opens the result
// whose title covers most of the instruction's words within the budget, clicks the options the
// instruction names and buys. It never sees the goal product; when an item lacks an option the
// instruction asks for, or costs too much, it goes back and tries the next result. Subgoals are
// phrased like the oracle's (core/envs/webshop/expert.ts).
import type { EnvObservation, EnvReset } from '../../../envs/env'
import { tokenSetRatio } from '../../../envs/webshop/reward'
import { SubgoalCounter, type DemoChoice, type Demonstrator } from '../types'
import {
  describedPart,
  pageOf,
  parseBudget,
  parseItem,
  parseResults,
  searchQuery,
  askedOptions,
  type ItemPage,
  type ResultEntry
} from './parse'

/** Items rejected on their page before the demonstrator buys whatever it is looking at. */
const MAX_REJECTS = 4

const FILLER = new Set(
  "a an and the some for me i im i'm am need want would like looking find get with of in to".split(
    ' '
  )
)

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9']+/)
    .map((w) => w.replace(/'s$/, '').replace(/s$/, ''))
    .filter((w) => w !== '' && !FILLER.has(w))
}

/** How many of the instruction's described words the title contains. */
function titleScore(wanted: ReadonlySet<string>, title: string): number {
  let n = 0
  for (const w of new Set(words(title))) if (wanted.has(w)) n++
  return n
}

/**
 * Per option group, the value to click: for a group the instruction's 'name: value' clause names,
 * the exact value (or, when `fuzzy`, the best match above 85 as the reward counts it), '' when the
 * item has no such value or no such group; for other groups the longest value the instruction
 * mentions, null when none.
 */
export function optionsFor(
  instruction: string,
  item: ItemPage,
  fuzzy: boolean
): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  const text = searchQuery(instruction)
  const clause = askedOptions(instruction)
  for (const name of Object.keys(clause)) if (!(name in item.options)) out[name] = ''
  for (const [name, values] of Object.entries(item.options)) {
    const asked = clause[name] ?? null
    if (asked === null) {
      const mentioned = values
        .filter((v) => new RegExp(`(^|[^a-z0-9])${escape(v)}($|[^a-z0-9])`).test(text))
        .sort((a, b) => b.length - a.length)
      out[name] = mentioned[0] ?? null
      continue
    }
    let best: { value: string; score: number } | null = null
    for (const value of values) {
      const score = value === asked ? 101 : fuzzy ? tokenSetRatio(value, asked) : 0
      if (!best || score > best.score) best = { value, score }
    }
    out[name] = best && best.score > 85 ? best.value : ''
  }
  return out
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function createWebshopDemonstrator(): Demonstrator {
  const counter = new SubgoalCounter()
  let instruction = ''
  let query = ''
  let budget = Number.POSITIVE_INFINITY
  let wanted = new Set<string>()
  let results: ResultEntry[] = []
  const rejected = new Set<string>()
  let target: ResultEntry | null = null
  let clicked = new Set<string>()

  const selectLabel = (r: ResultEntry): string => `Select item ${r.asin}: ${r.title}`

  /**
   * The best result not yet rejected: surely within budget before perhaps (a ranged price is drawn
   * inside its range when the page loads) before over it, then most described words in the title,
   * then search rank.
   */
  const choose = (): ResultEntry | null => {
    let best: { r: ResultEntry; key: number } | null = null
    for (const r of results) {
      if (rejected.has(r.asin)) continue
      const [lo, hi] = r.price
      const key = titleScore(wanted, r.title) + (hi <= budget ? 2000 : lo <= budget ? 1000 : 0)
      if (!best || key > best.key) best = { r, key }
    }
    return best?.r ?? null
  }

  return {
    kind: 'webshop',
    begin(reset: EnvReset): void {
      instruction = reset.task
      query = searchQuery(instruction)
      budget = parseBudget(instruction)
      wanted = new Set(words(describedPart(instruction)))
      results = []
      rejected.clear()
      target = null
      clicked = new Set()
      counter.reset()
    },
    act(obs: EnvObservation): DemoChoice {
      const admissible = obs.admissibleActions
      switch (pageOf(admissible)) {
        case 'search':
          return counter.choice(`Search for "${query}"`, `search[${query}]`)
        case 'results': {
          results = parseResults(obs.observation, admissible)
          if (target === null || rejected.has(target.asin)) target = choose()
          if (target === null) return counter.choice(`Search for "${query}"`, 'click[next >]')
          clicked = new Set()
          return counter.choice(selectLabel(target), `click[${target.asin.toLowerCase()}]`)
        }
        case 'item': {
          const item = parseItem(obs.observation, admissible)
          const canReject = rejected.size < MAX_REJECTS && target !== null
          const chosen = optionsFor(instruction, item, !canReject)
          const missing = Object.values(chosen).some((v) => v === '')
          if ((missing || item.price[0] > budget) && canReject && target) {
            rejected.add(target.asin)
            target = choose()
            if (target) return counter.choice(selectLabel(target), 'click[< prev]')
          }
          const picks = Object.entries(chosen).filter(
            (e): e is [string, string] => e[1] !== null && e[1] !== ''
          )
          const next = picks.find(([, v]) => !clicked.has(v))
          if (next) {
            clicked.add(next[1])
            const label = picks.map(([n, v]) => `${n}: ${v}`).join(', ')
            return counter.choice(`Choose options ${label}`, `click[${next[1]}]`)
          }
          return counter.choice('Buy the item', 'click[buy now]')
        }
        case 'sub':
          return counter.choice(`Return to item ${target?.asin ?? ''}`, 'click[< prev]')
        case 'done':
          return counter.choice('Buy the item', 'click[buy now]')
      }
    }
  }
}
