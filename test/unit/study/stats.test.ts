import { describe, expect, it } from 'vitest'
import { tCritical975 } from '../../../core/stats'
import { formatCi, meanCi } from '../../../core/study/stats'

describe('Student-t 95 % intervals over seeds', () => {
  it('matches hand-computed values', () => {
    // 0.2, 0.4, 0.6: mean 0.4, s = 0.2, t(0.975, 2) = 4.303 → half = 4.303 · 0.2 / √3 = 0.49687.
    const a = meanCi([0.2, 0.4, 0.6])
    expect(a.n).toBe(3)
    expect(a.mean).toBeCloseTo(0.4, 12)
    expect(a.sd).toBeCloseTo(0.2, 12)
    expect(a.half).toBeCloseTo(0.496867, 5)
    // 1, 2, 3, 4: mean 2.5, s = 1.290994, t(3) = 3.182 → half = 3.182 · 1.290994 / 2 = 2.053972.
    const b = meanCi([1, 2, 3, 4])
    expect(b.mean).toBe(2.5)
    expect(b.half).toBeCloseTo(2.053972, 5)
    // Equal values: no spread, a zero-width interval.
    expect(meanCi([0.5, 0.5, 0.5])).toEqual({ n: 3, mean: 0.5, half: 0, sd: 0 })
  })

  it('one value has no interval, none has no mean; nulls and NaN are left out', () => {
    expect(meanCi([0.3])).toEqual({ n: 1, mean: 0.3, half: null, sd: null })
    expect(meanCi([])).toEqual({ n: 0, mean: null, half: null, sd: null })
    expect(meanCi([null, Number.NaN, 1, 3]).mean).toBe(2)
    expect(meanCi([null, Number.NaN, 1, 3]).n).toBe(2)
  })

  it('t quantiles: the table, then the expansion (t(0.975, 60) = 2.000, t(120) = 1.980)', () => {
    expect(tCritical975(1)).toBe(12.706)
    expect(tCritical975(2)).toBe(4.303)
    expect(tCritical975(30)).toBe(2.042)
    expect(tCritical975(60)).toBeCloseTo(2.0003, 3)
    expect(tCritical975(120)).toBeCloseTo(1.9799, 3)
    expect(tCritical975(0)).toBeNaN()
  })

  it('formats as mean ± half-width, in % on request', () => {
    expect(formatCi(meanCi([0.2, 0.4, 0.6]))).toBe('0.400 ± 0.497')
    expect(formatCi(meanCi([0.2, 0.4, 0.6]), 100)).toBe('40.0 ± 49.7')
    expect(formatCi(meanCi([0.25]), 100)).toBe('25.0 (n=1)')
    expect(formatCi(meanCi([]))).toBe('—')
  })
})
