// The replay's pure parts: subgoal segments (against the store's own segmentation), the step
// list with collapsed segments, the keyboard's moves, and the list and step kept in the URL.
import { describe, expect, it } from 'vitest'
import type { Step } from '../../../core/api/entities'
import { subgoalSegments } from '../../../core/store/subgoal-segments'
import { keyAction, moveRow, type KeyPress } from '../../../renderer/src/features/replay/model/keys'
import {
  episodesViewOf,
  episodesViewQuery,
  groupNeighbours,
  neighbourWindow,
  parseEpisodesView,
  parseReplayView,
  replayStepQuery,
  replayViewQuery,
  runNeighbours,
  type EpisodeList
} from '../../../renderer/src/features/replay/model/replay-url'
import {
  replaySegments,
  rowSegments,
  runningReturns
} from '../../../renderer/src/features/replay/model/segments'
import {
  itemOfRow,
  listItems,
  toggled
} from '../../../renderer/src/features/replay/model/step-list'

const step = (t: number, over: Partial<Step> = {}): Step => ({
  t,
  observation: '',
  admissibleActions: [],
  action: `a${t}`,
  reward: 0,
  done: false,
  subgoalIndex: null,
  subDone: false,
  logProb: null,
  advantage: null,
  view: null,
  candidates: null,
  invalid: false,
  fallback: false,
  subDoneProb: null,
  subDoneChoices: null,
  ...over
})

/** Steps from (subgoal, marker) pairs, then the final-state row. */
const episode = (spec: [number, '' | 'done' | 'fallback'][]): Step[] => [
  ...spec.map(([sub, mark], t) =>
    step(t, { subgoalIndex: sub, subDone: mark === 'done', fallback: mark === 'fallback' })
  ),
  step(spec.length, { action: '', done: true })
]

describe('replaySegments', () => {
  it('one segment per subgoal plus the steps after the plan, with rows, endings and rewards', () => {
    const steps = episode([
      [0, ''],
      [0, 'done'],
      [1, ''],
      [1, 'fallback'],
      [3, '']
    ]).map((s) => ({ ...s, reward: s.t === 4 ? 1 : 0.25 }))
    const segs = replaySegments(steps, ['a', 'b', 'c', 'd'])
    expect(segs.map((s) => [s.index, s.subgoal, s.rows, s.actions, s.end])).toEqual([
      [0, 'a', [0, 1], 2, 'sub_done'],
      [1, 'b', [2, 3], 2, 'fallback'],
      // Ended by <sub_done> at once: no step of its own.
      [2, 'c', [], 0, 'sub_done'],
      // The episode ended in it; the final-state row belongs to it.
      [3, 'd', [4, 5], 1, 'episode_end'],
      [4, null, [], 0, 'not_reached']
    ])
    expect(segs.map((s) => s.rewardSum)).toEqual([0.5, 0.5, 0, 1.25, 0])
    expect(rowSegments(segs, steps.length)).toEqual([0, 0, 1, 1, 3, 3])
  })

  it('a flat episode is one segment of every row', () => {
    const steps = episode([
      [0, ''],
      [0, '']
    ]).map((s) => ({ ...s, subgoalIndex: null }))
    for (const bp of [null, []]) {
      const segs = replaySegments(steps, bp)
      expect(segs).toHaveLength(1)
      expect(segs[0]).toMatchObject({ index: null, rows: [0, 1, 2], actions: 2 })
    }
  })

  it('agrees with the store’s segments (counts, first/last t, endings) on random executions', () => {
    let seed = 7
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let trial = 0; trial < 300; trial++) {
      const k = 1 + rand(5)
      const spec: [number, '' | 'done' | 'fallback'][] = []
      let sub = 0
      const n = rand(14)
      for (let i = 0; i < n; i++) {
        const r = rand(6)
        const mark = sub < k && r === 0 ? 'done' : sub < k && r === 1 ? 'fallback' : ''
        spec.push([sub, mark])
        if (mark !== '') sub = Math.min(k, sub + 1 + (rand(4) === 0 ? 1 : 0))
      }
      const steps = rand(3) === 0 ? episode(spec).slice(0, -1) : episode(spec)
      const blueprint = Array.from({ length: k }, (_, i) => `s${i}`)
      const mine = replaySegments(steps, blueprint)
      const stored = subgoalSegments(steps, k).segments
      const firstT = (rows: number[]): number | null => {
        const acted = rows.filter((r) => steps[r]?.action !== '')
        return acted.length === 0 ? null : (steps[acted[0]!]?.t ?? null)
      }
      expect(
        mine.map((s) => ({ index: s.index, steps: s.actions, firstT: firstT(s.rows), end: s.end }))
      ).toEqual(
        stored.map((s) => ({ index: s.index, steps: s.steps, firstT: s.firstT, end: s.end }))
      )
    }
  })

  it('running returns', () => {
    const steps = [1, 0, -0.5, 2].map((r, t) => step(t, { reward: r }))
    expect(runningReturns(steps)).toEqual([1, 1, 0.5, 2.5])
  })
})

