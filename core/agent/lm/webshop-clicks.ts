// How the model names a WebShop search result (LM option `webshopClick`). `asin`: as the env does,
// `click[b0i8m16pfy]`, ten character tokens copied from the line above the title, so choosing a
// result means predicting a character of its ASIN. `title`: `click[<the result's title>]`; the
// decoder's prefix tree then makes the choice at the first word where the page's titles differ, a
// word the model can match against the instruction, and the rest of the title is forced (no
// forward pass). The env still receives `click[<asin>]`: the tree's leaves hold the env's action.
// In `title` mode the results page drops its ASIN lines from the model's observation.
import { normalizeText } from '../tokenizer'
import { clickTargets, pageParts } from '../demonstrators/webshop/parse'

export const WEBSHOP_CLICKS = ['asin', 'title'] as const
export type WebshopClick = (typeof WEBSHOP_CLICKS)[number]

const ASIN = /^[A-Z0-9]{10}$/
const RESULTS_HEADER = /^Page \d+ \(Total results: \d+\)$/

/**
 * The model's text for each result click of a results page (`click[<asin>]` → `click[<title>]`).
 * A title that another click of the page already spells (the same title twice) gets its price
 * appended; if that is taken too, the click keeps its ASIN.
 */
export function resultClickTexts(
  observation: string,
  admissible: readonly string[]
): Map<string, string> {
  const out = new Map<string, string>()
  const parts = pageParts(observation)
  if (!parts.some((p) => RESULTS_HEADER.test(p))) return out
  const targets = clickTargets(admissible)
  const taken = new Set(admissible.map(normalizeText))
  parts.forEach((part, i) => {
    const asin = part.toLowerCase()
    const title = parts[i + 1]
    if (!ASIN.test(part) || !targets.has(asin) || !title) return
    for (const text of [`click[${title}]`, `click[${title} ${parts[i + 2] ?? ''}]`]) {
      const key = normalizeText(text)
      if (taken.has(key)) continue
      taken.add(key)
      out.set(`click[${asin}]`, text)
      return
    }
  })
  return out
}

/** The compact observation's lines without a results page's ASIN lines (`title` mode). */
export function withoutResultAsins(lines: string[]): string[] {
  if (!lines.some((l) => RESULTS_HEADER.test(l))) return lines
  return lines.filter((l, i) => !(ASIN.test(l) && i + 1 < lines.length))
}
