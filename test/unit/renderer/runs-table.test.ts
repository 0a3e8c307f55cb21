// The runs table's pure parts: flattened config keys, columns and sorting, the filter language,
// grouping with counts and means, and the view kept in the URL.
import { describe, expect, it } from 'vitest'
import { effectiveConfig, experimentConfigSchema } from '../../../core/api/config'
import type { RunTableRow } from '../../../core/api/entities'
import {
  cellValue,
  compareCells,
  sortRows,
  toTableRow,
  type TableRow
} from '../../../renderer/src/features/runs/model/columns'
import { flattenConfig } from '../../../renderer/src/features/runs/model/config-keys'
import { matches, parseFilter } from '../../../renderer/src/features/runs/model/filter'
import { buildDisplay, type GroupItem } from '../../../renderer/src/features/runs/model/grouping'
import {
  parseTableView,
  tableViewQuery
} from '../../../renderer/src/features/runs/model/table-view'

function row(
  id: number,
  name: string,
  config: Record<string, unknown>,
  lastMetrics: Record<string, number> = {},
  status: RunTableRow['run']['status'] = 'completed'
): TableRow {
  const parsed = experimentConfigSchema.parse(config)
  return toTableRow({
    experimentName: name,
    lastMetrics,
    run: {
      id,
      experimentId: id,
      status,
      seed: parsed.seed,
      config: parsed,
      backend: null,
      backendNotes: [],
      kernels: null,
      backendDevice: null,
      backendVersions: {},
      iterationsDone: 2,
      iterations: 4,
      startedAt: null,
      endedAt: null,
      error: null
    }
  })
}

const rows = [
  row(1, 'lr small s0', { learningRate: 0.001, seed: 0 }, { 'eval/success_rate': 0.25 }),
  row(2, 'lr small s1', { learningRate: 0.001, seed: 1 }, { 'eval/success_rate': 0.75 }),
  row(3, 'lr big s0', { learningRate: 0.01, seed: 0 }, { 'eval/success_rate': 0.5 }, 'running'),
  row(4, 'alfworld expert', { env: 'alfworld', algo: 'expert', learningRate: 0.001 }, {}, 'failed')
]

describe('flattenConfig', () => {
  it('dots nested keys and keeps arrays as one JSON value', () => {
    const flat = flattenConfig({ a: 1, policy: { hidden: [8, 8], lm: { dModel: 64 } }, e: {} })
    expect(flat).toEqual({ a: 1, 'policy.hidden': '[8,8]', 'policy.lm.dModel': 64 })
  })

  it('flattens a whole experiment config', () => {
    const flat = flattenConfig(effectiveConfig(experimentConfigSchema.parse({})))
    expect(flat['policy.encoding']).toBe('egocentric')
    expect(flat['policy.kind']).toBe('mlp')
    expect(flat.learningRate).toBe(0.001)
    expect(flat['policy.lm.dModel']).toBeUndefined()
    const lm = flattenConfig(effectiveConfig(experimentConfigSchema.parse({ env: 'webshop' })))
    expect([lm['policy.kind'], lm.learningRate, lm['policy.lm.dModel']]).toEqual(['lm', 1e-4, 128])
    expect(lm['policy.hidden']).toBeUndefined()
    expect(Object.values(flat).every((v) => typeof v !== 'object' || v === null)).toBe(true)
  })
})

describe('columns and sorting', () => {
  it('reads fixed, config and metric cells', () => {
    const r = rows[0]!
    expect(cellValue(r, 'name')).toBe('lr small s0')
    expect(cellValue(r, 'progress')).toBe(0.5)
    expect(cellValue(r, 'config:policy.encoding')).toBe('egocentric')
    expect(cellValue(r, 'metric:eval/success_rate')).toBe(0.25)
    expect(cellValue(r, 'metric:nope')).toBeNull()
    expect(cellValue(r, 'bogus')).toBeNull()
  })

  it('sorts numbers by value, keeps missing values last in both directions, and is stable', () => {
    const asc = sortRows(rows, { column: 'metric:eval/success_rate', desc: false })
    expect(asc.map((r) => r.run.id)).toEqual([1, 3, 2, 4])
    const desc = sortRows(rows, { column: 'metric:eval/success_rate', desc: true })
    expect(desc.map((r) => r.run.id)).toEqual([2, 3, 1, 4])
    const byLr = sortRows(rows, { column: 'config:learningRate', desc: false })
    expect(byLr.map((r) => r.run.id)).toEqual([1, 2, 4, 3])
    expect(sortRows(rows, null)).toBe(rows)
  })

  it('orders text naturally and numbers before text', () => {
    expect(compareCells('run 2', 'run 10')).toBeLessThan(0)
    expect(compareCells(5, 'a')).toBeLessThan(0)
    expect(compareCells(null, 1)).toBeGreaterThan(0)
  })
})

