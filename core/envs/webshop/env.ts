// The WebShop Env (kind 'webshop'): a session per reset, verl-agent observation/actions,
// reward only on purchase, done forced after maxSteps.

import type { Env, EnvInfo, EnvReset, EnvStep, ExpertSubgoal } from '../env'
import { getWorld, type WebshopWorld, type WorldSource } from './dataset'
import { WebshopSession } from './engine'
import { planExpert } from './expert'
import { availableActions, formatObservation } from './format'
import { splitRange } from './goals'
import { pageText, type PageName } from './pages'
import { PRODUCT_WINDOW } from './search'
import { webshopOptionsSchema, type WebshopOptions, type WebshopOptionsInput } from './options'
import type { Goal, Product } from './types'

type ProductSummary = { asin: string; title: string; price: string }

/** The replay view of a WebShop step (plain JSON). */
export type WebshopView = {
  kind: 'webshop'
  page: PageName
  url: string
  clickables: string[]
  hasSearchBar: boolean
  instruction: string
  /** The raw simple-mode page text. */
  text: string
  keywords: string | null
  pageNum: number
  totalResults: number
  results: ProductSummary[]
  product:
    | (ProductSummary & { options: Record<string, string[]>; selected: Record<string, string> })
    | null
  subPage: string | null
  reward: number | null
  goal: { asin: string; options: Goal['goal_options']; attributes: string[]; priceUpper: number }
  [key: string]: unknown
}

export type WebshopEnv = Omit<Env, 'reset' | 'step'> & {
  reset(seed: number): EnvReset & { view: WebshopView }
  step(action: string): EnvStep & { view: WebshopView }
  readonly world: WebshopWorld
  /** Number of goals in the selected split. */
  readonly splitSize: number
  /** The current session (undefined before the first reset). */
  readonly session: WebshopSession | undefined
}

/** Builds the env on an explicit source (generated catalog or raw files already read). */
export function createWebshopEnvFromSource(
  input: WebshopOptionsInput,
  source?: WorldSource
): WebshopEnv {
  const options: WebshopOptions = webshopOptionsSchema.parse(input)
  const world = getWorld({
    source: source ?? { kind: 'generated', size: options.catalogSize, seed: options.catalogSeed },
    goals: options.goals,
    priceSeed: options.priceSeed,
    shuffleSeed: options.shuffleSeed,
    searchEngine: options.searchEngine
  })
  const [start, end] = splitRange(world.goals, options.split)
  const splitSize = end - start
  let session: WebshopSession | undefined
  let steps = 0
  let done = false

  const observe = (s: WebshopSession) => {
    const raw = pageText(s.state.page)
    return {
      observation:
        options.observation === 'verl' ? formatObservation(raw, s.instruction.trim()) : raw,
      admissibleActions: done || s.state.done ? [] : availableActions(s.state.page),
      view: makeView(s, raw, world)
    }
  }

  const env: WebshopEnv = {
    kind: 'webshop',
    maxSteps: options.maxSteps,
    world,
    splitSize,
    get session() {
      return session
    },
    reset(seed: number) {
      if (splitSize <= 0) throw new Error(`WebShop ${options.split} split has no goals`)
      const k = Number.isFinite(seed) ? Math.floor(seed) : 0
      const idx = start + (((k % splitSize) + splitSize) % splitSize)
      const goal = world.goals.goal(idx)
      session = new WebshopSession(world, goal, String(idx))
      steps = 0
      done = false
      return {
        ...observe(session),
        // verl-agent takes the task from the page text, whose nodes are stripped
        task: goal.instruction_text.trim(),
        info: { won: false, actionIsValid: true, taskType: goal.category, goalIndex: idx }
      }
    },
    step(action: string) {
      if (!session) throw new Error('WebShop env: call reset() before step()')
      if (done) {
        return {
          ...observe(session),
          reward: 0,
          done: true,
          info: { won: false, actionIsValid: false }
        }
      }
      const out = session.step(typeof action === 'string' ? action : String(action))
      steps++
      const score = out.done ? out.reward : 0
      const won = out.done && score === 1
      const truncated = !out.done && steps >= options.maxSteps
      done = out.done || truncated
      const info: EnvInfo = {
        won,
        actionIsValid: out.valid,
        taskType: session.goal.category,
        taskScore: score,
        available_actions: {
          has_search_bar: session.state.page.hasSearchBar,
          clickables: [...session.state.page.clickables.keys()]
        }
      }
      if (out.info) info.rewardInfo = out.info
      if (truncated) info.truncated = true
      const reward = options.reward === 'verl' ? (won ? 10 : 0) : score
      return { ...observe(session), reward, done, info }
    },
    expert(): ExpertSubgoal[] {
      if (!session || done) return []
      return planExpert(world, session)
    }
  }
  return env
}

function summary(p: Product) {
  return { asin: p.asin, title: p.Title, price: p.Price }
}

function makeView(s: WebshopSession, text: string, world: WebshopWorld): WebshopView {
  const st = s.state
  const product = st.asin ? world.byAsin.get(st.asin) : undefined
  const shown =
    st.page.name === 'results'
      ? st.results
          .slice((st.pageNum - 1) * PRODUCT_WINDOW, st.pageNum * PRODUCT_WINDOW)
          .map((a) => summary(world.byAsin.get(a) as Product))
      : []
  return {
    kind: 'webshop',
    page: st.page.name,
    url: st.url,
    clickables: [...st.page.clickables.keys()],
    hasSearchBar: st.page.hasSearchBar,
    instruction: s.instruction,
    text,
    keywords: st.keywords?.join(' ') ?? null,
    pageNum: st.pageNum,
    totalResults: st.results.length,
    results: shown,
    product: product
      ? { ...summary(product), options: product.options, selected: { ...st.options } }
      : null,
    subPage: st.sub,
    reward: st.reward,
    goal: {
      asin: s.goal.asin,
      options: s.goal.goal_options,
      attributes: s.goal.attributes,
      priceUpper: s.goal.price_upper
    }
  }
}
