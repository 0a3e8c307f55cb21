// The two action spaces: verl-agent's 4 push-or-walk actions (default) and gym-sokoban's full 9.
import { DIRECTIONS, type SokobanDirection } from './dynamics'

export type SokobanActionSpace = 'push4' | 'full9'

/** gym-sokoban ACTION_LOOKUP: the full9 action names, indexed by gym action id 0–8. */
export const FULL9_ACTIONS = [
  'no operation',
  'push up',
  'push down',
  'push left',
  'push right',
  'move up',
  'move down',
  'move left',
  'move right'
] as const

export const NO_OPERATION = 0

/** The admissible action names of a space. */
export function sokobanActionNames(space: SokobanActionSpace): readonly string[] {
  return space === 'full9' ? FULL9_ACTIONS : DIRECTIONS
}

/**
 * The gym action id (0 no-op, 1–4 push-or-walk, 5–8 walk only) of an action text, matched
 * case-insensitively after trimming; −1 for anything else (verl-agent's invalid action). In push4,
 * 'up' | 'down' | 'left' | 'right' are gym actions 1–4.
 */
export function parseSokobanAction(space: SokobanActionSpace, action: unknown): number {
  if (typeof action !== 'string') return -1
  const text = action.trim().toLowerCase()
  if (space === 'full9') return (FULL9_ACTIONS as readonly string[]).indexOf(text)
  const dir = DIRECTIONS.indexOf(text as SokobanDirection)
  return dir < 0 ? -1 : dir + 1
}

/** The name of a push-or-walk direction (0–3) in a space: 'up' in push4, 'push up' in full9. */
export function pushActionName(space: SokobanActionSpace, dir: number): string {
  return (space === 'full9' ? FULL9_ACTIONS[dir + 1] : DIRECTIONS[dir]) as string
}
