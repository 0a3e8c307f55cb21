// `himac repro` flags → the stored study spec: --eval-every and --eval-episodes override the preset's
// evaluation period and size.
import { describe, expect, it } from 'vitest'
import { specFromOptions } from '../../../cli/repro'

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
})
