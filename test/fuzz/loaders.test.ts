// Property-based fuzzing of the data loaders (`--alfworld-data`, `--webshop-data`): random bytes and
// mutated valid files either load into an environment that plays, or are refused with an Error that
// names the file — never a TypeError/RangeError from deep inside, never an unplayable world.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createAlfworldEnv,
  defaultGrammar,
  loadAlfworldGameFile,
  parseGameFile,
  worldToGameFile
} from '../../core/envs/alfworld'
import { generateWorld } from '../../core/envs/alfworld/generator'
import type { Env, EnvObservation } from '../../core/envs/env'
import { createWebshopEnv, generateCatalog, writeWebshopData } from '../../core/envs/webshop'
import { tempDir } from '../helpers/tmp'
import { fuzzRuns, fuzzTally, fuzzTimeout } from './runs'

const tmp = tempDir('himac-fuzz-loaders-')
afterAll(() => tmp.remove())
const tally = fuzzTally('loaders')

/** A refusal is a plain Error that names what was read, not a crash of the parser. */
function expectClearError(err: unknown, names: string): void {
  expect(err).toBeInstanceOf(Error)
  for (const crash of [TypeError, RangeError, ReferenceError])
    expect(err, (err as Error).stack).not.toBeInstanceOf(crash)
  expect((err as Error).message).toContain(names)
}

/** A loaded world must play: reset and a few steps (listed and random commands) never throw. */
function plays(env: Env, actions: string[]): void {
  let obs: EnvObservation = env.reset(0)
  for (const a of actions) {
    const step = env.step(a === '#0' ? (obs.admissibleActions[0] ?? 'look') : a)
    expect(typeof step.observation).toBe('string')
    obs = step
    if (step.done) break
  }
}

/** Byte-level damage to a text: flips, cuts, insertions, duplications. */
const damage = (text: string): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(fc.nat({ max: Math.max(0, text.length - 1) }), fc.nat({ max: 40 }), fc.string()),
      { minLength: 1, maxLength: 4 }
    )
    .map((edits) =>
      edits.reduce(
        (t, [at, cut, insert]) => t.slice(0, at) + insert + t.slice(Math.min(t.length, at + cut)),
        text
      )
    )

const actions = fc.array(fc.oneof(fc.constant('#0'), fc.string({ maxLength: 20 })), {
  maxLength: 5
})

describe('fuzz: ALFWorld game files', { timeout: fuzzTimeout }, () => {
  const valid = [0, 1, 2, 3].map((seed) =>
    worldToGameFile(generateWorld({ split: 'train', seed }), defaultGrammar('current'))
  )
  const source = 'fuzz/pick_x-1/trial_1/game.tw-pddl'

  /** The PDDL problem with tokens or parentheses dropped, doubled or swapped. */
  const pddlEdits = fc
    .tuple(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 })), { maxLength: 6 })
    )
    .map(([file, edits]) => {
      const tokens = (file.pddl_problem ?? '').split(/(\s+|[()])/)
      for (const [i, op] of edits) {
        const at = i % Math.max(1, tokens.length)
        if (op === 0) tokens.splice(at, 1)
        else if (op === 1) tokens.splice(at, 0, tokens[at] ?? '')
        else if (op === 2) tokens.splice(at, 0, '(')
        else tokens.splice(at, 0, ')')
      }
      return JSON.stringify({ ...file, pddl_problem: tokens.join('') })
    })

  const files = fc.oneof(
    fc.constantFrom(...valid).map((f) => JSON.stringify(f)),
    fc.constantFrom(...valid).chain((f) => damage(JSON.stringify(f))),
    pddlEdits,
    fc
      .tuple(
        fc.constantFrom(...valid),
        fc.constantFrom('pddl_problem', 'grammar', 'solvable', 'pddl_domain'),
        fc.jsonValue()
      )
      .map(([f, key, v]) => JSON.stringify({ ...f, [key]: v })),
    fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'))
  )

  it('parseGameFile: a playable world or an error naming the file', () => {
    let loaded = 0
    fc.assert(
      fc.property(files, actions, (text, acts) => {
        let game
        try {
          game = parseGameFile(text, source)
        } catch (err) {
          expectClearError(err, source)
          tally.count(true)
          return
        }
        tally.count(false)
        loaded++
        plays(createAlfworldEnv({ source: 'files', taskTypes: [], maxSteps: 10 }, [game]), acts)
      }),
      { numRuns: fuzzRuns(200), seed: 16 }
    )
    expect(loaded).toBeGreaterThan(0)
  })

  it('loadAlfworldGameFile: damaged files on disk are refused with the path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid).chain((f) => damage(JSON.stringify(f))),
        (text) => {
          const file = path.join(tmp.dir, 'game.tw-pddl')
          fs.writeFileSync(file, text)
          try {
            loadAlfworldGameFile(file)
            tally.count(false)
          } catch (err) {
            expectClearError(err, file)
            tally.count(true)
          }
        }
      ),
      { numRuns: fuzzRuns(40), seed: 16 }
    )
  })
})

