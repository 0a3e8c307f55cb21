// Goal (instruction) generation, port of goal.py get_synthetic_goals / get_human_goals, plus the
// seeded shuffle and the verl-agent split (test = first 500, train = the rest). Goals are kept as
// compact references and materialised on demand so that a 100k-product catalog stays small.

import type { LoadedProducts } from './products'
import { createRng, type Rng } from './rng'
import type { Goal, GoalSource, Product } from './types'

export const PRICE_RANGE = Array.from({ length: 99 }, (_, i) => 10 * (i + 1))
export const TEST_GOALS = 500
const NO_PRICE_LIMIT = 1000000

export type GoalSet = {
  source: GoalSource
  /** Number of goals (all splits). */
  size: number
  /** The i-th goal after the shuffle. */
  goal(i: number): Goal
}

export type Split = 'train' | 'test'

/** Index range [start, end) of a split inside the shuffled goal list. */
export function splitRange(goals: GoalSet, split: Split): [number, number] {
  const testEnd = Math.min(TEST_GOALS, goals.size)
  return split === 'test' ? [0, testEnd] : [testEnd, goals.size]
}

export function buildGoals(
  loaded: LoadedProducts,
  source: GoalSource,
  priceSeed: number,
  shuffleSeed: number
): GoalSet {
  // Price clauses draw from their own stream so that the prices themselves do not depend on it.
  const rng = createRng(priceSeed * 31 + 7)
  const built = source === 'synthetic' ? syntheticRefs(loaded, rng) : humanRefs(loaded, rng)
  const order = new Int32Array(built.count)
  for (let i = 0; i < order.length; i++) order[i] = i
  const shuffleRng = createRng(shuffleSeed)
  for (let i = order.length - 1; i > 0; i--) {
    const j = shuffleRng.int(i + 1)
    const tmp = order[i] as number
    order[i] = order[j] as number
    order[j] = tmp
  }
  return {
    source,
    size: built.count,
    goal: (i) => {
      const ref = order[i]
      if (ref === undefined) throw new RangeError(`goal index ${i} out of range`)
      return built.materialise(ref)
    }
  }
}

type Refs = { count: number; materialise(ref: number): Goal }

function priceClause(price: number, rng: Rng): { upper: number; text: string } {
  const range = PRICE_RANGE.filter((p) => p > price).slice(0, 4)
  if (range.length < 2) return { upper: NO_PRICE_LIMIT, text: '' }
  const [x = 0, y = 0] = rng.sample(range, 2)
  const upper = Math.max(x, y)
  return { upper, text: `, and price lower than ${upper.toFixed(2)} dollars` }
}

function syntheticRefs(loaded: LoadedProducts, rng: Rng): Refs {
  const eligible: Product[] = []
  const uppers: number[] = []
  const texts: string[] = []
  const starts: number[] = []
  const attrCounts = new Map<string, number>()
  let count = 0
  for (const p of loaded.products) {
    if (p.instruction_text == null || !p.instruction_attributes?.length) continue
    const clause = priceClause(loaded.prices.get(p.asin) ?? 100, rng)
    const combos = Object.values(p.options).reduce((n, vs) => n * vs.length, 1)
    if (combos === 0) continue
    eligible.push(p)
    uppers.push(clause.upper)
    texts.push(clause.text)
    starts.push(count)
    count += combos
    for (const a of p.instruction_attributes) attrCounts.set(a, (attrCounts.get(a) ?? 0) + combos)
  }
  const materialise = (ref: number): Goal => {
    const k = upperBound(starts, ref) - 1
    const p = eligible[k] as Product
    let combo = ref - (starts[k] as number)
    const names = Object.keys(p.options).sort()
    // itertools.product order: the last option name varies fastest.
    const picked: string[] = new Array<string>(names.length)
    for (let n = names.length - 1; n >= 0; n--) {
      const values = p.options[names[n] as string] as string[]
      picked[n] = values[combo % values.length] as string
      combo = Math.floor(combo / values.length)
    }
    const goalOptions: Record<string, string> = {}
    names.forEach((name, n) => (goalOptions[name] = picked[n] as string))
    const optionText = names.map((name) => `${name}: ${goalOptions[name]}`).join(', and ')
    const attributes = p.instruction_attributes as string[]
    return {
      asin: p.asin,
      category: p.category,
      query: p.query,
      name: p.Title,
      product_category: p.product_category,
      instruction_text: `${p.instruction_text}${optionText ? ` with ${optionText}` : ''}${texts[k]}`,
      attributes,
      price_upper: uppers[k] as number,
      goal_options: goalOptions,
      weight: attributes.reduce((s, a) => s + 1 / (attrCounts.get(a) ?? 1), 0) / attributes.length
    }
  }
  return { count, materialise }
}

function humanRefs(loaded: LoadedProducts, rng: Rng): Refs {
  const goals: { product: Product; entry: number; upper: number; text: string }[] = []
  for (const p of loaded.products) {
    if (!p.human) continue
    p.human.forEach((h, entry) => {
      if (h.instruction_attributes.length === 0) return
      const clause = priceClause(loaded.prices.get(p.asin) ?? 100, rng)
      goals.push({ product: p, entry, upper: clause.upper, text: clause.text })
    })
  }
  return {
    count: goals.length,
    materialise: (ref) => {
      const g = goals[ref]
      if (!g) throw new RangeError(`goal ref ${ref} out of range`)
      const h = (g.product.human ?? [])[g.entry] as NonNullable<Product['human']>[number]
      return {
        asin: g.product.asin,
        category: g.product.category,
        query: g.product.query,
        name: g.product.name,
        product_category: g.product.product_category,
        instruction_text: stripChars(h.instruction, '.') + g.text,
        attributes: h.instruction_attributes,
        price_upper: g.upper,
        goal_options: h.instruction_options,
        weight: 1
      }
    }
  }
}

/** Python's str.strip(chars). */
function stripChars(s: string, chars: string): string {
  let a = 0
  let b = s.length
  while (a < b && chars.includes(s[a] as string)) a++
  while (b > a && chars.includes(s[b - 1] as string)) b--
  return s.slice(a, b)
}

/** First index whose value is > x (arr sorted ascending). */
function upperBound(arr: number[], x: number): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((arr[mid] as number) <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}