describe('filter', () => {
  const ids = (text: string): number[] =>
    rows.filter((r) => matches(r, parseFilter(text))).map((r) => r.run.id)

  it('compares metric and config keys as numbers', () => {
    expect(ids('eval/success_rate > 0.3')).toEqual([2, 3])
    expect(ids('eval/success_rate >= 0.5, learningRate = 0.001')).toEqual([2])
    expect(ids('learningRate=1e-3')).toEqual([1, 2, 4])
    expect(ids('seed != 0')).toEqual([2])
  })

  it('matches text in name, env, algo or status, and whole text values case-insensitively', () => {
    expect(ids('ALFWORLD')).toEqual([4])
    expect(ids('running')).toEqual([3])
    expect(ids('algo = GRPO and status != failed')).toEqual([1, 2, 3])
    expect(ids('name ~ SMALL')).toEqual([1, 2])
    expect(ids("experiment = 'lr big s0'")).toEqual([3])
    expect(ids('')).toEqual([1, 2, 3, 4])
  })

  it('reports malformed comparisons and ignores them', () => {
    const f = parseFilter('eval/success_rate > high, sokoban, seed =')
    expect(f.errors).toHaveLength(2)
    expect(f.errors[0]).toMatch(/needs a number/)
    expect(f.clauses).toEqual([{ kind: 'text', text: 'sokoban' }])
  })

  it('does not match a run that lacks the key', () => {
    expect(ids('eval/success_rate < 1')).toEqual([1, 2, 3])
    expect(ids('policy.lm.dModel > 0')).toEqual([4])
    expect(ids('policy.hidden = nope')).toEqual([])
  })
})

describe('grouping', () => {
  const columns = ['metric:eval/success_rate', 'config:seed']

  it('groups by a config key in value order with counts, members and column means', () => {
    const items = buildDisplay(rows, ['learningRate'], columns, new Set())
    const groups = items.filter((i): i is GroupItem => i.kind === 'group')
    expect(groups.map((g) => [g.value, g.count, g.runIds])).toEqual([
      [0.001, 3, [1, 2, 4]],
      [0.01, 1, [3]]
    ])
    expect(groups[0]?.means['metric:eval/success_rate']).toBeCloseTo(0.5)
    expect(groups[0]?.means['config:seed']).toBeCloseTo(1 / 3)
    expect(items.map((i) => (i.kind === 'row' ? i.row.run.id : 'g'))).toEqual([
      'g',
      1,
      2,
      4,
      'g',
      3
    ])
  })

  it('nests groups and hides a collapsed group’s members but keeps its header', () => {
    const open = buildDisplay(rows, ['learningRate', 'env'], columns, new Set())
    const inner = open.find((i) => i.kind === 'group' && i.depth === 1 && i.value === 'alfworld')
    expect(inner?.kind === 'group' && inner.count).toBe(1)
    const first = open[0] as GroupItem
    const closed = buildDisplay(rows, ['learningRate', 'env'], columns, new Set([first.path]))
    expect(closed[0]).toMatchObject({ kind: 'group', collapsed: true, count: 3 })
    expect(closed[1]).toMatchObject({ kind: 'group', depth: 0, value: 0.01 })
  })
})

describe('table view in the URL', () => {
  it('round-trips columns, sort, filter, grouping and selection', () => {
    const view = {
      columns: ['config:policy.hidden', 'metric:eval/success_rate'],
      sort: { column: 'metric:eval/success_rate', desc: true },
      filter: 'eval/success_rate > 0.5, grpo',
      group: ['learningRate', 'seed'],
      selected: [3, 1]
    }
    expect(parseTableView(tableViewQuery(view))).toEqual(view)
  })

  it('falls back to the default view and drops bad ids', () => {
    const empty = parseTableView('')
    expect(empty.columns.length).toBeGreaterThan(0)
    expect(empty.sort).toBeNull()
    expect(tableViewQuery(empty)).toBe('')
    expect(parseTableView('sel=1,x,-2,1,4&cols=').selected).toEqual([1, 4])
    expect(parseTableView('cols=').columns).toEqual([])
  })
})
