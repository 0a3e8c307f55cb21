import { describe, expect, it } from 'vitest'
import { benchSokoban, generateSokobanRoom, solveSokoban } from '../../../core/envs/sokoban'

// Statistics of verl-agent's own generator (gym-sokoban room_utils with verl-agent's changes, numpy
// RNG, 6×6, 1 box, search_depth 30), seeds 0..1999, measured by running a Python re-creation of
// that code. Our PRNG differs, so rooms differ seed by seed, but the distributions must agree.
const REFERENCE_DISPLACEMENT: Record<number, number> = { 1: 570, 2: 823, 3: 488, 4: 119 }
const REFERENCE_OPTIMAL_LENGTH: Record<number, number> = {
  1: 159,
  2: 486,
  3: 229,
  4: 307,
  5: 349,
  6: 194,
  7: 116,
  8: 97,
  9: 41,
  10: 22 // 10 or more
}
const SEEDS = 2000

function chiSquare(observed: Map<number, number>, expected: Record<number, number>): number {
  let sum = 0
  for (const [bin, e] of Object.entries(expected)) {
    const o = observed.get(Number(bin)) ?? 0
    sum += (o - e) ** 2 / e
  }
  return sum
}

describe('sokoban generator against verl-agent statistics', () => {
  it('matches the box-displacement and optimal-length distributions of the original', () => {
    const displacement = new Map<number, number>()
    const lengths = new Map<number, number>()
    const opts = { dimRoom: [6, 6] as const, numBoxes: 1, searchDepth: 30, pChangeDirections: 0.35 }
    for (let seed = 0; seed < SEEDS; seed++) {
      const room = generateSokobanRoom(opts, seed)
      displacement.set(room.displacement, (displacement.get(room.displacement) ?? 0) + 1)
      const length = Math.min(solveSokoban(room.grid)?.length ?? 0, 10)
      lengths.set(length, (lengths.get(length) ?? 0) + 1)
    }
    expect([...displacement.keys()].sort()).toEqual([1, 2, 3, 4])
    expect(lengths.get(0)).toBeUndefined()
    // Critical values at p = 0.001: 16.27 (3 degrees of freedom), 27.88 (9).
    expect(chiSquare(displacement, REFERENCE_DISPLACEMENT)).toBeLessThan(16.27)
    expect(chiSquare(lengths, REFERENCE_OPTIMAL_LENGTH)).toBeLessThan(27.88)
  })

  it('benchmarks resets and steps', () => {
    const { resetsPerSec, stepsPerSec } = benchSokoban(300)
    expect(resetsPerSec).toBeGreaterThan(0)
    expect(stepsPerSec).toBeGreaterThan(0)
    expect(Number.isFinite(resetsPerSec) && Number.isFinite(stepsPerSec)).toBe(true)
  })
})
