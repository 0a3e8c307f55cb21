import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Env } from '../../../core/envs/env'
import { generatedCatalog } from '../../../core/envs/webshop/dataset'
import { DEFAULT_CATALOG_SEED } from '../../../core/envs/webshop/generate'
import {
  createWebshopEnv,
  loadWebshopData,
  writeWebshopData
} from '../../../core/envs/webshop/index'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'webshop-'))
  dirs.push(d)
  return d
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const catalog = generatedCatalog(1000, DEFAULT_CATALOG_SEED)

describe('real WebShop data files', () => {
  it('writes the original file names and reads them back', () => {
    const dir = tmp()
    const written = writeWebshopData(dir, catalog)
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual([
      'items_shuffle_1000.json',
      'items_ins_v2_1000.json',
      'items_human_ins.json'
    ])
    const products = JSON.parse(readFileSync(written[0]!, 'utf8')) as unknown[]
    expect(products).toHaveLength(1000)
    const loaded = loadWebshopData(dir)
    expect(loaded.catalog.products).toEqual(catalog.products)
    expect(loaded.catalog.attributes).toEqual(catalog.attributes)
    expect(loaded.catalog.human).toEqual(catalog.human)
  })

  it('an env on the files plays exactly like the env on the generated catalog', () => {
    const dir = tmp()
    writeWebshopData(dir, catalog, undefined, { small: false })
    for (const goals of ['synthetic', 'human'] as const) {
      const fromFiles: Env = createWebshopEnv({ dataDir: dir, split: 'test', goals })
      const generated: Env = createWebshopEnv({ split: 'test', goals })
      for (const seed of [0, 7, 123]) {
        const a = fromFiles.reset(seed)
        const b = generated.reset(seed)
        expect(a.task).toBe(b.task)
        expect(a.observation).toBe(b.observation)
        const plan = generated.expert?.() ?? []
        expect(fromFiles.expert?.()).toEqual(plan)
        for (const sg of plan) {
          for (const action of sg.actions) {
            const sa = fromFiles.step(action)
            const sb = generated.step(action)
            expect(sa.observation).toBe(sb.observation)
            expect(sa.reward).toBe(sb.reward)
          }
        }
      }
    }
  })

  it('prefers the *_1000 files, falls back to the full ones, and reports missing files', () => {
    const dir = tmp()
    writeWebshopData(dir, { products: catalog.products.slice(0, 5), attributes: {} }, undefined, {
      small: false
    })
    writeWebshopData(dir, { products: catalog.products.slice(0, 3), attributes: {} }, undefined, {
      small: true
    })
    expect(loadWebshopData(dir, { small: true }).catalog.products).toHaveLength(3)
    expect(loadWebshopData(dir, { small: false }).catalog.products).toHaveLength(5)
    expect(() => loadWebshopData(tmp())).toThrow(/items_shuffle_1000\.json/)
  })

  it('skips malformed product records and rejects files of the wrong shape', () => {
    const dir = tmp()
    writeFileSync(
      join(dir, 'items_shuffle_1000.json'),
      JSON.stringify([{ asin: 1 }, catalog.products[0]])
    )
    writeFileSync(join(dir, 'items_ins_v2_1000.json'), '{}')
    expect(loadWebshopData(dir).catalog.products).toHaveLength(1)
    const bad = tmp()
    writeFileSync(join(bad, 'items_shuffle_1000.json'), '{}')
    writeFileSync(join(bad, 'items_ins_v2_1000.json'), '{}')
    expect(() => loadWebshopData(bad)).toThrow(/not a JSON array/)
  })
})
