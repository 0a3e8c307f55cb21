// RLOO and GiGPO advantages on hand-made groups; every expected number is derived in the comments.
import { describe, expect, it } from 'vitest'
import {
  anchorStepGroups,
  discountedReturns,
  gigpoAdvantages,
  groupAdvantages,
  rlooAdvantages,
  zeroVarianceShare
} from '../../../core/train/advantages'

const close = (xs: number[], digits = 9) => xs.map((x) => expect.closeTo(x, digits))

describe('rlooAdvantages', () => {
  it('subtracts the mean of the other members', () => {
    // R = [1, 0, 0, 3]: others' means 1, 4/3, 4/3, 1/3
    expect(rlooAdvantages([1, 0, 0, 3])).toEqual(close([0, -4 / 3, -4 / 3, 8 / 3]))
    // = n/(n−1)·(R − mean): mean 1, 4/3·[0, −1, −1, 2]
    expect(rlooAdvantages([1, 0, 0, 3])).toEqual(
      close(groupAdvantages([1, 0, 0, 3], 'mean').map((a) => (a * 4) / 3))
    )
  })

  it('gives 0 to a group of one and to a zero-variance group', () => {
    expect(rlooAdvantages([5])).toEqual([0])
    expect(rlooAdvantages([])).toEqual([])
    expect(rlooAdvantages([2, 2, 2])).toEqual([0, 0, 0])
  })
})

describe('zeroVarianceShare', () => {
  it('counts groups whose returns are all equal, singletons included', () => {
    expect(zeroVarianceShare([[1, 1], [0, 10], [3], [0, 0, 0]])).toEqual({
      groups: 4,
      zeroVariance: 3,
      share: 0.75
    })
    expect(zeroVarianceShare([])).toEqual({ groups: 0, zeroVariance: 0, share: 0 })
  })
})

