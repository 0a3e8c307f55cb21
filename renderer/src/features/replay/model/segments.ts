// An episode's steps cut into subgoal segments for the replay: one per blueprint subgoal plus the
// steps after the plan (the same segments, counts and endings as core/store/subgoal-segments.ts,
// which test/unit/renderer/replay.test.ts checks), each holding the rows it shows. A flat episode
// (no blueprint) is one segment. The final-state row (no action) belongs to the segment before it.
import type { SegmentEnd, Step } from '../../../../../core/api/entities'

export type ReplaySegment = {
  /** Subgoal index (0-based); the blueprint's length for the steps after the plan; null: flat. */
  index: number | null
  /** The subgoal's text; null after the plan and for a flat episode. */
  subgoal: string | null
  /** Positions in the step array (sorted by t) of the rows it shows, in order. */
  rows: number[]
  /** Actions taken in it (the final-state row is not one). */
  actions: number
  end: SegmentEnd
  rewardSum: number
}

/** The segment each action row is in: its recorded subgoal, else the row before's. */
function owners(steps: readonly Step[], subgoals: number): number[] {
  const out: number[] = []
  let current = 0
  for (const s of steps) {
    const i = s.subgoalIndex
    if (s.action !== '' && i !== null && i >= 0 && i <= subgoals) current = i
    out.push(current)
  }
  return out
}

function endOf(segment: number, subgoals: number, reached: number, last: Step | null): SegmentEnd {
  if (segment > reached) return 'not_reached'
  const moved = segment < subgoals && (segment < reached || last?.subDone || last?.fallback)
  if (!moved) return 'episode_end'
  return last?.fallback ? 'fallback' : 'sub_done'
}

/** `steps` sorted by t; `blueprint` null or empty for a flat episode. */
export function replaySegments(
  steps: readonly Step[],
  blueprint: readonly string[] | null
): ReplaySegment[] {
  const sum = (rows: number[]): number => rows.reduce((a, k) => a + (steps[k]?.reward ?? 0), 0)
  if (!blueprint || blueprint.length === 0) {
    const rows = steps.map((_, k) => k)
    return [
      {
        index: null,
        subgoal: null,
        rows,
        actions: steps.filter((s) => s.action !== '').length,
        end: 'episode_end',
        rewardSum: sum(rows)
      }
    ]
  }
  const subgoals = blueprint.length
  const owner = owners(steps, subgoals)
  const rows: number[][] = Array.from({ length: subgoals + 1 }, () => [])
  const last: (Step | null)[] = Array.from({ length: subgoals + 1 }, () => null)
  const actions = new Array<number>(subgoals + 1).fill(0)
  let reached = -1
  steps.forEach((s, k) => {
    const i = owner[k] ?? 0
    rows[i]?.push(k)
    // As the store counts: only action steps that record their subgoal.
    const own = s.subgoalIndex
    if (s.action === '' || own === null || own < 0 || own > subgoals) return
    actions[own] = (actions[own] ?? 0) + 1
    last[own] = s
    reached = Math.max(reached, own)
  })
  return rows.map((r, i) => ({
    index: i,
    subgoal: blueprint[i] ?? null,
    rows: r,
    actions: actions[i] ?? 0,
    end: endOf(i, subgoals, reached, last[i] ?? null),
    rewardSum: sum(r)
  }))
}

/** For each row, the segment (its position in `segments`) that shows it. */
export function rowSegments(segments: readonly ReplaySegment[], rowCount: number): number[] {
  const out = new Array<number>(rowCount).fill(0)
  segments.forEach((s, i) => {
    for (const k of s.rows) out[k] = i
  })
  return out
}

export const SEGMENT_END_LABEL: Record<SegmentEnd, string> = {
  sub_done: '<sub_done>',
  fallback: 'fallback (step budget)',
  episode_end: 'episode ended',
  not_reached: 'not reached'
}

/** The return up to and including each row. */
export function runningReturns(steps: readonly Step[]): number[] {
  const out: number[] = []
  let sum = 0
  for (const s of steps) {
    sum += s.reward
    out.push(sum)
  }
  return out
}
