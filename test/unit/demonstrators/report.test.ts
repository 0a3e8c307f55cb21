import { describe, expect, it } from 'vitest'
import { demonstratorReport, formatDemonstratorReport } from '../../../core/agent/demonstrators'

describe('demonstrator report', () => {
  it('has a row per ALFWorld split and task type plus totals, and WebShop and Sokoban rows', () => {
    const rows = demonstratorReport({ episodes: 4, alfworldSplits: ['valid_unseen'] })
    expect(rows.map((r) => `${r.env}/${r.taskType}`)).toEqual([
      'alfworld/Pick',
      'alfworld/Look',
      'alfworld/Clean',
      'alfworld/Heat',
      'alfworld/Cool',
      'alfworld/Pick2',
      'alfworld/all',
      'webshop/all',
      'sokoban/all'
    ])
    const all = rows[6]
    expect(all?.episodes).toBe(24)
    const perType = rows.slice(0, 6)
    const mean = (f: (r: (typeof rows)[number]) => number): number =>
      perType.reduce((s, r) => s + f(r), 0) / 6
    expect(all?.meanLength).toBeCloseTo(
      mean((r) => r.meanLength),
      9
    )
    expect(all?.oracleMeanLength).toBeCloseTo(
      mean((r) => r.oracleMeanLength),
      9
    )
    for (const r of rows) {
      expect(r.oracleSuccess).toBe(1)
      expect(r.success).toBeGreaterThanOrEqual(0)
      expect(r.meanFindSteps === null).toBe(r.env !== 'alfworld')
    }
    // the searcher spends more steps finding than the oracle, which walks straight there
    expect(all?.meanFindSteps).toBeGreaterThan(all?.oracleMeanFindSteps ?? Infinity)
    const sokoban = rows[8]
    expect(sokoban?.meanLength).toBe(sokoban?.oracleMeanLength)
    const table = formatDemonstratorReport(rows).split('\n')
    expect(table).toHaveLength(rows.length + 2)
    expect(table[2]).toMatch(/^\| alfworld \| valid_unseen \| Pick \| 4 \| \d+\.\d % \|/)
  })
})
