// Text and colour renderings of a Sokoban room (pure data, safe for the renderer).
import { cellCode, type SokobanGrid } from './grid'

export type SokobanTextMode = 'verl' | 'ragen'

/** verl-agent's GRID_LOOKUP: every cell is `space symbol space TAB`, the last one of a row too. */
export const VERL_GRID_LOOKUP: readonly string[] = [
  ' # \t',
  ' _ \t',
  ' O \t',
  ' √ \t',
  ' X \t',
  ' P \t',
  ' S \t'
]

/** RAGEN's compact `render_mode='text'` lookup: one character per cell, no separators. */
export const RAGEN_GRID_LOOKUP: readonly string[] = ['#', '_', 'O', '√', 'X', 'P', 'S']

const lookupFor = (mode: SokobanTextMode): readonly string[] =>
  mode === 'ragen' ? RAGEN_GRID_LOOKUP : VERL_GRID_LOOKUP

/** Renders a room (codes 0–6): cells concatenated, rows joined by "\n", no trailing newline. */
export function renderSokobanText(
  room: readonly (readonly number[])[],
  mode: SokobanTextMode = 'verl'
): string {
  const lookup = lookupFor(mode)
  return room.map((row) => row.map((code) => lookup[code] ?? '?').join('')).join('\n')
}

export function renderGridText(grid: SokobanGrid, mode: SokobanTextMode): string {
  const lookup = lookupFor(mode)
  let out = ''
  for (let r = 0; r < grid.rows; r++) {
    if (r > 0) out += '\n'
    for (let c = 0; c < grid.cols; c++) out += lookup[cellCode(grid, r * grid.cols + c)] as string
  }
  return out
}

export type Rgb = readonly [number, number, number]

/** gym-sokoban's `tiny_rgb_array` colours (1 px per cell), indexed by room code 0–6. */
export const SOKOBAN_RGB: readonly Rgb[] = [
  [0, 0, 0],
  [243, 248, 238],
  [254, 126, 125],
  [254, 95, 56],
  [142, 121, 56],
  [160, 212, 56],
  [219, 212, 56]
]

/** Per-cell colours of a room (codes 0–6); unknown codes render as walls. */
export function roomToRgb(room: readonly (readonly number[])[]): Rgb[][] {
  return room.map((row) => row.map((code) => SOKOBAN_RGB[code] ?? (SOKOBAN_RGB[0] as Rgb)))
}
