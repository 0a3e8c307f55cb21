// An execution's steps cut by subgoal (HiMAC): how many steps each blueprint subgoal took and how
// it ended, so that executions of one blueprint line up subgoal by subgoal. A step carries the
// index of the subgoal active when it was taken; `sub_done` on a step means the executor chose
// `<sub_done>` right after it, `fallback` that the subgoal's step budget ran out with it. A subgoal
// that a later one follows without a step of its own was ended by `<sub_done>` at once.
import type { SegmentEnd, Step, SubgoalSegment } from '../api/entities'

export type SegmentSummary = {
  segments: SubgoalSegment[]
  subDoneCount: number
  fallbackCount: number
}

type Counted = { steps: number; firstT: number | null; lastT: number | null; last: Step | null }

/** Segments 0…K (K = `subgoals`: the post-plan segment); none when there is no blueprint. */
export function subgoalSegments(steps: readonly Step[], subgoals: number): SegmentSummary {
  if (subgoals === 0) return { segments: [], subDoneCount: 0, fallbackCount: 0 }
  const counted: Counted[] = Array.from({ length: subgoals + 1 }, () => ({
    steps: 0,
    firstT: null,
    lastT: null,
    last: null
  }))
  let reached = -1
  let subDoneCount = 0
  let fallbackCount = 0
  for (const s of steps) {
    if (s.subDone) subDoneCount++
    if (s.fallback) fallbackCount++
    const i = s.subgoalIndex
    if (i === null || i < 0 || i > subgoals || s.action === '') continue
    const c = counted[i]!
    c.steps++
    c.firstT ??= s.t
    c.lastT = s.t
    c.last = s
    reached = Math.max(reached, i)
  }
  const segments = counted.map((c, index): SubgoalSegment => {
    const moved = index < subgoals && (index < reached || c.last?.subDone || c.last?.fallback)
    const end: SegmentEnd =
      index > reached
        ? 'not_reached'
        : !moved
          ? 'episode_end'
          : c.last?.fallback
            ? 'fallback'
            : 'sub_done'
    return { index, steps: c.steps, firstT: c.firstT, lastT: c.lastT, end }
  })
  return { segments, subDoneCount, fallbackCount }
}
