// benchLmIteration trains a real (tiny) LM run into a temporary SQLite file and splits its RL
// iterations' stored seconds into rollout, update, storage and the rest; the timings belong to
// `himac bench`.
import fs from 'node:fs'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { benchLmIteration } from '../../../core/train/lm/bench-iteration'
import { wasmReady } from '../agent/helpers'

await wasmReady()

describe('benchLmIteration', () => {
  it('reports the shares of an RL iteration and leaves no database behind', async () => {
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('himac-bench-iteration-'))
    const r = await benchLmIteration({
      envs: ['sokoban'],
      iterations: 2,
      demos: 4,
      groups: 2,
      groupSize: 2
    })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    const [e] = r.envs
    expect(e?.iterations).toBe(2)
    const { rollout, update, store, other } = e!.share
    expect(rollout).toBeGreaterThan(0)
    expect(update).toBeGreaterThan(0)
    expect(store).toBeGreaterThan(0)
    expect(rollout + update + store + other).toBeCloseTo(1, 2)
    expect(e!.seconds.iteration).toBeGreaterThanOrEqual(e!.seconds.rollout + e!.seconds.update)
    expect(e!.envStepsPerSec).toBeGreaterThan(0)
    const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('himac-bench-iteration-'))
    expect(after).toEqual(before)
  }, 120_000)
})
