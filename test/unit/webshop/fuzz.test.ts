import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fullProcess, tokenSetRatio } from '../../../core/envs/webshop/reward'

// [a, b, score] with score from thefuzz 0.19.0's algorithm on Python's difflib (golden-token-set.py)
const golden = JSON.parse(
  readFileSync(join(import.meta.dirname, 'golden-token-set.json'), 'utf8')
) as [string, string, number][]

describe('token_set_ratio parity with thefuzz 0.19 (difflib)', () => {
  it('agrees on every > 85 decision and on the exact score up to Python half-even rounding', () => {
    expect(golden.length).toBeGreaterThan(700)
    let exact = 0
    for (const [a, b, want] of golden) {
      const got = tokenSetRatio(a, b)
      expect(got > 85, `${a} | ${b}: ${got} vs ${want}`).toBe(want > 85)
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1)
      if (got === want) exact++
    }
    expect(exact / golden.length).toBeGreaterThan(0.99)
  })

  it("full_process keeps '_' and drops Latin-1 characters, as thefuzz does", () => {
    expect(fullProcess('A_b, C!')).toBe('a_b  c')
    expect(fullProcess('Café Crème')).toBe('caf crme')
    expect(tokenSetRatio('', 'x')).toBe(0)
    expect(tokenSetRatio('color deep atlantic', 'deep atlantic')).toBe(100)
  })
})
