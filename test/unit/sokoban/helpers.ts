// Hand-made rooms for the Sokoban tests (codes: 0 wall, 1 floor, 2 target, 3 box on target,
// 4 box, 5 player, 6 player on target).
import { BOX, BOX_ON_TARGET, PLAYER, PLAYER_ON_TARGET } from '../../../core/envs/sokoban'

/** The verl-agent example of envs.md §3.1 (seed 1, 6×6, 1 box). */
export const SPEC_EXAMPLE_ROOM = [
  [0, 0, 0, 0, 0, 0],
  [0, 2, 1, 0, 0, 0],
  [0, 1, 0, 0, 0, 0],
  [0, 4, 1, 0, 0, 0],
  [0, 5, 1, 0, 0, 0],
  [0, 0, 0, 0, 0, 0]
]

export const SPEC_EXAMPLE_TEXT =
  ' # \t # \t # \t # \t # \t # \t\n' +
  ' # \t O \t _ \t # \t # \t # \t\n' +
  ' # \t _ \t # \t # \t # \t # \t\n' +
  ' # \t X \t _ \t # \t # \t # \t\n' +
  ' # \t P \t _ \t # \t # \t # \t\n' +
  ' # \t # \t # \t # \t # \t # \t'

/** Two boxes, two targets: box A sits left of target A on row 1. */
export const TWO_BOX_ROOM = [
  [0, 0, 0, 0, 0, 0, 0],
  [0, 5, 4, 2, 1, 1, 0],
  [0, 1, 1, 1, 1, 1, 0],
  [0, 1, 4, 1, 2, 1, 0],
  [0, 0, 0, 0, 0, 0, 0]
]

export function countCodes(room: readonly (readonly number[])[]): Record<string, number> {
  const out: Record<string, number> = { boxes: 0, players: 0 }
  for (const row of room) {
    for (const code of row) {
      if (code === BOX || code === BOX_ON_TARGET) out.boxes = (out.boxes ?? 0) + 1
      if (code === PLAYER || code === PLAYER_ON_TARGET) out.players = (out.players ?? 0) + 1
    }
  }
  return out
}

export function roomOf(view: { kind: string; room?: number[][] }): number[][] {
  if (view.kind !== 'sokoban' || !view.room) throw new Error('not a sokoban view')
  return view.room
}
