// `himac repro` flags → the stored study spec: --eval-every and --eval-episodes override the preset's
// evaluation period and size; --env-config adds environment options to training and held-out
// episodes.
import { describe, expect, it } from 'vitest'
import { specFromOptions } from '../../../cli/repro'
import { evaluationConfig } from '../../../core/api/config'
import { methodConfig } from '../../../core/study/spec'

describe('repro spec from options', () => {
  const options = { env: 'alfworld' as const, db: 'x.db', progress: false }

  it("keeps the preset's evaluation period unless --eval-every is given", () => {
    expect(specFromOptions(options).base.evalEvery).toBe(5)
    const spec = specFromOptions({ ...options, evalEvery: 2, minutes: 12 })
    expect(spec.base.evalEvery).toBe(2)
    expect(spec.budget).toEqual({ kind: 'minutes', minutes: 12, clock: 'train' })
    // Only the evaluation period changes.
    expect({ ...spec.base, evalEvery: 5 }).toEqual(specFromOptions(options).base)
  })

  it("keeps the preset's evaluation size unless --eval-episodes is given", () => {
    expect(specFromOptions(options).base.evalEpisodes).toBe(200)
    const spec = specFromOptions({ ...options, evalEpisodes: 300 })
    expect(spec.base.evalEpisodes).toBe(300)
    expect({ ...spec.base, evalEpisodes: 200 }).toEqual(specFromOptions(options).base)
  })

  it('lays --env-config over the preset’s env options, for training and held-out episodes', () => {
    const spec = specFromOptions({
      ...options,
      envConfig: { taskTypes: ['pick_and_place_simple'] }
    })
    expect(spec.base.envConfig).toEqual({ split: 'train', taskTypes: ['pick_and_place_simple'] })
    const config = methodConfig(spec, 'grpo', 1)
    expect(evaluationConfig(config).envConfig).toEqual({
      split: 'valid_unseen',
      taskTypes: ['pick_and_place_simple']
    })
    expect(() => specFromOptions({ ...options, envConfig: { split: 'test' } })).toThrow(
      /--env-config: split/
    )
  })
})