describe('fuzz: WebShop data files', { timeout: fuzzTimeout }, () => {
  const catalog = generateCatalog({ size: 100, seed: 3 })
  let n = 0

  const productEdits = fc
    .array(
      fc.tuple(
        fc.nat({ max: catalog.products.length - 1 }),
        fc.constantFrom(
          'asin',
          'name',
          'images',
          'category',
          'query',
          'pricing',
          'product_category',
          'options',
          'small_description',
          'customization_options',
          'Title',
          'full_description',
          'average_rating',
          'Reviews',
          'BulletPoints'
        ),
        fc.jsonValue()
      ),
      { minLength: 1, maxLength: 4 }
    )
    .map((edits) => {
      const products = structuredClone(catalog.products) as unknown as Record<string, unknown>[]
      for (const [i, key, v] of edits) products[i]![key] = v
      return { products: JSON.stringify(products), attributes: JSON.stringify(catalog.attributes) }
    })

  const attributeEdits = fc
    .tuple(fc.nat({ max: catalog.products.length - 1 }), fc.jsonValue())
    .map(([i, v]) => {
      const attributes = structuredClone(catalog.attributes) as Record<string, unknown>
      attributes[catalog.products[i]!.asin] = v
      return { products: JSON.stringify(catalog.products), attributes: JSON.stringify(attributes) }
    })

  const wholeFiles = fc.oneof(
    productEdits,
    attributeEdits,
    damage(JSON.stringify(catalog.products)).map((products) => ({
      products,
      attributes: JSON.stringify(catalog.attributes)
    })),
    fc.tuple(fc.jsonValue(), fc.jsonValue()).map(([p, a]) => ({
      products: JSON.stringify(p) ?? '',
      attributes: JSON.stringify(a) ?? ''
    }))
  )

  it('a data folder loads into a WebShop that plays, or is refused with a clear error', () => {
    let loaded = 0
    fc.assert(
      fc.property(wholeFiles, actions, (texts, acts) => {
        const dir = path.join(tmp.dir, `webshop-${n++}`)
        writeWebshopData(dir, catalog, undefined)
        fs.writeFileSync(path.join(dir, 'items_shuffle_1000.json'), texts.products)
        fs.writeFileSync(path.join(dir, 'items_ins_v2_1000.json'), texts.attributes)
        let env: Env
        try {
          // The world (products, index, goals) is built on the first reset.
          env = createWebshopEnv({ dataDir: dir, maxSteps: 10 })
          env.reset(0)
        } catch (err) {
          expectClearError(err, 'WebShop')
          tally.count(true)
          return
        }
        tally.count(false)
        loaded++
        plays(env, acts)
      }),
      { numRuns: fuzzRuns(40), seed: 16 }
    )
    expect(loaded).toBeGreaterThan(0)
  })
})
