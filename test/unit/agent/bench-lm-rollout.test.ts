// benchLmRollout runs both rollout paths on the same seeds (same actions) and reports JSON-able
// numbers and context token counts; the timings themselves belong to `himac bench`.
import { describe, expect, it } from 'vitest'
import { benchLmRollout } from '../../../core/agent/bench-lm-rollout'
import { getNativeKernelStatus } from '../../../core/train/native'
import { wasmReady } from './helpers'

await wasmReady()

describe('benchLmRollout', () => {
  it('rolls out with the cache and by re-encoding, with identical actions', async () => {
    const before = getNativeKernelStatus().enabled
    const r = await benchLmRollout({
      envs: ['sokoban'],
      batch: 2,
      countEpisodes: 3,
      tokenizerEpisodes: 10
    })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    const e = r.envs[0]
    expect(e?.actionsIdentical).toBe(true)
    expect(e?.envSteps).toBeGreaterThan(0)
    expect(e?.kvCache.stats.envSteps).toBe(e?.reencode.stats.envSteps)
    expect(e?.kvCache.stats.tokensFed).toBeLessThan(e?.reencode.stats.tokensFed ?? 0)
    expect(e?.speedup).toBeGreaterThan(0)
    // Per-second rates are the counts over the same total time.
    for (const p of [e!.kvCache, e!.reencode]) {
      expect(p.tokensFedPerSec).toBe(Math.round((p.stats.tokensFed * 1000) / p.stats.ms.total))
      // Rounded to 0.1 token/s: off by at most 0.05 · totalMs (a fixed tolerance failed on a slow run).
      const off = Math.abs(p.tokensGeneratedPerSec * p.totalMs - p.stats.tokensGenerated * 1000)
      expect(off).toBeLessThanOrEqual(0.05 * p.totalMs + 1e-6)
    }
    expect(e?.contextTokens.chunk.max).toBeLessThanOrEqual(e?.model.context ?? 0)
    expect(e?.contextTokens.observation.mean).toBeGreaterThan(40)
    expect(getNativeKernelStatus().enabled).toBe(before)
    expect(r.context).toBe('compact')
  })

  it("'long' keeps every step that fits a 2,048-token context", async () => {
    const r = await benchLmRollout({
      envs: ['sokoban'],
      batch: 2,
      countEpisodes: 3,
      tokenizerEpisodes: 10,
      context: 'long'
    })
    const e = r.envs[0]!
    expect(r.context).toBe('long')
    expect(e.model.context).toBe(2048)
    expect(e.actionsIdentical).toBe(true)
    // A Sokoban demonstration (~10 steps of ~50 tokens) fits one chunk: no step is re-encoded
    // by a new chunk, and the chunk holds the whole episode (longer than the compact ones).
    expect(e.contextTokens.chunksPerEpisode).toBe(1)
    expect(e.contextTokens.chunk.max).toBeGreaterThan(256)
    expect(e.kvCache.stats.chunks).toBe(2)
  })
})
