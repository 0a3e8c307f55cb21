// Pack format 2 (step-pack.ts) stores a WebShop replay view without the fields that repeat the
// step's observation or admissible list: the page `text` (the observation's items unquoted, after
// the instruction), the `results` (the observation's asin/title/price triples) and the
// `clickables` (the admissible `click[…]` arguments). Deflate codes each repeated item of those
// fields as its own back-reference (the quotes and JSON around them differ), which made the view
// about half of a WebShop pack. A field is left out only when deriving it gives back exactly the
// stored text; `packView` checks the whole view string that way and returns null otherwise.
// Format 3 (codecs 13–20) adds what repeats the step before, the url, the done page's text and the
// admissible lists the observation gives (below).

type View = Record<string, unknown>

/** Stands for a derived field in a packed view; a view that holds this string itself is not packed. */
const DERIVED = '\u0000'
const TEXT_PREFIXES = ['', 'WebShop [SEP] ']
const ASIN = /^[A-Z0-9]{10}$/

function observationItems(observation: string): string[] {
  return observation
    .split(' [SEP] ')
    .map((s) => (s.length >= 2 && s.startsWith("'") && s.endsWith("'") ? s.slice(1, -1) : s))
}

type Derivation = (v: View, observation: string, admissible: readonly string[]) => unknown

const derivations: { key: string; variants: Derivation[] }[] = [
  {
    key: 'text',
    variants: [
      ...TEXT_PREFIXES.map(
        (prefix): Derivation =>
          (v, observation) =>
            typeof v['instruction'] === 'string'
              ? `${prefix}Instruction: [SEP] ${v['instruction']} [SEP] ${observationItems(observation).join(' [SEP] ')}`
              : undefined
      ),
      // Since format 3: the done page, whose text is its items without the instruction.
      (_v, observation) => observationItems(observation).join(' [SEP] ')
    ]
  },
  {
    key: 'results',
    variants: [
      (_v, observation) => {
        const items = observationItems(observation)
        const first = items.findIndex((s) => ASIN.test(s))
        if (first < 0 || (items.length - first) % 3 !== 0) return undefined
        const out: { asin: string; title: string; price: string }[] = []
        for (let i = first; i < items.length; i += 3)
          out.push({ asin: items[i]!, title: items[i + 1]!, price: items[i + 2]! })
        return out
      }
    ]
  },
  {
    key: 'clickables',
    variants: [
      (_v, _o, admissible) =>
        admissible
          .filter((a) => a.startsWith('click[') && a.endsWith(']'))
          .map((a) => a.slice(6, -1))
    ]
  }
]

const isObject = (x: unknown): x is View => typeof x === 'object' && x !== null && !Array.isArray(x)

const isWebshopView = (v: unknown): v is View => isObject(v) && v['kind'] === 'webshop'

/**
 * Format 3 (codecs 13–20) also marks what repeats the previous step's view: a field equal to it
 * (`SAME`), or an object differing in some keys (a patch: `{"\u0000": 0, ...those keys}`, e.g. a
 * product whose selected options changed). And the `url`, which the env builds from the session id
 * and the view's other fields, is kept as `URL_MARK` + the session id.
 */
const SAME = '\u0000p'
const PATCH_KEY = '\u0000'
const URL_MARK = '\u0000u'
const BASE_URL = 'http://127.0.0.1:3000'
const SESSION =
  /^http:\/\/127\.0\.0\.1:3000\/(?:(?:search_results|item_page|item_sub_page|done)\/)?([^/]+)/

/** JSON as Python's json.dumps writes it, as the env puts selected options into its urls. */
const pyJson = (o: unknown): string =>
  isObject(o)
    ? `{${Object.entries(o)
        .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
        .join(', ')}}`
    : ''

/** The url the WebShop env shows for this view's page (engine.ts), in session `sid`. */
function urlOf(v: View, sid: string): string | undefined {
  const keywords = typeof v['keywords'] === 'string' ? v['keywords'].split(' ').join('+') : ''
  const product = isObject(v['product']) ? v['product'] : undefined
  const asin = String(product?.['asin'])
  const options = pyJson(product?.['selected'])
  const pageNum = String(v['pageNum'])
  switch (v['page']) {
    case 'search':
      return `${BASE_URL}/${sid}`
    case 'results':
      return `${BASE_URL}/search_results/${sid}/${keywords}/${pageNum}`
    case 'item':
      return `${BASE_URL}/item_page/${sid}/${asin}/${keywords}/${pageNum}/${options}`
    case 'item_sub':
      return `${BASE_URL}/item_sub_page/${sid}/${asin}/${keywords}/${pageNum}/${String(v['subPage'])}/${options}`
    case 'done':
      return `${BASE_URL}/done/${sid}/${asin}/${options}`
    default:
      return undefined
  }
}

