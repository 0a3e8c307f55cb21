// Reading WebShop pages as the agent sees them (verl-agent's quoted parts or the raw [SEP] text):
// which page it is, the result list, the item page's title, price and option groups, and the
// instruction's query, budget and 'name: value' options.

/** Prices are [low, high]: equal for a fixed price, the shown range for a ranged one. */
export type PriceRange = [number, number]
export type ResultEntry = { asin: string; title: string; price: PriceRange }
export type ItemPage = { title: string; price: PriceRange; options: Record<string, string[]> }
export type WebshopPage = 'search' | 'results' | 'item' | 'sub' | 'done'

const BUTTONS = new Set([
  'back to search',
  'next >',
  '< prev',
  'description',
  'features',
  'reviews',
  'buy now',
  'search'
])

/** The page shown, from the admissible actions. */
export function pageOf(admissible: readonly string[]): WebshopPage {
  if (admissible.length === 0) return 'done'
  if (admissible.some((a) => a.startsWith('search['))) return 'search'
  if (admissible.includes('click[buy now]')) return 'item'
  if (admissible.includes('click[next >]')) return 'results'
  return 'sub'
}

/** The page's text nodes (quotes of the verl format removed). */
export function pageParts(observation: string): string[] {
  return observation.split(' [SEP] ').map((p) => p.replace(/^'([\s\S]*)'$/, '$1'))
}

/** Click targets that are not page buttons: product ids on a result page, option values on an item. */
export function clickTargets(admissible: readonly string[]): Set<string> {
  const out = new Set<string>()
  for (const a of admissible) {
    const m = /^click\[(.*)\]$/.exec(a)
    if (m && !BUTTONS.has(m[1] as string)) out.add(m[1] as string)
  }
  return out
}

/** '$12.99' → [12.99, 12.99]; '$10.71 to $18.34' → [10.71, 18.34]; no price → [NaN, NaN]. */
export function parsePrice(text: string): PriceRange {
  const values = [...text.matchAll(/\$([\d,]+(?:\.\d+)?)/g)].map((m) =>
    Number((m[1] as string).replace(/,/g, ''))
  )
  const lo = values[0] ?? Number.NaN
  return [lo, values[1] ?? lo]
}

export function parseResults(observation: string, admissible: readonly string[]): ResultEntry[] {
  const products = clickTargets(admissible)
  const parts = pageParts(observation)
  const out: ResultEntry[] = []
  parts.forEach((p, i) => {
    if (!products.has(p.toLowerCase())) return
    out.push({ asin: p, title: parts[i + 1] ?? '', price: parsePrice(parts[i + 2] ?? '') })
  })
  return out
}

export function parseItem(observation: string, admissible: readonly string[]): ItemPage {
  const values = clickTargets(admissible)
  const parts = pageParts(observation)
  const priceAt = parts.findIndex((p) => p.startsWith('Price: '))
  const start = parts.indexOf('< Prev') + 1
  const options: Record<string, string[]> = {}
  let group: string | null = null
  for (let i = start; i < priceAt - 1; i++) {
    const p = parts[i] as string
    if (values.has(p.toLowerCase()) && group !== null) options[group]?.push(p.toLowerCase())
    else {
      group = p.toLowerCase()
      options[group] = []
    }
  }
  return {
    title: parts[priceAt - 1] ?? '',
    price: parsePrice(parts[priceAt] ?? ''),
    options
  }
}

const PRICE_CLAUSE = /,? and price lower than ([\d.]+) dollars\s*$/

/** The budget of a 'price lower than X dollars' clause (Infinity without one). */
export function parseBudget(instruction: string): number {
  const m = PRICE_CLAUSE.exec(instruction.trim())
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY
}

/** What to type in the search box: the instruction without its price clause, lower-cased. */
export function searchQuery(instruction: string): string {
  return instruction.trim().replace(PRICE_CLAUSE, '').toLowerCase()
}

/** Where the ' with name: value' option clause starts (-1 without one). */
function optionClauseAt(text: string): number {
  const colon = text.indexOf(': ')
  return colon < 0 ? -1 : text.lastIndexOf(' with ', colon)
}

/** The options a 'with name: value, and name: value' clause asks for (empty without one). */
export function askedOptions(instruction: string): Record<string, string> {
  const text = searchQuery(instruction)
  const at = optionClauseAt(text)
  const out: Record<string, string> = {}
  if (at < 0) return out
  for (const pair of text.slice(at + ' with '.length).split(', and ')) {
    const colon = pair.indexOf(': ')
    if (colon > 0) out[pair.slice(0, colon).trim()] = pair.slice(colon + 2).trim()
  }
  return out
}

/** The instruction before its 'with name: value' option clause, if it has one. */
export function describedPart(instruction: string): string {
  const text = searchQuery(instruction)
  const at = optionClauseAt(text)
  return at < 0 ? text : text.slice(0, at)
}
