import { describe, expect, it } from 'vitest'
import { createWebshopEnv } from '../../../core/envs/webshop'
import { benchWebshop } from '../../../core/envs/webshop/bench'

describe('benchWebshop', () => {
  it('measures a small catalog, in consistent units', () => {
    const t0 = performance.now()
    const r = benchWebshop({ catalogSize: 300, steps: 200, searches: 20 })
    const wallSeconds = (performance.now() - t0) / 1000
    expect(r.catalogSize).toBe(300)
    expect(r.goals).toBe(createWebshopEnv({ catalogSize: 300 }).world.goals.size)
    expect(r.goals).toBeGreaterThan(500)
    for (const rate of [r.stepsPerSec, r.searchesPerSec]) {
      expect(rate).toBeGreaterThan(0)
      expect(Number.isFinite(rate)).toBe(true)
    }
    expect(r.buildMs).toBeGreaterThan(0)
    // The timed phases (build in ms, steps and searches as rates per second) are most of the call
    // and fit in its wall time; rates per millisecond or per minute would not.
    const timedSeconds = r.buildMs / 1000 + 200 / r.stepsPerSec + 20 / r.searchesPerSec
    expect(timedSeconds).toBeLessThanOrEqual(wallSeconds)
    expect(timedSeconds).toBeGreaterThan(wallSeconds / 10)
    expect(Number.isInteger(r.catalogBytes) && r.catalogBytes > 0).toBe(true)
  })
})