/** Format 3's marks against the previous step's view. */
function markRepeats(packed: View, prev: View): number {
  let marked = 0
  for (const [key, value] of Object.entries(packed)) {
    if (key === 'kind' || !(key in prev)) continue
    const before = prev[key]
    if (JSON.stringify(value) === JSON.stringify(before)) {
      packed[key] = SAME
      marked++
      continue
    }
    if (!isObject(value) || !isObject(before)) continue
    const keys = Object.keys(value)
    if (keys.join('\u0000') !== Object.keys(before).join('\u0000')) continue
    const patch: View = { [PATCH_KEY]: 0 }
    for (const k of keys)
      if (JSON.stringify(value[k]) !== JSON.stringify(before[k])) patch[k] = value[k]
    packed[key] = patch
    marked++
  }
  return marked
}

function resolveRepeats(v: View, prev: View | null): void {
  for (const [key, value] of Object.entries(v)) {
    const isPatch = isObject(value) && PATCH_KEY in value
    if (value !== SAME && !isPatch) continue
    const before = prev?.[key]
    if (before === undefined) throw new Error(`corrupt step pack: ${key} repeats no earlier view`)
    if (value === SAME) v[key] = before
    else {
      if (!isObject(before)) throw new Error(`corrupt step pack: ${key} patches no object`)
      const { [PATCH_KEY]: _mark, ...changed } = value as View
      v[key] = { ...before, ...changed }
    }
  }
}

/**
 * Format 3 writes a packed view whose keys are those of the previous step's view (of `makeView`'s
 * order for an episode's first step) as the array of its values: the key names, repeated in every
 * step, broke deflate's matches between the values.
 */
const WEBSHOP_KEYS = [
  'kind',
  'page',
  'url',
  'clickables',
  'hasSearchBar',
  'instruction',
  'text',
  'keywords',
  'pageNum',
  'totalResults',
  'results',
  'product',
  'subPage',
  'reward',
  'goal'
]
const keysAfter = (prev: View | null): string[] => (prev ? Object.keys(prev) : WEBSHOP_KEYS)

/** A packed view: an object, or in format 3 the array of its values (see `keysAfter`). */
export type PackedView = View | unknown[]

/**
 * The view with derived fields replaced by marks, or null when nothing is gained. Format 3 takes
 * the previous step's view (parsed), or null for an episode's first step.
 */
export function packView(
  viewJson: string,
  observation: string,
  admissible: readonly string[],
  format: 2 | 3 = 2,
  prev: View | null = null
): PackedView | null {
  if (!viewJson.includes('"kind":"webshop"') || viewJson.includes('\\u0000')) return null
  let v: unknown
  try {
    v = JSON.parse(viewJson)
  } catch {
    return null // stored as it is, like any view this module does not know
  }
  if (!isWebshopView(v)) return null
  const packed: View = { ...v }
  let derived = 0
  for (const { key, variants } of derivations) {
    if (!(key in v)) continue
    const stored = JSON.stringify(v[key])
    const i = variants.findIndex((d) => JSON.stringify(d(v, observation, admissible)) === stored)
    if (i < 0) continue
    packed[key] = DERIVED + String(i)
    derived++
  }
  if (format === 3) {
    const sid = typeof v['url'] === 'string' ? SESSION.exec(v['url'])?.[1] : undefined
    if (sid !== undefined && urlOf(v, sid) === v['url']) {
      packed['url'] = URL_MARK + sid
      derived++
    }
    if (prev) derived += markRepeats(packed, prev)
  }
  if (derived === 0) return null
  const keys = Object.keys(packed)
  const out: PackedView =
    format === 3 && keys.join('\u0000') === keysAfter(prev).join('\u0000')
      ? Object.values(packed)
      : packed
  return unpackView(out, observation, admissible, prev) === viewJson ? out : null
}

/** A packed view's JSON text; `prev` as it was given to `packView` (format 3). */
export function unpackView(
  packed: PackedView,
  observation: string,
  admissible: readonly string[],
  prev: View | null = null
): string {
  let v: View
  if (Array.isArray(packed)) {
    const keys = keysAfter(prev)
    if (keys.length !== packed.length)
      throw new Error('corrupt step pack: a view of another length than the one before')
    v = Object.fromEntries(keys.map((k, i) => [k, packed[i]]))
  } else v = { ...packed }
  resolveRepeats(v, prev)
  for (const { key, variants } of derivations) {
    const mark = v[key]
    if (typeof mark !== 'string' || !mark.startsWith(DERIVED)) continue
    const derive = variants[Number(mark.slice(1))]
    if (!derive) throw new Error(`corrupt step pack: unknown derivation ${key}/${mark.slice(1)}`)
    v[key] = derive(v, observation, admissible)
  }
  const url = v['url']
  if (typeof url === 'string' && url.startsWith(URL_MARK)) {
    const derived = urlOf(v, url.slice(URL_MARK.length))
    if (derived === undefined) throw new Error('corrupt step pack: a url mark on an unknown page')
    v['url'] = derived
  }
  return JSON.stringify(v)
}