describe('GiGPO', () => {
  it('discounts step returns with γ', () => {
    // rewards [0, 0, 10], γ = 0.5: R_2 = 10, R_1 = 5, R_0 = 2.5
    expect(discountedReturns([0, 0, 10], 0.5)).toEqual([2.5, 5, 10])
  })

  it('groups steps by identical anchor text across the episodes of the group', () => {
    const { group, sizes } = anchorStepGroups([
      ['s0', 'a', 'b'],
      ['s0', 'b'],
      ['s0', 'c']
    ])
    expect(group).toEqual([
      [0, 1, 2],
      [0, 2],
      [0, 3]
    ])
    expect(sizes).toEqual([3, 1, 2, 1])
  })

  // One group of three episodes from state "s0" (γ = 0.95, ω = 1):
  //   τ1: s0 → a → b(win): rewards [0, 0, 10], R = 10
  //   τ2: s0 → b(win):     rewards [0, 10],    R = 10
  //   τ3: s0 → c → c:      rewards [0, 0, 0],  R = 0
  // Step returns: τ1 [9.025, 9.5, 10], τ2 [9.5, 10], τ3 [0, 0, 0].
  // Step groups: s0 {9.025, 9.5, 0}, a {9.5}, b {10, 10}, c {0, 0}.
  const episodes = [
    { rewards: [0, 0, 10], anchors: ['s0', 'a', 'b'] },
    { rewards: [0, 10], anchors: ['s0', 'b'] },
    { rewards: [0, 0, 0], anchors: ['s0', 'c', 'c'] }
  ]

  it("'mean' norm: episode and step advantages as envs.md §4.2 computes them", () => {
    // A^E: the 8 step samples score [10,10,10, 10,10, 0,0,0], mean 50/8 = 6.25 → 3.75 or −6.25.
    // A^S: s0 mean (9.025 + 9.5 + 0)/3 = 6.175 → 2.85, 3.325, −6.175; a, b, c → 0.
    const a = gigpoAdvantages({ episodes, gamma: 0.95, omega: 1, norm: 'mean' })
    expect(a[0]).toEqual(close([3.75 + 2.85, 3.75, 3.75]))
    expect(a[1]).toEqual(close([3.75 + 3.325, 3.75]))
    expect(a[2]).toEqual(close([-6.25 - 6.175, -6.25, -6.25]))
    // ω scales only the step part
    const half = gigpoAdvantages({ episodes, gamma: 0.95, omega: 0.5, norm: 'mean' })
    expect(half[0]![0]).toBeCloseTo(3.75 + 1.425, 9)
  })

  it("'mean_std' norm: unbiased std over all step samples, and within step groups", () => {
    // A^E: 5 samples of 10 and 3 of 0, mean 6.25; Σ(x − mean)² = 5·3.75² + 3·6.25² = 187.5,
    //   std = sqrt(187.5 / 7) = 5.17549…; A^E = 3.75 / std = 0.724569… or −6.25 / std = −1.207615…
    // A^S in s0: deviations 2.85, 3.325, −6.175; Σ² = 8.1225 + 11.055625 + 38.130625 = 57.30875,
    //   std = sqrt(57.30875 / 2) = 5.353…; b and c groups have std 0 → (x − mean)/(0 + ε) = 0.
    const eps = 1e-6
    const stdE = Math.sqrt(187.5 / 7)
    const stdS = Math.sqrt(57.30875 / 2)
    const up = 3.75 / (stdE + eps)
    const down = -6.25 / (stdE + eps)
    const a = gigpoAdvantages({ episodes, norm: 'mean_std' })
    expect(a[0]).toEqual(close([up + 2.85 / (stdS + eps), up, up], 6))
    expect(a[1]).toEqual(close([up + 3.325 / (stdS + eps), up], 6))
    expect(a[2]).toEqual(close([down - 6.175 / (stdS + eps), down, down], 6))
    expect(up).toBeCloseTo(0.724569, 5)
    expect(down).toBeCloseTo(-1.207615, 5)
  })

  it('a singleton step group gives 0; a group of one step sample uses mean 0, std 1', () => {
    // A single episode of one step: A^E = (R − 0) / (1 + ε); its step group is a singleton → 0.
    const one = gigpoAdvantages({ episodes: [{ rewards: [10], anchors: ['x'] }], norm: 'mean_std' })
    expect(one[0]![0]).toBeCloseTo(10 / (1 + 1e-6), 9)
    const oneMean = gigpoAdvantages({ episodes: [{ rewards: [10], anchors: ['x'] }], norm: 'mean' })
    expect(oneMean).toEqual([[10]])
    // All anchors distinct: A = A^E only. Scores [1, 1, 0], mean 2/3 → 1/3, 1/3, −2/3.
    const distinct = gigpoAdvantages({
      episodes: [
        { rewards: [0, 1], anchors: ['p', 'q'] },
        { rewards: [0], anchors: ['r'] }
      ],
      norm: 'mean'
    })
    expect(distinct).toEqual([close([1 / 3, 1 / 3]), close([-2 / 3])])
  })

  it('subtracts the invalid-format penalty from the step score and the step return', () => {
    // Two one-step episodes from "s", both reward 1, the second invalid (penalty 0.1):
    // scores [1, 0.9], mean 0.95 → A^E ±0.05; step returns [1, 0.9] in group s → ±0.05.
    const a = gigpoAdvantages({
      episodes: [
        { rewards: [1], anchors: ['s'] },
        { rewards: [1], anchors: ['s'], penalties: [0.1] }
      ],
      norm: 'mean'
    })
    expect(a).toEqual([close([0.1]), close([-0.1])])
    // an explicit episode return replaces the reward sum in A^E only
    const r = gigpoAdvantages({
      episodes: [
        { rewards: [0], anchors: ['s'], episodeReturn: 4 },
        { rewards: [0], anchors: ['t'], episodeReturn: 0 }
      ],
      norm: 'mean'
    })
    expect(r).toEqual([[2], [-2]])
    expect(() =>
      gigpoAdvantages({ episodes: [{ rewards: [0, 1], anchors: ['s'] }], norm: 'mean' })
    ).toThrow(/anchors/)
  })
})
