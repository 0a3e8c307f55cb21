// Pack format 2 (step-pack.ts) stores a WebShop replay view without the fields that repeat the
// step's observation or admissible list: the page `text` (the observation's items unquoted, after
// the instruction), the `results` (the observation's asin/title/price triples) and the
// `clickables` (the admissible `click[…]` arguments). Deflate codes each repeated item of those
// fields as its own back-reference (the quotes and JSON around them differ), which made the view
// about half of a WebShop pack. A field is left out only when deriving it gives back exactly the
// stored text; `packView` checks the whole view string that way and returns null otherwise.

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
    variants: TEXT_PREFIXES.map(
      (prefix): Derivation =>
        (v, observation) =>
          typeof v['instruction'] === 'string'
            ? `${prefix}Instruction: [SEP] ${v['instruction']} [SEP] ${observationItems(observation).join(' [SEP] ')}`
            : undefined
    )
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

const isWebshopView = (v: unknown): v is View =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as View)['kind'] === 'webshop'

/** The view with derivable fields replaced by a variant mark, or null when nothing is gained. */
export function packView(
  viewJson: string,
  observation: string,
  admissible: readonly string[]
): View | null {
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
  if (derived === 0) return null
  return unpackView(packed, observation, admissible) === viewJson ? packed : null
}

export function unpackView(
  packed: View,
  observation: string,
  admissible: readonly string[]
): string {
  const v: View = { ...packed }
  for (const { key, variants } of derivations) {
    const mark = v[key]
    if (typeof mark !== 'string' || !mark.startsWith(DERIVED)) continue
    const derive = variants[Number(mark.slice(1))]
    if (!derive) throw new Error(`corrupt step pack: unknown derivation ${key}/${mark.slice(1)}`)
    v[key] = derive(v, observation, admissible)
  }
  return JSON.stringify(v)
}
