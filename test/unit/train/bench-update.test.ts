// benchLmUpdate packs one minibatch of real demonstrator decisions both ways (the same tokens, less
// padding by length) and reports JSON-able numbers; the timings belong to `himac bench`.
import { describe, expect, it } from 'vitest'
import { benchLmUpdate } from '../../../core/train/lm/bench-update'
import { getNativeKernelStatus } from '../../../core/train/native'
import { wasmReady } from '../agent/helpers'

await wasmReady()

describe('benchLmUpdate', () => {
  it('encodes the same tokens in both orders, with less padding by length', async () => {
    const before = getNativeKernelStatus().enabled
    const r = await benchLmUpdate({ envs: ['alfworld'], episodes: 6, decisions: 48, steps: 1 })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    const [e] = r.envs
    expect(e?.env).toBe('alfworld')
    expect(e?.decisions).toBe(48)
    expect(e?.length.tokens).toBe(e?.arrival.tokens)
    expect(e!.length.slots).toBeLessThanOrEqual(e!.arrival.slots)
    expect(e!.length.paddingShare).toBeLessThanOrEqual(e!.arrival.paddingShare)
    expect(e!.length.msPerStep).toBeGreaterThan(0)
    expect(e!.speedup).toBeGreaterThan(0)
    expect(getNativeKernelStatus().enabled).toBe(before)
  }, 120_000)
})
