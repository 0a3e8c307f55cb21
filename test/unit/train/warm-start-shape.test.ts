// A run from a saved warm start takes the fields the file fixes — the model's shape and how it
// reads observations — and keeps its own everything else.
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import {
  modelShapeText,
  withWarmStartRecipe,
  withWarmStartShape
} from '../../../core/train/lm/warm-start'

describe('withWarmStartShape', () => {
  it("copies dModel, layers, heads, ffMult, context, tiedHead and the word marks; keeps the run's decoding and history", () => {
    const run = experimentConfigSchema.parse({
      env: 'alfworld',
      algo: 'grpo',
      policy: { kind: 'lm', lm: { decoding: 'free', historyLength: 3 } }
    })
    const fixed = {
      dModel: 64,
      layers: 3,
      heads: 2,
      ffMult: 2,
      context: 512,
      tiedHead: true,
      markTaskWords: true,
      markSubgoalWords: true,
      markActionWords: true
    }
    const cloned = experimentConfigSchema.parse({
      env: 'alfworld',
      algo: 'grpo',
      policy: { kind: 'lm', lm: fixed }
    })
    const lm = withWarmStartShape(run, cloned).policy.lm
    expect(lm).toMatchObject({ ...fixed, decoding: 'free', historyLength: 3 })
    expect(modelShapeText(cloned)).toBe(
      'd64 × 3 (2 heads, ff ×2, context 512, tied head, task words marked, subgoal words marked, in actions too)'
    )
    expect(modelShapeText(run)).toBe('d128 × 2 (4 heads, ff ×4)')
  })

  it('refuses markActionWords without a word mark to copy', () => {
    const parsed = experimentConfigSchema.safeParse({
      env: 'webshop',
      policy: { kind: 'lm', lm: { markActionWords: true } }
    })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.path).toEqual(['policy', 'lm', 'markActionWords'])
    for (const mark of ['markTaskWords', 'markSubgoalWords']) {
      const ok = experimentConfigSchema.safeParse({
        env: 'webshop',
        policy: { kind: 'lm', lm: { markActionWords: true, [mark]: true } }
      })
      expect(ok.success).toBe(true)
    }
  })

  it("withWarmStartRecipe: the run names the file's cloning (demonstrations, epochs, batch, lr) and keeps its `from`", () => {
    const recipe = { episodes: 2000, epochs: 2, batchDecisions: 32, learningRate: 0.0005 }
    const cloned = experimentConfigSchema.parse({
      env: 'alfworld',
      policy: { kind: 'lm', warmStart: recipe }
    })
    const run = experimentConfigSchema.parse({
      env: 'alfworld',
      policy: { kind: 'lm', warmStart: { episodes: 200, epochs: 3, from: 'ws.json' } }
    })
    expect(withWarmStartRecipe(run, cloned).policy.warmStart).toEqual({
      ...recipe,
      from: 'ws.json'
    })
    expect(withWarmStartRecipe(run, cloned).policy.lm).toEqual(run.policy.lm)
  })
})
