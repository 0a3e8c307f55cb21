// The Sokoban observation as the language model reads it. verl-agent's text grid ('grid') puts the
// player somewhere in 36 cells; a two-layer model cloned on a few thousand decisions cannot find it
// (measured: cloning loss stays at ln 4 ≈ 1.39, held-out success below the random agent's).
// 'egocentric' (the default) says where the box is from the player and where its target is from
// the box, then shows the cells around the player — what the MLP's player-centred encoding gives
// its policy. The env's own text is unchanged (replays and prompted LLMs read it).
export const SOKOBAN_VIEWS = ['egocentric', 'grid'] as const
export type SokobanView = (typeof SOKOBAN_VIEWS)[number]

/** Cells around the player shown: a (2r + 1) × (2r + 1) window; outside the room reads as wall. */
const RADIUS = 2
const WALL = '#'
const PLAYER = new Set(['P', 'S'])
const BOX_OFF_TARGET = 'X'
const EMPTY_TARGETS = new Set(['O', 'S'])

/** Rows of cell symbols of verl-agent's grid (' # \t' per cell) or RAGEN's (one char per cell). */
export function sokobanCells(text: string): string[][] {
  return text.split('\n').map((row) =>
    row.includes('\t')
      ? row
          .split('\t')
          .map((c) => c.trim())
          .filter((c) => c !== '')
      : [...row]
  )
}

const offset = (dr: number, dc: number): string =>
  [
    dr < 0 ? `up ${-dr}` : dr > 0 ? `down ${dr}` : '',
    dc < 0 ? `left ${-dc}` : dc > 0 ? `right ${dc}` : ''
  ]
    .filter(Boolean)
    .join(' ') || 'here'

/** The egocentric view of a grid text; the text itself when it holds no player. */
export function egocentricSokoban(text: string): string {
  const cells = sokobanCells(text)
  const where = (ok: (c: string) => boolean): [number, number][] =>
    cells.flatMap((row, r) => row.flatMap((c, k): [number, number][] => (ok(c) ? [[r, k]] : [])))
  const [player] = where((c) => PLAYER.has(c))
  if (!player) return text
  const [pr, pc] = player
  const targets = where((c) => EMPTY_TARGETS.has(c))
  const lines: string[] = []
  for (const [br, bc] of where((c) => c === BOX_OFF_TARGET)) {
    lines.push(`box ${offset(br - pr, bc - pc)}`)
    const nearest = [...targets].sort(
      (a, b) =>
        Math.abs(a[0] - br) + Math.abs(a[1] - bc) - (Math.abs(b[0] - br) + Math.abs(b[1] - bc))
    )[0]
    if (nearest) lines.push(`target ${offset(nearest[0] - br, nearest[1] - bc)}`)
  }
  for (let dr = -RADIUS; dr <= RADIUS; dr++) {
    const row: string[] = []
    for (let dc = -RADIUS; dc <= RADIUS; dc++) row.push(cells[pr + dr]?.[pc + dc] ?? WALL)
    lines.push(row.join(' '))
  }
  return lines.join('\n')
}
