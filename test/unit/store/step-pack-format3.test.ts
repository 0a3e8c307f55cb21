// Pack format 3 (codecs 13–20): what a WebShop step repeats of the step before, its url and the
// admissible list of a search or results page are left out, and everything reads back exactly.
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { runDemonstrator } from '../../../core/agent/demonstrators'
import { createEnvForExperiment } from '../../../core/envs/registry'
import {
  packSteps,
  serializeSteps,
  stepRowOf,
  unpackSteps,
  type StepRow
} from '../../../core/store/step-pack'
import { admissibleOf } from '../../../core/store/view-pack'
import { demonstratorFor, randomEpisode as playRandomly } from '../../../core/train/baselines'

const config = experimentConfigSchema.parse({ env: 'webshop', algo: 'grpo' })

/** Real WebShop episodes: the searching demonstrator's and a random agent's. */
function webshopRows(seeds: number[]): StepRow[][] {
  const env = createEnvForExperiment(config)
  return seeds.flatMap((seed) => [
    runDemonstrator(env, demonstratorFor('webshop'), seed).steps.map(stepRowOf),
    playRandomly(config, seed, seed + 99).steps.map(stepRowOf)
  ])
}

type Tuple = [number, string, string, ...unknown[]]
const tuples = (rows: StepRow[]): Tuple[] => JSON.parse(serializeSteps(rows, 3)) as Tuple[]
/** A tuple's packed view as an object; a positional one has the keys of its step's view. */
const packedView = (t: Tuple, row: StepRow): Record<string, unknown> | null => {
  if (typeof t[10] !== 'string' || !t[10].startsWith('\u0000')) return null
  const packed = JSON.parse(t[10].slice(1)) as unknown
  if (!Array.isArray(packed)) return packed as Record<string, unknown>
  const keys = Object.keys(JSON.parse(row.view_json!) as object)
  return Object.fromEntries(keys.map((k, i) => [k, packed[i]]))
}

