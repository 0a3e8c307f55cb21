// How the model names a WebShop search result (LM option `webshopClick`). `asin`: as the env does,
// `click[b0i8m16pfy]`, ten character tokens copied from the line above the title, so choosing a
// result means predicting a character of its ASIN. `title`: `click[<the result's title>]`; the
// decoder's prefix tree then makes the choice at the first word where the page's titles differ, a
// word the model can match against the instruction, and the rest of the title is forced (no
// forward pass). `rank`: `click[3]` for the page's third result, whose ASIN line the model's page
// shows as `3`: the choice is one number token that means the same on every page (a preference
// for the first results is one logit). The env still receives `click[<asin>]`: the tree's leaves
// hold the env's action. In `title` and `rank` modes the model's results page has no ASINs.
import { normalizeText } from '../tokenizer'
import { clickTargets, pageParts } from '../demonstrators/webshop/parse'

export const WEBSHOP_CLICKS = ['asin', 'title', 'rank'] as const
export type WebshopClick = (typeof WEBSHOP_CLICKS)[number]

const ASIN = /^[A-Z0-9]{10}$/
const RESULTS_HEADER = /^Page \d+ \(Total results: \d+\)$/

/**
 * The model's text for each result click of a results page (`click[<asin>]` → `click[<title>]` or
 * `click[<rank>]`). In `title` mode a title that another click of the page already spells (the
 * same title twice) gets its price appended; if that is taken too, the click keeps its ASIN.
 */
export function resultClickTexts(
  observation: string,
  admissible: readonly string[],
  mode: WebshopClick = 'title'
): Map<string, string> {
  const out = new Map<string, string>()
  if (mode === 'asin') return out
  const parts = pageParts(observation)
  if (!parts.some((p) => RESULTS_HEADER.test(p))) return out
  const targets = clickTargets(admissible)
  const taken = new Set(admissible.map(normalizeText))
  let rank = 0
  parts.forEach((part, i) => {
    const asin = part.toLowerCase()
    const title = parts[i + 1]
    if (!ASIN.test(part) || !title) return
    rank++
    if (!targets.has(asin)) return
    const spellings =
      mode === 'rank'
        ? [`click[${rank}]`]
        : [`click[${title}]`, `click[${title} ${parts[i + 2] ?? ''}]`]
    for (const text of spellings) {
      const key = normalizeText(text)
      if (taken.has(key)) continue
      taken.add(key)
      out.set(`click[${asin}]`, text)
      return
    }
  })
  return out
}

/**
 * The compact observation's lines as the model reads a results page: `title` drops the ASIN lines,
 * `rank` replaces each with its rank on the page (1, 2, …); `asin` and other pages: unchanged.
 */
export function resultLines(lines: string[], mode: WebshopClick): string[] {
  if (mode === 'asin' || !lines.some((l) => RESULTS_HEADER.test(l))) return lines
  let rank = 0
  const out: string[] = []
  lines.forEach((l, i) => {
    if (!ASIN.test(l) || i + 1 >= lines.length) out.push(l)
    else if (mode === 'rank') out.push(String(++rank))
  })
  return out
}
