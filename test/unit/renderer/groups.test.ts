// The group views' pure parts: blueprints aligned by subgoal with differing cells marked,
// executions aligned by subgoal, and the browser's view kept in the URL.
import { describe, expect, it } from 'vitest'
import type { GroupMember, SubgoalSegment } from '../../../core/api/entities'
import {
  browseViewQuery,
  parseBrowseView
} from '../../../renderer/src/features/groups/model/browse-view'
import {
  alignBlueprints,
  alignExecutions
} from '../../../renderer/src/features/groups/model/alignment'

const differs = (rows: ReturnType<typeof alignBlueprints>): (boolean | null)[][] =>
  rows.map((r) => r.cells.map((c) => (c === null ? null : c.differs)))

describe('alignBlueprints', () => {
  it('one row per subgoal of the longest blueprint; shorter ones leave empty cells', () => {
    const rows = alignBlueprints([['a', 'b', 'c'], ['a'], ['a', 'x']])
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2])
    expect(rows.map((r) => r.cells.map((c) => c?.text ?? null))).toEqual([
      ['a', 'a', 'a'],
      ['b', null, 'x'],
      ['c', null, null]
    ])
  })

  it('marks cells that differ from the row’s consensus; a unanimous row has none', () => {
    expect(
      differs(
        alignBlueprints([
          ['a', 'b', 'c'],
          ['a', 'b', 'd'],
          ['a', 'x', 'e']
        ])
      )
    ).toEqual([
      [false, false, false],
      [false, false, true],
      // No consensus: every text differs.
      [true, true, true]
    ])
    // An absent subgoal shared by most members is the consensus: the one present cell differs.
    expect(differs(alignBlueprints([['a', 'b'], ['a'], ['a']]))).toEqual([
      [false, false, false],
      [true, null, null]
    ])
    expect(
      differs(
        alignBlueprints([
          ['a', 'b'],
          ['a', 'b']
        ])
      )
    ).toEqual([
      [false, false],
      [false, false]
    ])
  })

  it('no blueprints, no rows', () => {
    expect(alignBlueprints([])).toEqual([])
    expect(alignBlueprints([[], []])).toEqual([])
  })
})

describe('alignExecutions', () => {
  const seg = (index: number, steps: number): SubgoalSegment => ({
    index,
    steps,
    firstT: null,
    lastT: null,
    end: 'sub_done'
  })
  const member = (segments: SubgoalSegment[]): GroupMember =>
    ({ segments, blueprint: ['p', 'q'] }) as GroupMember
  it('the blueprint’s subgoals then "after the plan", one cell per member', () => {
    const rows = alignExecutions(
      ['p', 'q'],
      [member([seg(0, 2), seg(1, 0), seg(2, 5)]), member([])]
    )
    expect(rows.map((r) => [r.index, r.subgoal])).toEqual([
      [0, 'p'],
      [1, 'q'],
      [2, null]
    ])
    expect(rows.map((r) => r.cells.map((c) => c?.steps ?? null))).toEqual([
      [2, null],
      [0, null],
      [5, null]
    ])
  })
})

describe('group browser view in the URL', () => {
  it('round-trips and drops defaults', () => {
    const view = {
      iteration: 3,
      level: 'macro' as const,
      filter: 'zstar-failed' as const,
      taskType: 'pick_two_obj_and_place',
      offset: 50
    }
    expect(parseBrowseView(browseViewQuery(view))).toEqual(view)
    expect(
      browseViewQuery({ iteration: null, level: null, filter: 'all', taskType: null, offset: 0 })
    ).toBe('')
  })
  it('ignores what it does not know', () => {
    expect(parseBrowseView('it=-1&level=meso&filter=best&offset=x&type=')).toEqual({
      iteration: null,
      level: null,
      filter: 'all',
      taskType: null,
      offset: 0
    })
  })
})
