// A generator's state, read mid-stream and restored, continues the same stream (checkpoints).
import { describe, expect, it } from 'vitest'
import { createRng, restoreRng } from '../../core/rng'

describe('rng state', () => {
  it('restoreRng(state()) continues exactly where the generator stood', () => {
    const a = createRng(12345)
    for (let i = 0; i < 1000; i++) a.next()
    const state = a.state()
    const b = restoreRng(JSON.parse(JSON.stringify(state)) as typeof state)
    const fromA = Array.from({ length: 50 }, () => [a.next(), a.int(7)])
    const fromB = Array.from({ length: 50 }, () => [b.next(), b.int(7)])
    expect(fromB).toEqual(fromA)
    expect(b.state()).toEqual(a.state())
  })
})
