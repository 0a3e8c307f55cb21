// One WebShop session: the SimServer/SimBrowser state machine of web_agent_text_env.py
// (envs.md §2.4), with search on any page and options reset on a new search.

import type { WebshopWorld } from './dataset'
import {
  BACK_TO_SEARCH,
  END_BUTTON,
  NEXT_PAGE,
  PREV_PAGE,
  SUB_PAGES,
  renderDonePage,
  renderItemPage,
  renderResultsPage,
  renderSearchPage,
  renderSubPage,
  type RenderedPage,
  type SubPage
} from './pages'
import { prefixSearch } from './prefixes'
import { pyJson } from './pyfmt'
import { getReward, type RewardInfo } from './reward'
import { createRng, type Rng } from './rng'
import type { Goal, Product } from './types'

const BASE_URL = 'http://127.0.0.1:3000'

export type ParsedAction = { name: string; arg: string | null }

/** parse_action: re.match(r'(.+)\[(.+)\]'); the argument is then lower-cased. */
export function parseAction(action: string): ParsedAction {
  // Python's '.' excludes only '\n' (JS's also excludes '\r', U+2028, U+2029).
  const m = /^([^\n]+)\[([^\n]+)\]/.exec(action)
  if (!m) return { name: action, arg: null }
  return { name: m[1] as string, arg: (m[2] as string).toLowerCase() }
}

export type StepOutcome = { reward: number; done: boolean; valid: boolean; info?: RewardInfo }

export type SessionState = {
  page: RenderedPage
  url: string
  keywords: string[] | null
  pageNum: number
  results: string[]
  asin: string | null
  options: Record<string, string>
  sub: SubPage | null
  done: boolean
  reward: number | null
}

export class WebshopSession {
  readonly goal: Goal
  private readonly world: WebshopWorld
  private readonly sessionId: string
  /** Draws of `search[<r>]`; seeded by the session id, so a replay shows the same products. */
  private readonly rng: Rng
  private s: SessionState

  constructor(world: WebshopWorld, goal: Goal, sessionId: string) {
    this.world = world
    this.goal = goal
    this.sessionId = sessionId
    this.rng = createRng(seedOf(sessionId))
    this.s = this.startState()
  }

  get state(): Readonly<SessionState> {
    return this.s
  }

  get instruction(): string {
    return this.goal.instruction_text
  }

  step(action: string): StepOutcome {
    const { name, arg } = parseAction(action)
    if (this.s.done) return { reward: 0, done: true, valid: false }
    if (name === 'search' && arg !== null && arg !== '') {
      const valid = this.search(arg.split(' '), 1)
      return { reward: 0, done: false, valid }
    }
    if (name === 'click' && arg !== null && arg !== 'search' && this.s.page.clickables.has(arg)) {
      return this.click(arg)
    }
    return { reward: 0, done: false, valid: false }
  }

  private startState(): SessionState {
    return {
      page: renderSearchPage(this.instruction),
      url: `${BASE_URL}/${this.sessionId}`,
      keywords: null,
      pageNum: 1,
      results: [],
      asin: null,
      options: {},
      sub: null,
      done: false,
      reward: null
    }
  }

  /**
   * Shows page `pageNum` of the keywords' results; false (nothing changes) where the original
   * raises. As upstream, every results page reruns the search, so `<r>` draws anew each time.
   */
  private search(keywords: string[], pageNum: number): boolean {
    const prefixed = prefixSearch(this.world.products, keywords, this.rng)
    if (prefixed.kind === 'invalid') return false
    let results: string[]
    if (prefixed.kind === 'results') results = prefixed.asins
    else {
      const same = this.s.keywords !== null && this.s.keywords.join(' ') === keywords.join(' ')
      results = same ? this.s.results : this.world.index.search(keywords.join(' '))
    }
    const products = results.map((a) => this.world.byAsin.get(a) as Product)
    this.s = {
      ...this.s,
      keywords,
      pageNum,
      results,
      asin: null,
      options: {},
      sub: null,
      page: renderResultsPage(this.instruction, products, pageNum, products.length),
      url: `${BASE_URL}/search_results/${this.sessionId}/${keywords.join('+')}/${pageNum}`
    }
    return true
  }

  private click(key: string): StepOutcome {
    const clickable = this.s.page.clickables.get(key)
    if (!clickable) return { reward: 0, done: false, valid: false }
    const pageName = this.s.page.name
    if (key === END_BUTTON.toLowerCase()) return this.buy()
    if (key === BACK_TO_SEARCH.toLowerCase()) {
      this.s = this.startState()
      return { reward: 0, done: false, valid: true }
    }
    const keywords = this.s.keywords ?? []
    if (key === NEXT_PAGE.toLowerCase() && pageName === 'results') {
      this.search(keywords, this.s.pageNum + 1)
    } else if (key === PREV_PAGE.toLowerCase() && pageName === 'results') {
      this.search(keywords, this.s.pageNum - 1)
    } else if (key === PREV_PAGE.toLowerCase() && pageName === 'item_sub') {
      this.showItem()
    } else if (key === PREV_PAGE.toLowerCase() && pageName === 'item') {
      this.search(keywords, this.s.pageNum)
    } else if (SUB_PAGES.some((p) => p.toLowerCase() === key)) {
      const sub = SUB_PAGES.find((p) => p.toLowerCase() === key) as SubPage
      const product = this.currentProduct()
      this.s = {
        ...this.s,
        sub,
        page: renderSubPage(this.instruction, product, sub),
        url: `${BASE_URL}/item_sub_page/${this.sessionId}/${product.asin}/${keywords.join('+')}/${this.s.pageNum}/${sub}/${pyJson(this.s.options)}`
      }
    } else if (clickable.kind === 'product') {
      this.s = { ...this.s, asin: clickable.asin }
      this.showItem()
    } else if (clickable.kind === 'option') {
      this.s = { ...this.s, options: { ...this.s.options, [clickable.name]: clickable.value } }
      this.showItem()
    } else {
      // Every clickable a page renders is handled above; anything else does nothing.
      return { reward: 0, done: false, valid: false }
    }
    return { reward: 0, done: false, valid: true }
  }

  private currentProduct(): Product {
    const p = this.s.asin === null ? undefined : this.world.byAsin.get(this.s.asin)
    if (!p) throw new Error('WebShop session has no current product')
    return p
  }

  private showItem(): void {
    const product = this.currentProduct()
    const keywords = this.s.keywords ?? []
    this.s = {
      ...this.s,
      sub: null,
      page: renderItemPage(this.instruction, product),
      url: `${BASE_URL}/item_page/${this.sessionId}/${product.asin}/${keywords.join('+')}/${this.s.pageNum}/${pyJson(this.s.options)}`
    }
  }

  private buy(): StepOutcome {
    const product = this.currentProduct()
    const price = this.world.prices.get(product.asin) ?? 100
    const { reward, info } = getReward(product, this.goal, price, this.s.options)
    this.s = {
      ...this.s,
      done: true,
      reward,
      sub: null,
      page: renderDonePage(product.asin, this.s.options, reward),
      url: `${BASE_URL}/done/${this.sessionId}/${product.asin}/${pyJson(this.s.options)}`
    }
    return { reward, done: true, valid: true, info }
  }
}

/** A 32-bit seed from a session id (FNV-1a). */
function seedOf(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return h | 0
}
