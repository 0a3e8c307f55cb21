import { describe, expect, it } from 'vitest'
import { groupAdvantages } from '../../../core/train/advantages'
import { createRng, sampleIndex } from '../../../core/rng'

describe('group-relative advantages', () => {
  it('normalises by the group mean and unbiased std', () => {
    const a = groupAdvantages([1, 2, 3, 4], 'mean_std')
    const std = Math.sqrt(((1.5 ** 2 + 0.5 ** 2) * 2) / 3)
    expect(a[0]).toBeCloseTo(-1.5 / std, 5)
    expect(a[3]).toBeCloseTo(1.5 / std, 5)
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 9)
  })

  it("'mean' subtracts the mean only", () => {
    expect(groupAdvantages([10.9, -1.5, -1.5, -1.5], 'mean')).toEqual(
      [10.9 - 1.6, -1.5 - 1.6, -1.5 - 1.6, -1.5 - 1.6].map((x) => expect.closeTo(x, 9))
    )
  })

  it('gives zero advantage to a zero-variance group', () => {
    expect(groupAdvantages([-1.5, -1.5, -1.5], 'mean_std')).toEqual([0, 0, 0])
    expect(groupAdvantages([], 'mean_std')).toEqual([])
  })
})

describe('seeded rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(5)
    const b = createRng(5)
    const c = createRng(6)
    const xs = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs)
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true)
  })

  it('samples indices in proportion to their weights', () => {
    const rng = createRng(1)
    const counts = [0, 0, 0]
    for (let i = 0; i < 30_000; i++) counts[sampleIndex([0.2, 0.5, 0.3], rng)]!++
    expect(counts[0]! / 30_000).toBeCloseTo(0.2, 1)
    expect(counts[1]! / 30_000).toBeCloseTo(0.5, 1)
    expect(sampleIndex([0, 0, 1], rng)).toBe(2)
  })
})
