// The Sokoban grid: gym-sokoban's `room_fixed` / `room_state` as flat Uint8Arrays, and conversion
// to and from the view's `room` (room_state codes 0–6, 6 = player on target).

export const WALL = 0
export const FLOOR = 1
export const TARGET = 2
export const BOX_ON_TARGET = 3
export const BOX = 4
export const PLAYER = 5
/** Only in rendered rooms: room_state 5 where room_fixed is 2. */
export const PLAYER_ON_TARGET = 6

export type SokobanRoom = number[][]

export type SokobanGrid = {
  rows: number
  cols: number
  /** room_fixed, row-major: 0 wall, 1 floor, 2 target. */
  fixed: Uint8Array
  /** room_state, row-major: 0 wall, 1 floor, 2 empty target, 3 box on target, 4 box, 5 player. */
  state: Uint8Array
}

export function cloneGrid(grid: SokobanGrid): SokobanGrid {
  return { rows: grid.rows, cols: grid.cols, fixed: grid.fixed.slice(), state: grid.state.slice() }
}

/** The rendered room (`render('state')` in verl-agent): room_state with 6 for player on target. */
export function gridToRoom(grid: SokobanGrid): SokobanRoom {
  const room: SokobanRoom = []
  for (let r = 0; r < grid.rows; r++) {
    const row: number[] = []
    for (let c = 0; c < grid.cols; c++) row.push(cellCode(grid, r * grid.cols + c))
    room.push(row)
  }
  return room
}

export function cellCode(grid: SokobanGrid, i: number): number {
  const s = grid.state[i] as number
  return s === PLAYER && grid.fixed[i] === TARGET ? PLAYER_ON_TARGET : s
}

/** Parses a rendered room (codes 0–6); the codes determine room_fixed as well. */
export function gridFromRoom(room: readonly (readonly number[])[]): SokobanGrid {
  const rows = room.length
  const cols = room[0]?.length ?? 0
  if (rows === 0 || cols === 0)
    throw new Error('sokoban room must have at least one row and column')
  const fixed = new Uint8Array(rows * cols)
  const state = new Uint8Array(rows * cols)
  let players = 0
  room.forEach((row, r) => {
    if (row.length !== cols)
      throw new Error(`sokoban room row ${r} has ${row.length} cells, expected ${cols}`)
    row.forEach((code, c) => {
      const i = r * cols + c
      if (!Number.isInteger(code) || code < 0 || code > 6) {
        throw new Error(`sokoban room cell (${r}, ${c}) has invalid code ${code}`)
      }
      const onTarget = code === TARGET || code === BOX_ON_TARGET || code === PLAYER_ON_TARGET
      fixed[i] = code === WALL ? WALL : onTarget ? TARGET : FLOOR
      state[i] = code === PLAYER_ON_TARGET ? PLAYER : code
      if (code === PLAYER || code === PLAYER_ON_TARGET) players++
    })
  })
  if (players !== 1) throw new Error(`sokoban room must have exactly one player, found ${players}`)
  return { rows, cols, fixed, state }
}

export function findPlayer(grid: SokobanGrid): number {
  const i = grid.state.indexOf(PLAYER)
  if (i < 0) throw new Error('sokoban grid has no player')
  return i
}

/** Indices of all targets (room_fixed == 2), row-major. */
export function targetCells(grid: SokobanGrid): number[] {
  const out: number[] = []
  grid.fixed.forEach((v, i) => {
    if (v === TARGET) out.push(i)
  })
  return out
}

/** Targets that are not covered by a box: empty targets plus the one the player may stand on. */
export function uncoveredTargets(grid: SokobanGrid, targets: readonly number[]): number {
  let n = 0
  for (const t of targets) {
    const s = grid.state[t]
    if (s === TARGET || s === PLAYER) n++
  }
  return n
}
