// Encodings of a Sokoban room state (codes 0–6) for the MLP policy.
// 'egocentric' recentres the grid on the player (cells outside the room read as wall), which makes
// the local push/move rules position-independent and lets a small MLP generalise across rooms.

export const SOKOBAN_CODES = 7
const WALL = 0
const PLAYER = 5
const PLAYER_ON_TARGET = 6

export type SokobanEncoding = 'egocentric' | 'absolute'

export function sokobanInputSize(rows: number, cols: number, encoding: SokobanEncoding): number {
  return encoding === 'absolute'
    ? rows * cols * SOKOBAN_CODES
    : (2 * rows - 1) * (2 * cols - 1) * SOKOBAN_CODES
}

function findPlayer(room: readonly (readonly number[])[]): [number, number] {
  for (let r = 0; r < room.length; r++) {
    const row = room[r] as readonly number[]
    for (let c = 0; c < row.length; c++) {
      if (row[c] === PLAYER || row[c] === PLAYER_ON_TARGET) return [r, c]
    }
  }
  return [0, 0]
}

/** Writes the one-hot encoding of `room` into `out` at `offset`. */
export function encodeSokobanRoom(
  room: readonly (readonly number[])[],
  out: Float32Array,
  offset: number,
  encoding: SokobanEncoding
): void {
  const rows = room.length
  const cols = room[0]?.length ?? 0
  if (encoding === 'absolute') {
    let i = offset
    for (const row of room) {
      for (const code of row) {
        out.fill(0, i, i + SOKOBAN_CODES)
        out[i + code] = 1
        i += SOKOBAN_CODES
      }
    }
    return
  }
  const [pr, pc] = findPlayer(room)
  let i = offset
  for (let dr = -(rows - 1); dr <= rows - 1; dr++) {
    for (let dc = -(cols - 1); dc <= cols - 1; dc++) {
      const code = room[pr + dr]?.[pc + dc] ?? WALL
      out.fill(0, i, i + SOKOBAN_CODES)
      out[i + code] = 1
      i += SOKOBAN_CODES
    }
  }
}