/** A view's JSON parsed, when it is a WebShop view (the `prev` of the next step's packing). */
export function webshopViewOf(viewJson: string | null): View | null {
  if (viewJson === null || !viewJson.includes('"kind":"webshop"')) return null
  try {
    const v: unknown = JSON.parse(viewJson)
    return isWebshopView(v) ? v : null
  } catch {
    return null
  }
}

/**
 * Format 3 stores a WebShop page's admissible list as a mark where the observation gives it: on a
 * search or a results page `ADMISSIBLE_MARK` (the buttons, then each shown asin in lower case, in
 * the order the observation lists them; pages.ts), on an item page `ITEM_MARK` and the positions of
 * the option names among the items between '< Prev' and the title (the buttons, then the option
 * values). Deflate could not refer from `click[b0abc…]` to the `'B0ABC…'` the observation holds.
 */
const ADMISSIBLE_MARK = '\u0000a'
const ITEM_MARK = '\u0000i'

const RESULTS_HEADER = /^Page \d+ \(Total results: \d+\)$/
const ITEM_BUTTONS = ['back to search', '< prev', 'description', 'features', 'reviews', 'buy now']
const ITEM_TAIL = 7 // title, price, rating, the three sub-page buttons and Buy Now

/** The admissible list of a search or results page, derived from its observation. */
export function admissibleOf(observation: string): string[] | null {
  if (observation === "'Search'") return ['search[<your query>]', 'click[search]']
  const items = observationItems(observation)
  if (items[0] !== 'Back to Search' || !RESULTS_HEADER.test(items[1] ?? '')) return null
  const out = ['click[back to search]']
  let i = 2
  for (const button of ['< Prev', 'Next >'])
    if (items[i] === button) {
      out.push(`click[${button.toLowerCase()}]`)
      i++
    }
  if ((items.length - i) % 3 !== 0) return null
  for (; i < items.length; i += 3) {
    if (!ASIN.test(items[i]!)) return null
    out.push(`click[${items[i]!.toLowerCase()}]`)
  }
  return out
}

/** An item page's option items (names and values), or null when the page is no item page. */
function itemOptions(observation: string): string[] | null {
  const items = observationItems(observation)
  const n = items.length
  const tail = items.slice(n - ITEM_TAIL)
  if (n < 2 + ITEM_TAIL || items[0] !== 'Back to Search' || items[1] !== '< Prev') return null
  if (!tail[1]!.startsWith('Price: ') || !tail[2]!.startsWith('Rating: ')) return null
  if (tail.slice(3).join('\u0000') !== 'Description\u0000Features\u0000Reviews\u0000Buy Now')
    return null
  return items.slice(2, n - ITEM_TAIL)
}

/** An item page's list: its buttons, then each option value once, as the env's Map keeps them. */
function itemAdmissible(options: readonly string[], names: ReadonlySet<number>): string[] {
  const keys = new Set(ITEM_BUTTONS)
  options.forEach((item, i) => {
    if (!names.has(i)) keys.add(item)
  })
  return [...keys].map((k) => `click[${k}]`)
}

/** The mark a format-3 tuple holds instead of `admissibleJson`, or null to store it as it is. */
export function packAdmissible(observation: string, admissibleJson: string): string | null {
  const listed = admissibleOf(observation)
  if (listed) return JSON.stringify(listed) === admissibleJson ? ADMISSIBLE_MARK : null
  const options = itemOptions(observation)
  if (!options) return null
  const values = new Set(
    (JSON.parse(admissibleJson) as unknown[]).map((a) =>
      typeof a === 'string' && a.startsWith('click[') ? a.slice(6, -1) : a
    )
  )
  const names = new Set(options.flatMap((item, i) => (values.has(item) ? [] : [i])))
  if (JSON.stringify(itemAdmissible(options, names)) !== admissibleJson) return null
  return ITEM_MARK + [...names].join(',')
}

/** Whether a format-3 tuple's admissible slot holds a mark (a JSON list never starts with NUL). */
export const isAdmissibleMark = (slot: string): boolean => slot.startsWith('\u0000')

/** The admissible list's JSON a mark stands for on this observation. */
export function unpackAdmissible(observation: string, mark: string): string {
  const list =
    mark === ADMISSIBLE_MARK
      ? admissibleOf(observation)
      : mark.startsWith(ITEM_MARK)
        ? itemListOf(observation, mark.slice(ITEM_MARK.length))
        : null
  if (!list) throw new Error('corrupt step pack: an admissible mark on a page without one')
  return JSON.stringify(list)
}

function itemListOf(observation: string, names: string): string[] | null {
  const options = itemOptions(observation)
  return (
    options && itemAdmissible(options, new Set(names === '' ? [] : names.split(',').map(Number)))
  )
}
