// The replay's keyboard: which key means what, and where a step or segment move lands.
import type { ReplaySegment } from './segments'

export type ReplayAction =
  | 'step-next'
  | 'step-prev'
  | 'first'
  | 'last'
  | 'segment-next'
  | 'segment-prev'
  | 'episode-next'
  | 'episode-prev'
  | 'toggle-segment'

/** The shortcuts as the overlay lists them, in this order. */
export const REPLAY_SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: '← / →', what: 'previous / next step' },
  { keys: '↑ / ↓', what: 'previous / next subgoal segment (its first step)' },
  { keys: 'Home / End', what: 'first / last step' },
  { keys: 'c', what: 'collapse or expand the current segment' },
  { keys: 'j / k', what: 'next / previous episode of the list you came from' }
]

const KEYS: Record<string, ReplayAction> = {
  ArrowRight: 'step-next',
  ArrowLeft: 'step-prev',
  ArrowDown: 'segment-next',
  ArrowUp: 'segment-prev',
  Home: 'first',
  End: 'last',
  j: 'episode-next',
  k: 'episode-prev',
  c: 'toggle-segment'
}

export type KeyPress = {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** The focused element's tag name (upper case), an input's type, and whether it is editable. */
  targetTag: string | null
  targetType?: string | null
  targetEditable: boolean
}

/** Inputs that take no text: the replay's keys still work on them (the step slider). */
const NOT_TEXT = ['range', 'checkbox', 'radio', 'button']

/** True while the user types: keys then belong to the field. */
export function isTyping(
  p: Pick<KeyPress, 'targetTag' | 'targetType' | 'targetEditable'>
): boolean {
  if (p.targetEditable) return true
  if (p.targetTag === 'INPUT') return !NOT_TEXT.includes(p.targetType ?? 'text')
  return p.targetTag === 'TEXTAREA' || p.targetTag === 'SELECT'
}

export function keyAction(p: KeyPress): ReplayAction | null {
  if (p.ctrlKey || p.metaKey || p.altKey || isTyping(p)) return null
  return KEYS[p.key] ?? null
}

/** The row a step or segment move lands on (`row` itself where it cannot move). */
export function moveRow(
  action: ReplayAction,
  row: number,
  rowCount: number,
  segments: readonly ReplaySegment[],
  segmentOf: readonly number[]
): number {
  const last = Math.max(0, rowCount - 1)
  const clamp = (k: number): number => Math.min(Math.max(0, k), last)
  const start = (i: number): number | undefined => segments[i]?.rows[0]
  const here = segmentOf[row] ?? 0
  switch (action) {
    case 'step-next':
      return clamp(row + 1)
    case 'step-prev':
      return clamp(row - 1)
    case 'first':
      return 0
    case 'last':
      return last
    case 'segment-next': {
      for (let i = here + 1; i < segments.length; i++) {
        const k = start(i)
        if (k !== undefined) return k
      }
      return row
    }
    case 'segment-prev': {
      for (let i = here - 1; i >= 0; i--) {
        const k = start(i)
        if (k !== undefined) return k
      }
      return row
    }
    default:
      return row
  }
}
