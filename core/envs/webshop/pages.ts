// The WebShop pages in "simple" text mode (envs.md §2.3): visible text nodes joined with " [SEP] "
// and the clickables get_available_actions reports, in document order.

import { pyFloat, pyJson } from './pyfmt'
import { PRODUCT_WINDOW } from './search'
import type { Product } from './types'

export const END_BUTTON = 'Buy Now'
export const NEXT_PAGE = 'Next >'
export const PREV_PAGE = '< Prev'
export const BACK_TO_SEARCH = 'Back to Search'
export const SUB_PAGES = ['Description', 'Features', 'Reviews'] as const
export type SubPage = (typeof SUB_PAGES)[number]

export type PageName = 'search' | 'results' | 'item' | 'item_sub' | 'done'

export type Clickable =
  | { kind: 'button'; text: string }
  | { kind: 'product'; asin: string }
  | { kind: 'option'; name: string; value: string }

export type RenderedPage = {
  name: PageName
  parts: string[]
  /** Insertion order = document order; a later element with the same key replaces the value. */
  clickables: Map<string, Clickable>
  hasSearchBar: boolean
}

const button = (text: string): [string, Clickable] => [text.toLowerCase(), { kind: 'button', text }]

function page(
  name: PageName,
  parts: string[],
  clickables: [string, Clickable][],
  hasSearchBar = false
): RenderedPage {
  return {
    name,
    parts: parts.map((p) => p.trim()).filter((p) => p !== ''),
    clickables: new Map(clickables),
    hasSearchBar
  }
}

export function renderSearchPage(instruction: string): RenderedPage {
  return page(
    'search',
    ['WebShop', 'Instruction:', instruction, 'Search'],
    [button('Search')],
    true
  )
}

export function renderResultsPage(
  instruction: string,
  results: Product[],
  pageNum: number,
  total: number
): RenderedPage {
  const shown = results.slice((pageNum - 1) * PRODUCT_WINDOW, pageNum * PRODUCT_WINDOW)
  const parts = [
    'Instruction:',
    instruction,
    BACK_TO_SEARCH,
    `Page ${pageNum} (Total results: ${total})`
  ]
  const clicks = [button(BACK_TO_SEARCH)]
  if (pageNum > 1) {
    parts.push(PREV_PAGE)
    clicks.push(button(PREV_PAGE))
  }
  parts.push(NEXT_PAGE)
  clicks.push(button(NEXT_PAGE))
  for (const p of shown) {
    parts.push(p.asin, p.Title, p.Price)
    clicks.push([p.asin.toLowerCase(), { kind: 'product', asin: p.asin }])
  }
  return page('results', parts, clicks)
}

export function renderItemPage(instruction: string, product: Product): RenderedPage {
  const parts = ['Instruction:', instruction, BACK_TO_SEARCH, PREV_PAGE]
  const optionClicks: [string, Clickable][] = []
  for (const [name, values] of Object.entries(product.options)) {
    parts.push(name, ...values)
    for (const value of values) optionClicks.push([value, { kind: 'option', name, value }])
  }
  parts.push(
    product.Title,
    `Price: ${product.Price}`,
    `Rating: ${product.Rating}`,
    ...SUB_PAGES,
    END_BUTTON
  )
  const clicks = [
    button(BACK_TO_SEARCH),
    button(PREV_PAGE),
    ...SUB_PAGES.map(button),
    button(END_BUTTON),
    ...optionClicks
  ]
  return page('item', parts, clicks)
}

export function renderSubPage(instruction: string, product: Product, sub: SubPage): RenderedPage {
  const body =
    sub === 'Description' ? [product.Description] : sub === 'Features' ? product.BulletPoints : []
  return page(
    'item_sub',
    ['Instruction:', instruction, BACK_TO_SEARCH, PREV_PAGE, ...body],
    [button(BACK_TO_SEARCH), button(PREV_PAGE)]
  )
}

/** The done page; its hidden divs are visible to the text conversion, as in WebShop. */
export function renderDonePage(
  asin: string,
  options: Record<string, string>,
  reward: number
): RenderedPage {
  const parts = [
    'Thank you for shopping with us!',
    'Your code:',
    'None',
    '(Paste it in your MTurk interface.)',
    'Purchased',
    'asin',
    asin,
    'options',
    pyJson(options),
    'attrs',
    'None',
    'category',
    'None',
    'query',
    'None',
    'product category',
    'None',
    'Target',
    'asin',
    'options',
    'attrs',
    'price upper',
    'instuction text',
    'category',
    'product category',
    'query',
    'Goal',
    'None',
    'Reward',
    'Your score (min 0.0, max 1.0)',
    pyFloat(reward),
    'Reward Details',
    'None'
  ]
  return page('done', parts, [])
}

export function pageText(p: RenderedPage): string {
  return p.parts.join(' [SEP] ')
}
