// Scripted shopper (oracle): search with the instruction, open the goal product (or the result
// that scores best), choose the goal options, buy. Yields subgoals with their actions.

import type { ExpertSubgoal } from '../env'
import type { WebshopWorld } from './dataset'
import type { WebshopSession } from './engine'
import { PRODUCT_WINDOW } from './search'
import { getReward, tokenSetRatio } from './reward'
import type { Goal, Product } from './types'

/** Search query the expert types: the instruction without its price clause, lower-cased. */
export function expertQuery(goal: Goal): string {
  return goal.instruction_text.replace(/, and price lower than [\d.]+ dollars$/, '').toLowerCase()
}

/** Option values to click on `product` for `goal` (values the product offers). */
export function chooseOptions(product: Product, goal: Goal): Record<string, string> {
  const chosen: Record<string, string> = {}
  const wanted = Array.isArray(goal.goal_options)
    ? goal.goal_options.map((v) => ({ name: null as string | null, value: v.toLowerCase() }))
    : Object.entries(goal.goal_options).map(([name, value]) => ({ name, value }))
  for (const w of wanted) {
    let best: { name: string; value: string; score: number } | null = null
    for (const [name, values] of Object.entries(product.options)) {
      if (w.name !== null && w.name !== name) continue
      for (const value of values) {
        const score = value === w.value ? 101 : tokenSetRatio(value, w.value)
        if (!best || score > best.score) best = { name, value, score }
      }
    }
    if (best && best.score > 85 && chosen[best.name] === undefined) chosen[best.name] = best.value
  }
  return chosen
}

export function planExpert(world: WebshopWorld, session: WebshopSession): ExpertSubgoal[] {
  const goal = session.goal
  const st = session.state
  const plan: ExpertSubgoal[] = []
  let target = world.byAsin.get(goal.asin)
  const onTarget =
    st.asin !== null &&
    st.asin === goal.asin &&
    (st.page.name === 'item' || st.page.name === 'item_sub')

  if (!onTarget || !target) {
    let query = expertQuery(goal)
    let results = world.index.search(query)
    if (!results.includes(goal.asin)) {
      const byTitle = goal.name.toLowerCase().replace(/[[\]]/g, ' ')
      const titleResults = world.index.search(byTitle)
      if (titleResults.includes(goal.asin)) {
        query = byTitle
        results = titleResults
      }
    }
    const rank = results.indexOf(goal.asin)
    target = rank >= 0 ? world.byAsin.get(goal.asin) : bestCandidate(world, goal, results)
    if (!target) return [{ subgoal: `Search for "${query}"`, actions: [`search[${query}]`] }]
    // Already on a result list that shows the target: page to it instead of searching again.
    const reuse =
      st.page.name === 'results' &&
      (st.results.includes(target.asin) || st.keywords?.join(' ') === query)
    const list = reuse ? st.results : results
    const at = list.indexOf(target.asin)
    if (at < 0) return [{ subgoal: `Search for "${query}"`, actions: [`search[${query}]`] }]
    const page = Math.floor(at / PRODUCT_WINDOW) + 1
    const from = reuse ? st.pageNum : 1
    const moves = Array.from({ length: Math.abs(page - from) }, () =>
      page > from ? 'click[next >]' : 'click[< prev]'
    )
    if (!reuse) plan.push({ subgoal: `Search for "${query}"`, actions: [`search[${query}]`] })
    plan.push({
      subgoal: `Select item ${target.asin}: ${target.Title}`,
      actions: [...moves, `click[${target.asin.toLowerCase()}]`]
    })
  } else if (st.page.name === 'item_sub') {
    plan.push({ subgoal: `Return to item ${target.asin}`, actions: ['click[< prev]'] })
  }

  const chosen = chooseOptions(target, goal)
  const clicks = Object.entries(chosen)
    .filter(([name, value]) => !(onTarget && st.options[name] === value))
    .map(([, value]) => `click[${value}]`)
  if (clicks.length > 0) {
    const label = Object.entries(chosen)
      .map(([name, value]) => `${name}: ${value}`)
      .join(', ')
    plan.push({ subgoal: `Choose options ${label}`, actions: clicks })
  }
  plan.push({ subgoal: 'Buy the item', actions: ['click[buy now]'] })
  return plan
}

function bestCandidate(world: WebshopWorld, goal: Goal, results: string[]): Product | undefined {
  let best: { p: Product; r: number } | undefined
  for (const asin of results) {
    const p = world.byAsin.get(asin)
    if (!p) continue
    const r = getReward(p, goal, world.prices.get(asin) ?? 100, chooseOptions(p, goal)).reward
    if (!best || r > best.r) best = { p, r }
  }
  return best?.p
}
