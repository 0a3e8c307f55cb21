// LM checkpoints: weights, tokenizer and configs survive JSON; a damaged file is refused.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { createTransformerLM } from '../../../core/agent/models/transformer'
import {
  addText,
  createTokenizer,
  emptyInventory,
  vocabularyTokens,
  type Tokenizer
} from '../../../core/agent/tokenizer'
import { lmCheckpoint, loadLmCheckpoint } from '../../../core/train/lm/checkpoint'
import {
  loadWarmStart,
  warmStartFileProblem,
  warmStartMismatch
} from '../../../core/train/lm/warm-start'
import { cpuReady, TINY_LM } from '../../helpers/lm-trajectories'

beforeAll(cpuReady)

function smallTokenizer(): Tokenizer {
  const inv = emptyInventory()
  addText(inv, 'push the box onto the target. you see a wall.')
  return createTokenizer(vocabularyTokens(inv))
}

describe('LM checkpoint', () => {
  const tokenizer = smallTokenizer()
  const config = experimentConfigSchema.parse({ seed: 7, klCoef: 0.02 })
  const modelConfig = { ...TINY_LM, vocab: tokenizer.size }

  it('round-trips through JSON: same logits, tokenizer and configs', () => {
    const model = createTransformerLM(modelConfig, 3)
    const json = JSON.parse(JSON.stringify(lmCheckpoint(model, tokenizer, config))) as unknown
    const loaded = loadLmCheckpoint(json)
    const tokens = tf.tensor2d(
      [tokenizer.encode('push the box onto the target.')],
      undefined,
      'int32'
    )
    const a = model.logits(tokens)
    const b = loaded.model.logits(tokens)
    expect(tf.max(tf.abs(a.sub(b))).dataSync()[0]).toBe(0)
    expect(loaded.tokenizer.tokens).toEqual(tokenizer.tokens)
    expect(loaded.config).toEqual(config)
    expect(loaded.model.config).toEqual(modelConfig)
    tf.dispose([tokens, a, b])
    model.dispose()
    loaded.model.dispose()
  })

  it('refuses a tampered or inconsistent checkpoint', () => {
    const model = createTransformerLM(modelConfig, 4)
    const good = lmCheckpoint(model, tokenizer, config)
    model.dispose()
    const swapped = [...good.tokenizer.tokens]
    ;[swapped[30], swapped[31]] = [swapped[31]!, swapped[30]!]
    const cases: [unknown, RegExp][] = [
      [{ ...good, tokenizer: { ...good.tokenizer, tokens: swapped } }, /hash mismatch/],
      [{ ...good, model: { ...good.model, vocab: tokenizer.size + 1 } }, /tokenizer size/],
      [{ ...good, weights: good.weights.slice(0, -8) }, /bytes|base64/i],
      [{ ...good, shapes: good.shapes.slice(1) }, /one shape per weight/],
      [{ ...good, names: good.names.map((n, i) => (i === 0 ? 'other' : n)) }, /names/],
      [{ ...good, version: 2 }, /version|literal|expected/i],
      [{ ...good, config: { ...good.config, klCoef: -1 } }, /klCoef|>=|too small/i]
    ]
    for (const [json, message] of cases) expect(() => loadLmCheckpoint(json)).toThrow(message)
    const other = createTransformerLM(TINY_LM, 1)
    expect(() => lmCheckpoint(other, tokenizer, config)).toThrow(/tokenizer size/)
    other.dispose()
  })

  it('a saved warm start is refused by a run that names WebShop results otherwise', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'himac-ws-'))
    try {
      const file = path.join(dir, 'ws.json')
      const asin = experimentConfigSchema.parse({ env: 'webshop', algo: 'grpo' })
      const model = createTransformerLM(modelConfig, 5)
      fs.writeFileSync(file, JSON.stringify(lmCheckpoint(model, tokenizer, asin)))
      model.dispose()
      const loaded = loadWarmStart(file, asin)
      expect(loaded.tokenizer.tokens).toEqual(tokenizer.tokens)
      loaded.model.dispose()
      const title = experimentConfigSchema.parse({
        env: 'webshop',
        algo: 'grpo',
        policy: { lm: { webshopClick: 'title' } }
      })
      expect(() => loadWarmStart(file, title)).toThrow(
        /was cloned with webshopClick 'asin'; this run has 'title'/
      )
      expect(
        warmStartMismatch(
          'hm.json',
          experimentConfigSchema.parse({ env: 'webshop', algo: 'himac' }),
          experimentConfigSchema.parse({
            env: 'webshop',
            algo: 'himac',
            himac: { webshopSubgoals: 'values' }
          })
        )
      ).toMatch(
        /cloned with webshopSubgoals 'words'; this run has 'values'.*--webshop-subgoals values/
      )
      // A file whose config does not parse names the field, not the schema error's JSON.
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { config: { himac: object } }
      saved.config.himac = { ...saved.config.himac, webshopOptions: 'values' }
      const odd = path.join(dir, 'odd.json')
      fs.writeFileSync(odd, JSON.stringify(saved))
      expect(warmStartFileProblem(odd, asin)).toBe(
        `${odd} is not a saved warm start (config.himac: Unrecognized key: "webshopOptions")`
      )
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