describe('step list', () => {
  const steps = episode([
    [0, 'done'],
    [1, ''],
    [1, 'done'],
    [2, '']
  ])
  const segs = replaySegments(steps, ['a', 'b', 'c'])

  it('a header per segment, then its rows; a collapsed segment shows its header only', () => {
    const kinds = (c: Set<number>): string[] =>
      listItems(segs, c).map((i) => (i.kind === 'segment' ? `S${i.segment}` : `r${i.row}`))
    expect(kinds(new Set())).toEqual(['S0', 'r0', 'S1', 'r1', 'r2', 'S2', 'r3', 'r4', 'S3'])
    expect(kinds(new Set([1]))).toEqual(['S0', 'r0', 'S1', 'S2', 'r3', 'r4', 'S3'])
  })

  it('the selected row’s item, or its header while folded', () => {
    const open = listItems(segs, new Set())
    const folded = listItems(segs, new Set([1]))
    expect(itemOfRow(open, 2, 1)).toBe(4)
    expect(itemOfRow(folded, 2, 1)).toBe(2)
    expect([...toggled(new Set([1]), 1)]).toEqual([])
    expect([...toggled(new Set([1]), 2)]).toEqual([1, 2])
  })
})

describe('keyboard', () => {
  const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    targetTag: 'BODY',
    targetEditable: false,
    ...over
  })

  it('maps keys to moves, and none while typing or with a modifier', () => {
    expect(
      ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'j', 'k', 'c', 'Home', 'End', 'x'].map(
        (k) => keyAction(press(k))
      )
    ).toEqual([
      'step-next',
      'step-prev',
      'segment-next',
      'segment-prev',
      'episode-next',
      'episode-prev',
      'toggle-segment',
      'first',
      'last',
      null
    ])
    for (const tag of ['INPUT', 'TEXTAREA', 'SELECT'])
      expect(keyAction(press('j', { targetTag: tag }))).toBeNull()
    expect(keyAction(press('j', { targetEditable: true }))).toBeNull()
    expect(keyAction(press('j', { targetTag: 'INPUT', targetType: 'search' }))).toBeNull()
    // The step slider is not a text field: ↑ / ↓ still jump by segment there.
    expect(keyAction(press('ArrowDown', { targetTag: 'INPUT', targetType: 'range' }))).toBe(
      'segment-next'
    )
    expect(keyAction(press('ArrowRight', { ctrlKey: true }))).toBeNull()
    expect(keyAction(press('k', { metaKey: true }))).toBeNull()
  })

  it('↑ / ↓ land on segment starts, skipping empty segments; ← / → stay in range', () => {
    const steps = episode([
      [0, ''],
      [0, 'done'],
      [2, ''],
      [2, 'done'],
      [3, '']
    ])
    const segs = replaySegments(steps, ['a', 'b', 'c'])
    const of = rowSegments(segs, steps.length)
    const move = (a: Parameters<typeof moveRow>[0], row: number): number =>
      moveRow(a, row, steps.length, segs, of)
    expect(move('segment-next', 0)).toBe(2)
    expect(move('segment-next', 1)).toBe(2)
    expect(move('segment-next', 2)).toBe(4)
    expect(move('segment-next', 5)).toBe(5)
    expect(move('segment-prev', 5)).toBe(2)
    expect(move('segment-prev', 3)).toBe(0)
    expect(move('segment-prev', 1)).toBe(1)
    expect(move('step-next', 5)).toBe(5)
    expect(move('step-prev', 0)).toBe(0)
    expect(move('last', 0)).toBe(5)
    expect(move('first', 3)).toBe(0)
  })
})

