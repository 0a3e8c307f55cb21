import { describe, expect, it } from 'vitest'
import { formatNumber } from '../../core/format'

describe('formatNumber', () => {
  it('prints float noise around zero as 0, never -0', () => {
    expect(formatNumber(-1.39e-16)).toBe('0')
    expect(formatNumber(-0)).toBe('0')
    expect(formatNumber(-0.0000000001)).toBe('0')
  })
  it('groups large numbers and rounds them to integers', () => {
    expect(formatNumber(19417.687)).toBe('19,418')
    expect(formatNumber(999.6)).toBe('1,000')
    expect(formatNumber(2_500_000)).toBe('2,500,000')
  })
  it('keeps three significant digits without trailing zeros', () => {
    expect(formatNumber(0.1875)).toBe('0.188')
    expect(formatNumber(12.345)).toBe('12.3')
    expect(formatNumber(-2.5)).toBe('-2.5')
    expect(formatNumber(0.000123)).toBe('0.000123')
    expect(formatNumber(1 / 3, 5)).toBe('0.33333')
  })
  it('uses exponents only for tiny non-noise and huge magnitudes', () => {
    expect(formatNumber(0.00003)).toBe('3e-5')
    expect(formatNumber(-1.234e-7)).toBe('-1.23e-7')
    expect(formatNumber(2e16)).toBe('2e+16')
  })
  it('names missing and non-finite values', () => {
    expect(formatNumber(null)).toBe('—')
    expect(formatNumber(undefined)).toBe('—')
    expect(formatNumber(Number.NaN)).toBe('NaN')
    expect(formatNumber(-Infinity)).toBe('-∞')
  })
})
