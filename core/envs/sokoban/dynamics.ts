// gym-sokoban's push-or-move step (actions 1–4) and plain move (actions 5–8) on a grid, in place.
// Cells outside the grid are walls. Upstream indexes numpy arrays, where −1 wraps around to the
// last row or column; we deliberately do not copy that (it only matters for rooms without a wall
// border, which the generator never makes).
import { BOX, BOX_ON_TARGET, FLOOR, PLAYER, TARGET, type SokobanGrid } from './grid'

/** The four directions in gym-sokoban order (action 1–4 = index 0–3): up, down, left, right. */
export const DIRECTIONS = ['up', 'down', 'left', 'right'] as const
export type SokobanDirection = (typeof DIRECTIONS)[number]

/** CHANGE_COORDINATES as (row, col) deltas, indexed like DIRECTIONS. */
export const DIRECTION_DELTAS: readonly (readonly [number, number])[] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1]
]

const isFree = (code: number): boolean => code === FLOOR || code === TARGET
const isBox = (code: number): boolean => code === BOX || code === BOX_ON_TARGET

/**
 * `_push` (which falls back to `_move`): returns the player's new index, equal to `player` when it
 * did not move. Cells outside the grid count as walls; generated rooms have a wall border, so this
 * only matters for hand-made rooms. As upstream, a push whose box destination lies past the last
 * row or column does nothing at all (not even a plain move).
 */
export function pushOrMove(grid: SokobanGrid, player: number, dir: number): number {
  const { rows, cols, state, fixed } = grid
  const delta = DIRECTION_DELTAS[dir]
  if (!delta) return player
  const [dr, dc] = delta
  const r = (player / cols) | 0
  const c = player - r * cols
  const nr = r + dr
  const nc = c + dc
  const br = nr + dr
  const bc = nc + dc
  if (br >= rows || bc >= cols) return player
  if (nr < 0 || nc < 0 || nr >= rows || nc >= cols) return player
  const next = nr * cols + nc
  const nextCode = state[next] as number
  if (isBox(nextCode) && br >= 0 && bc >= 0) {
    const boxDest = br * cols + bc
    if (isFree(state[boxDest] as number)) {
      state[boxDest] = fixed[boxDest] === TARGET ? BOX_ON_TARGET : BOX
      state[next] = PLAYER
      state[player] = fixed[player] as number
      return next
    }
  }
  if (isFree(nextCode)) {
    state[next] = PLAYER
    state[player] = fixed[player] as number
    return next
  }
  return player
}

/** `_move` (actions 5–8): steps onto floor or an empty target, never pushes. Returns the new index. */
export function moveOnly(grid: SokobanGrid, player: number, dir: number): number {
  const { rows, cols, state, fixed } = grid
  const delta = DIRECTION_DELTAS[dir]
  if (!delta) return player
  const row = (player / cols) | 0
  const r = row + delta[0]
  const c = player - row * cols + delta[1]
  if (r < 0 || c < 0 || r >= rows || c >= cols) return player
  const next = r * cols + c
  if (!isFree(state[next] as number)) return player
  state[next] = PLAYER
  state[player] = fixed[player] as number
  return next
}
