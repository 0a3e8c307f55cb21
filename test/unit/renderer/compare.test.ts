// The compare view's pure parts: EMA smoothing, t-based 95 % intervals, x axes derived from the
// stored metrics, group aggregation, the config diff and the view kept in the URL.
import { describe, expect, it } from 'vitest'
import type { MetricPoint } from '../../../core/api/entities'
import { createRng } from '../../../core/rng'
import {
  compareViewQuery,
  parseCompareView
} from '../../../renderer/src/features/compare/model/compare-view'
import type { Cell } from '../../../renderer/src/features/runs/model/config-keys'
import { configDiff, groupRuns } from '../../../renderer/src/features/compare/model/config-diff'
import { aggregate, runSeries } from '../../../renderer/src/features/compare/model/series'
import { tCritical975 } from '../../../core/stats'
import { ema, meanCi } from '../../../renderer/src/features/compare/model/stats'

describe('ema', () => {
  it('is the identity at weight 0 and debiased from the first point', () => {
    expect(ema([3, 1, 4], 0)).toEqual([3, 1, 4])
    const s = ema([1, 2], 0.5)
    expect(s[0]).toBeCloseTo(1)
    // (0.5·0.5·1 + 0.5·2) / (1 - 0.25)
    expect(s[1]).toBeCloseTo(1.25 / 0.75)
  })

  it('keeps a constant series constant and smooths more with a larger weight', () => {
    expect(ema([2, 2, 2, 2], 0.9).every((v) => Math.abs(v - 2) < 1e-12)).toBe(true)
    const zigzag = [0, 1, 0, 1, 0, 1, 0, 1]
    const spread = (xs: number[]): number => Math.max(...xs.slice(4)) - Math.min(...xs.slice(4))
    expect(spread(ema(zigzag, 0.9))).toBeLessThan(spread(ema(zigzag, 0.5)))
    expect(spread(ema(zigzag, 0.5))).toBeLessThan(1)
  })
})

describe('95 % confidence intervals', () => {
  it('uses Student t quantiles', () => {
    expect(tCritical975(1)).toBeCloseTo(12.706, 3)
    expect(tCritical975(4)).toBeCloseTo(2.776, 3)
    expect(tCritical975(60)).toBeCloseTo(2.0003, 3)
    expect(tCritical975(120)).toBeCloseTo(1.9799, 3)
    const ci = meanCi([1, 2, 3])
    expect(ci.mean).toBe(2)
    expect(ci.hi - ci.mean).toBeCloseTo(4.303 / Math.sqrt(3), 3)
    expect(meanCi([5])).toEqual({ n: 1, mean: 5, lo: 5, hi: 5 })
  })

  it('covers the true mean about 95 % of the time with 3 seeds (a normal quantile would not)', () => {
    const rng = createRng(7)
    const normal = (): number =>
      Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
    let covered = 0
    const trials = 4000
    for (let i = 0; i < trials; i++) {
      const { lo, hi } = meanCi([normal(), normal(), normal()])
      if (lo <= 0 && 0 <= hi) covered++
    }
    // With z = 1.96 instead of t(2) = 4.303 the coverage would be about 0.76.
    expect(covered / trials).toBeGreaterThan(0.93)
    expect(covered / trials).toBeLessThan(0.97)
  })
})

describe('series', () => {
  const points: MetricPoint[] = [
    { iteration: 0, values: { m: 1, 'perf/iteration_s': 2, 'train/mean_length': 3 } },
    { iteration: 1, values: { 'perf/iteration_s': 1.5, 'train/mean_length': 2 } },
    { iteration: 2, values: { m: 3, 'perf/iteration_s': 1, 'train/mean_length': 1 } }
  ]
  const shape = { groupsPerIteration: 4, groupSize: 2 }

  it('puts iterations that logged the metric on the chosen x axis', () => {
    expect(runSeries(points, 'm', 'iteration', shape)).toEqual([
      { iteration: 0, x: 0, y: 1 },
      { iteration: 2, x: 2, y: 3 }
    ])
    // Wall time: seconds summed to the end of each iteration, iterations without `m` included.
    expect(runSeries(points, 'm', 'wall', shape).map((p) => p.x)).toEqual([2, 4.5])
    // Env steps: mean length × 4 groups × 2 members, summed.
    expect(runSeries(points, 'm', 'steps', shape).map((p) => p.x)).toEqual([24, 48])
  })

  it('aggregates runs per iteration; an iteration only one run logged has no band', () => {
    const band = aggregate([
      [
        { iteration: 0, x: 0, y: 1 },
        { iteration: 1, x: 10, y: 2 }
      ],
      [{ iteration: 0, x: 2, y: 3 }]
    ])
    expect(band[0]).toMatchObject({ iteration: 0, x: 1, mean: 2, n: 2 })
    expect(band[0]!.hi - band[0]!.lo).toBeCloseTo(2 * 12.706 * 1, 2)
    expect(band[1]).toEqual({ iteration: 1, x: 10, mean: 2, lo: 2, hi: 2, n: 1 })
  })
})

describe('config diff and groups', () => {
  const flats: Record<string, Cell>[] = [
    { lr: 0.01, seed: 0, env: 'sokoban' },
    { lr: 0.01, seed: 1, env: 'sokoban' },
    { lr: 0.1, seed: 0, env: 'sokoban', extra: 1 }
  ]

  it('marks the keys whose values differ, a key missing in some run included', () => {
    const diff = configDiff(flats)
    expect(diff.filter((d) => d.differs).map((d) => d.key)).toEqual(['extra', 'lr', 'seed'])
    expect(diff.find((d) => d.key === 'extra')?.values).toEqual([undefined, undefined, 1])
  })

  it('groups runs by equal values of the chosen keys', () => {
    const groups = groupRuns(flats, (f) => f, ['lr'], String)
    expect(groups.map((g) => [g.label, g.members.length])).toEqual([
      ['lr=0.01', 2],
      ['lr=0.1', 1]
    ])
    expect(groupRuns(flats, (f) => f, ['lr', 'seed'], String)).toHaveLength(3)
  })
})

describe('compare view in the URL', () => {
  it('round-trips and clamps', () => {
    const view = {
      runs: [4, 2, 9],
      metric: 'eval/success_rate',
      smoothing: 0.6,
      x: 'wall' as const,
      group: ['learningRate'],
      diffOnly: true
    }
    expect(parseCompareView(compareViewQuery(view))).toEqual(view)
    const bad = parseCompareView('runs=1,a&smooth=7&x=nope')
    expect(bad).toMatchObject({ runs: [1], smoothing: 0.99, x: 'iteration', diffOnly: false })
  })
})
