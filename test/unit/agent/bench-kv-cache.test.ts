// benchKvCache runs both decoding paths on the same tokens (their logits agree) and reports
// JSON-able numbers; the timings themselves are not checked here (they belong to `himac bench`).
import { describe, expect, it } from 'vitest'
import { benchKvCache } from '../../../core/agent/bench-kv-cache'
import { getNativeKernelStatus } from '../../../core/train/native'
import { TINY, wasmReady } from './helpers'

await wasmReady()

describe('benchKvCache', () => {
  it('decodes the same tokens both ways and restores the kernel state', () => {
    const before = getNativeKernelStatus().enabled
    return benchKvCache({ model: TINY, batch: 3, prompt: 5, steps: 4, seed: 2 }).then((r) => {
      expect(JSON.parse(JSON.stringify(r))).toEqual(r)
      expect(r.maxLogitDiff).toBeLessThan(1e-5)
      expect(r.kvCache.stepMs.samples).toBe(3)
      expect(r.reencode.stepMs.samples).toBe(3)
      expect(r.kvCache.tokensPerSec).toBeGreaterThan(0)
      expect(r.speedup).toBeGreaterThan(0)
      expect(getNativeKernelStatus().enabled).toBe(before)
    })
  })

  it('refuses a prompt and decode length beyond the context', async () => {
    await expect(benchKvCache({ model: TINY, prompt: 30, steps: 3 })).rejects.toThrow(/context/)
  })
})
