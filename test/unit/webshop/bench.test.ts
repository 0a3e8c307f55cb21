import { describe, expect, it } from 'vitest'
import { benchWebshop } from '../../../core/envs/webshop/bench'

describe('benchWebshop', () => {
  it('measures a small catalog', () => {
    const r = benchWebshop({ catalogSize: 300, steps: 200, searches: 20 })
    expect(r.catalogSize).toBe(300)
    expect(r.goals).toBeGreaterThan(500)
    expect(r.stepsPerSec).toBeGreaterThan(0)
    expect(r.searchesPerSec).toBeGreaterThan(0)
    expect(r.catalogBytes).toBeGreaterThan(0)
    expect(Number.isFinite(r.buildMs)).toBe(true)
  })
})