describe('replay URL', () => {
  it('round-trips the step and the list it came from; bad values are dropped', () => {
    const run: EpisodeList = { kind: 'run', runId: 3, phase: 'eval', success: true, offset: 50 }
    const q = replayViewQuery({ t: 37, list: run })
    expect(q).toBe('run=3&phase=eval&success=1&offset=50&t=37')
    expect(parseReplayView(q)).toEqual({ t: 37, list: run })
    expect(parseReplayView('group=7')).toEqual({ t: null, list: { kind: 'group', groupId: 7 } })
    expect(parseReplayView('run=0&t=-1')).toEqual({ t: null, list: null })
    expect(parseReplayView('run=2&phase=x&success=2&offset=y')).toEqual({
      t: null,
      list: { kind: 'run', runId: 2, phase: null, success: null, offset: 0 }
    })
    expect(replayViewQuery({ t: null, list: null })).toBe('')
  })

  it('the episodes page’s filters and page; back to the page that holds the episode', () => {
    const v = { phase: 'train' as const, success: false, offset: 400 }
    expect(parseEpisodesView(episodesViewQuery(v))).toEqual(v)
    expect(episodesViewQuery({ phase: null, success: null, offset: 0 })).toBe('')
    expect(
      episodesViewOf({ kind: 'run', runId: 1, phase: null, success: true, offset: 437 }, 200)
    ).toEqual({ phase: null, success: true, offset: 400 })
  })

  it('run neighbours from the window around the episode; none when it left the list', () => {
    const list = { kind: 'run' as const, runId: 3, phase: null, success: null, offset: 5 }
    const w = neighbourWindow(5)
    expect(w).toEqual({ offset: 4, limit: 3 })
    const n = runNeighbours(list, 12, w.offset, { total: 9, items: [{ id: 11 }, { id: 12 }] })
    expect(n).toEqual({
      prev: { episodeId: 11, list: { ...list, offset: 4 } },
      next: null,
      position: 5,
      total: 9
    })
    expect(neighbourWindow(0)).toEqual({ offset: 0, limit: 2 })
    const first = runNeighbours({ ...list, offset: 0 }, 1, 0, {
      total: 2,
      items: [{ id: 1 }, { id: 2 }]
    })
    expect([first.prev, first.next?.episodeId, first.next?.list]).toEqual([
      null,
      2,
      { ...list, offset: 1 }
    ])
    expect(runNeighbours(list, 99, 4, { total: 9, items: [{ id: 11 }] }).position).toBeNull()
  })

  it('group neighbours in member order', () => {
    const list = { kind: 'group' as const, groupId: 7 }
    const members = [
      { episodeId: 30, memberIndex: 2 },
      { episodeId: 10, memberIndex: 0 },
      { episodeId: 20, memberIndex: 1 }
    ]
    const n = groupNeighbours(list, 20, members)
    expect([n.prev?.episodeId, n.next?.episodeId, n.position, n.total]).toEqual([10, 30, 1, 3])
    expect(groupNeighbours(list, 10, members).prev).toBeNull()
    expect(groupNeighbours(list, 5, members).position).toBeNull()
  })
})

describe('the URL a replay writes once stepping pauses', () => {
  const at = (episodeId: number, query: string) => ({ page: 'replay', episodeId, query })

  it('adds or moves t, keeping the list the user came from', () => {
    expect(replayStepQuery(at(12, 'group=7'), 12, 5, 0)).toBe('group=7&t=5')
    expect(replayStepQuery(at(12, 'group=7&t=2'), 12, 5, 0)).toBe('group=7&t=5')
  })

  it('writes nothing where the URL says so already, or the replay is still on its first step', () => {
    expect(replayStepQuery(at(12, 't=5'), 12, 5, 0)).toBeNull()
    expect(replayStepQuery(at(12, ''), 12, 0, 0)).toBeNull()
    expect(replayStepQuery(at(12, 't=3'), 12, 0, 0)).toBe('t=0')
  })

  it('writes nothing once the window has moved to another episode or page', () => {
    expect(replayStepQuery(at(13, ''), 12, 5, 0)).toBeNull()
    expect(replayStepQuery({ page: 'episodes', query: 'phase=eval' }, 12, 5, 0)).toBeNull()
  })
})
