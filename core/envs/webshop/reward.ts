// get_reward of WebShop (goal.py, envs.md §2.5): type x (attributes + options + price) / (|A|+|O|+1).

import { token_set_ratio, type FuzzballTokenSetOptions } from 'fuzzball'
import { nouns } from './nlp'
import { normalizeColor, normalizeGoalOptionTuple } from './normalize'
import type { Goal, Product } from './types'

export type RewardInfo = {
  r_type: number
  r_att: number
  w_att: number
  query_match: boolean
  category_match: boolean
  title_score: number
  r_option?: number
  w_option?: number
  r_price?: number
  w_price?: number
}

export type RewardTarget = Pick<
  Goal,
  'query' | 'product_category' | 'name' | 'attributes' | 'price_upper' | 'goal_options'
>

// WebShop pins thefuzz==0.19.0 without python-Levenshtein, so ratios come from difflib's
// SequenceMatcher; fuzzball has that algorithm. The cleanup is thefuzz's own full_process
// (drop U+0080-U+00FF, \W -> space keeping '_', lower, strip), done here because fuzzball's
// differs on '_' and non-ASCII text.
const LATIN1 = /[\u0080-\u00ff]/g
const NON_WORD = /[^\p{L}\p{N}_]/gu

// fuzzball implements ratio_alg but its type declarations omit it.
const DIFFLIB: FuzzballTokenSetOptions & { ratio_alg: 'difflib' } = {
  full_process: false,
  ratio_alg: 'difflib'
}

export function fullProcess(s: string): string {
  return s.replace(LATIN1, '').replace(NON_WORD, ' ').toLowerCase().trim()
}

/** thefuzz 0.19 token_set_ratio (0–100, integer). */
export function tokenSetRatio(a: string, b: string): number {
  const pa = fullProcess(a)
  const pb = fullProcess(b)
  if (pa === '' || pb === '') return 0
  return token_set_ratio(pa, pb, DIFFLIB)
}

export function typeReward(purchased: Product, goal: RewardTarget) {
  const queryMatch = purchased.query === goal.query
  const pCat = new Set(purchased.product_category.split('›').map((x) => x.trim()))
  const gCat = new Set(goal.product_category.split('›').map((x) => x.trim()))
  let shared = 0
  for (const c of gCat) if (pCat.has(c)) shared++
  const categoryMatch = shared >= 2
  const purchasedNouns = new Set(nouns(purchased.name))
  const desired = nouns(goal.name)
  let titleScore: number
  if (desired.length === 0) titleScore = 0.2
  else {
    let inter = 0
    for (const n of new Set(desired)) if (purchasedNouns.has(n)) inter++
    titleScore = inter / desired.length
  }
  let rType = 1.0
  if (!(queryMatch || categoryMatch || titleScore > 0.2)) rType = 0.5
  if (titleScore < 0.1) rType = 0.1
  if (titleScore === 0) rType = 0.0
  return { rType, queryMatch, categoryMatch, titleScore }
}

export function attributeMatches(purchased: Product, goalAttributes: string[]): number {
  const title = purchased.Title.toLowerCase()
  const bullets = purchased.BulletPoints.join(' ').toLowerCase()
  const description = purchased.Description.toLowerCase()
  let matches = 0
  for (const g of goalAttributes) {
    if (purchased.Attributes.some((p) => tokenSetRatio(p, g) > 85)) matches++
    else if (title.includes(g) || bullets.includes(g) || description.includes(g)) matches++
  }
  return matches
}

/** Goal options: a dict (synthetic: matched as "name value" token bags, the tuple quirk) or a list. */
export function optionMatches(
  purchasedOptions: Record<string, string>,
  goalOptions: Goal['goal_options']
): number {
  const purchased = Object.values(purchasedOptions).map(normalizeColor)
  const goals = Array.isArray(goalOptions)
    ? goalOptions.map(normalizeColor)
    : Object.entries(goalOptions).map(([k, v]) => normalizeGoalOptionTuple(k, v))
  let matches = 0
  for (const g of goals) if (purchased.some((p) => tokenSetRatio(p, g) > 85)) matches++
  return matches
}

export function getReward(
  purchased: Product,
  goal: RewardTarget,
  price: number,
  options: Record<string, string>
): { reward: number; info: RewardInfo } {
  const t = typeReward(purchased, goal)
  const nAttr = goal.attributes.length
  const nOpt = Array.isArray(goal.goal_options)
    ? goal.goal_options.length
    : Object.keys(goal.goal_options).length
  const denom = nAttr + nOpt + 1
  const rPrice = goal.price_upper > 0 ? (price <= goal.price_upper ? 1 : 0) : 0
  const attr = attributeMatches(purchased, goal.attributes)
  const opt = optionMatches(options, goal.goal_options)
  const reward = ((attr + opt + rPrice) / denom) * t.rType
  const info: RewardInfo = {
    r_type: t.rType,
    r_att: nAttr > 0 ? attr / nAttr : 0,
    w_att: nAttr / denom,
    query_match: t.queryMatch,
    category_match: t.categoryMatch,
    title_score: t.titleScore
  }
  if (nOpt > 0) {
    info.r_option = opt / nOpt
    info.w_option = nOpt / denom
  }
  if (goal.price_upper > 0) {
    info.r_price = rPrice
    info.w_price = 1 / denom
  }
  return { reward, info }
}