describe('step pack format 3', () => {
  it('real episodes read back byte for byte, smaller than format 2', () => {
    let marks = 0
    let itemMarks = 0
    let urls = 0
    let repeats = 0
    let positional = 0
    let steps = 0
    for (const rows of webshopRows([3, 17, 29, 41])) {
      const pack = packSteps('webshop', rows)
      expect(pack.codec).toBe(16)
      expect(unpackSteps(pack.codec, pack.body)).toEqual(rows)
      expect(serializeSteps(rows, 3).length).toBeLessThan(serializeSteps(rows, 2).length)
      tuples(rows).forEach((t, i) => {
        steps++
        if (t[2] === '\u0000a') marks++
        if (t[2].startsWith('\u0000i')) itemMarks++
        if (typeof t[10] === 'string' && t[10].startsWith('\u0000[')) positional++
        const v = packedView(t, rows[i]!)
        if (typeof v?.['url'] === 'string' && v['url'].startsWith('\u0000u')) urls++
        if (v && Object.values(v).some((x) => x === '\u0000p')) repeats++
      })
    }
    // Every episode starts on the search page and most go through results and an item; every
    // page has a url; the views keep the env's keys, so they are written as arrays.
    expect(marks).toBeGreaterThanOrEqual(8)
    expect(itemMarks).toBeGreaterThanOrEqual(4)
    expect(urls / steps).toBeGreaterThan(0.9)
    expect(repeats / steps).toBeGreaterThan(0.5)
    expect(positional / steps).toBeGreaterThan(0.9)
  })

  it('a product whose selected options changed is a patch of the step before', () => {
    const rows = webshopRows([3, 17, 29, 41, 53, 67]).flat()
    const patched = rows.flatMap((row, i) => {
      const t = tuples(rows.slice(Math.max(0, i - 1), i + 1)).at(-1)!
      const product = packedView(t, row)?.['product']
      return typeof product === 'object' && product !== null && '\u0000' in product ? [product] : []
    })
    expect(patched.length).toBeGreaterThan(0)
    for (const p of patched) expect(Object.keys(p)).toEqual(['\u0000', 'selected'])
  })

  it('the admissible list is derived only where it is exactly the page’s', () => {
    const [search, results] = webshopRows([3])[0]!
    expect(admissibleOf(search!.observation)).toEqual(JSON.parse(search!.admissible_json))
    expect(admissibleOf(results!.observation)).toEqual(JSON.parse(results!.admissible_json))
    expect(admissibleOf('You are in the middle of a room.')).toBeNull()
    expect(admissibleOf("'Back to Search' [SEP] 'Page 1 (Total results: 3)' [SEP] 'x'")).toBeNull()
    // Another order, or a list the page does not give: stored as it is, and read back.
    const reordered = JSON.stringify(
      [...(JSON.parse(results!.admissible_json) as string[])].reverse()
    )
    const odd = [{ ...results!, admissible_json: reordered }]
    expect(tuples(odd)[0]![2]).toBe(reordered)
    const pack = packSteps('webshop', odd)
    expect(unpackSteps(pack.codec, pack.body)).toEqual(odd)
  })

  it('an item page’s list is its buttons and option values; the mark names the option names', () => {
    const rows = webshopRows([3, 17, 29, 41, 53]).flat()
    const item = rows.find((r) => r.observation.endsWith("'Buy Now'"))!
    const t = tuples([item])[0]!
    expect(t[2].startsWith('\u0000i')).toBe(true)
    expect(t[2].slice(2)).toMatch(/^[\d,]*$/)
    // A list in another order, or with a value the page does not show: stored as it is.
    const list = JSON.parse(item.admissible_json) as string[]
    for (const admissible_json of [
      JSON.stringify([...list].reverse()),
      JSON.stringify([...list, 'click[purple]'])
    ]) {
      const odd = [{ ...item, admissible_json }]
      expect(tuples(odd)[0]![2]).toBe(admissible_json)
      const pack = packSteps('webshop', odd)
      expect(unpackSteps(pack.codec, pack.body)).toEqual(odd)
    }
  })

  it('views that do not follow the env’s rules are stored as they are and read back', () => {
    const rows = webshopRows([17])[0]!
    const view = (i: number) => JSON.parse(rows[i]!.view_json!) as Record<string, unknown>
    const odd: StepRow[] = [
      // Another host: the url is kept.
      { ...rows[0]!, view_json: JSON.stringify({ ...view(0), url: 'http://example.org/1' }) },
      // A view between two WebShop views that is none: the next one repeats nothing.
      { ...rows[1]!, view_json: '{"kind":"alfworld"}' },
      { ...rows[2]!, t: 2 },
      // The same fields in another key order after a normal step.
      {
        ...rows[3]!,
        t: 3,
        view_json: JSON.stringify(Object.fromEntries(Object.entries(view(3)).reverse()))
      }
    ]
    const t = tuples(odd)
    expect(packedView(t[0]!, odd[0]!)?.['url']).toBe('http://example.org/1')
    expect(t[1]![10]).toBe('{"kind":"alfworld"}')
    expect(Object.values(packedView(t[2]!, odd[2]!) ?? {})).not.toContain('\u0000p')
    // Keys in another order than the step before: an object, not an array.
    expect((t[3]![10] as string).startsWith('\u0000{')).toBe(true)
    const pack = packSteps('webshop', odd)
    expect(unpackSteps(pack.codec, pack.body)).toEqual(odd)
  })

  it('a mark the reader cannot resolve is a clear error', () => {
    const [first, second] = tuples(webshopRows([17])[0]!)
    expect(first![2]).toBe('\u0000a')
    // Codec 13 is format 3 without a dictionary: plain deflate of the tuples.
    const pack = (t: unknown[]) => zlib.deflateRawSync(JSON.stringify(t))
    // An admissible mark on a page that has none; a repeat on an episode's first step.
    expect(() => unpackSteps(13, pack([[first![0], 'a room', ...first!.slice(2)]]))).toThrow(
      /admissible mark/
    )
    expect(typeof second![10]).toBe('string')
    expect(() => unpackSteps(13, pack([second]))).toThrow(/repeats no earlier view/)
  })
})
