// Breadth-first optimal solver (verl-agent's `get_shortest_action_path`): the shortest sequence of
// push-or-move actions that puts a box on every target.
import { DIRECTION_DELTAS, DIRECTIONS, type SokobanDirection } from './dynamics'
import {
  BOX,
  BOX_ON_TARGET,
  TARGET,
  WALL,
  findPlayer,
  gridFromRoom,
  type SokobanGrid
} from './grid'

export const SOLVER_MAX_DEPTH = 100

type Node = { player: number; boxes: number[]; parent: number; action: number }

const isGrid = (x: unknown): x is SokobanGrid =>
  typeof x === 'object' && x !== null && 'fixed' in x && 'state' in x

/**
 * Shortest action path from `input` (a rendered room with codes 0–6, or a grid) to a state where
 * every target holds a box, exploring up/down/left/right in that order. `[]` if already solved,
 * null if there is no solution within `maxDepth` actions. The moves follow the env's dynamics
 * exactly, including its treatment of the grid edge.
 */
export function solveSokoban(
  input: readonly (readonly number[])[] | SokobanGrid,
  maxDepth = SOLVER_MAX_DEPTH
): SokobanDirection[] | null {
  const grid = isGrid(input) ? input : gridFromRoom(input)
  const { rows, cols, fixed, state } = grid
  const n = rows * cols
  const targets: number[] = []
  const startBoxes: number[] = []
  for (let i = 0; i < n; i++) {
    if (fixed[i] === TARGET) targets.push(i)
    if (state[i] === BOX || state[i] === BOX_ON_TARGET) startBoxes.push(i)
  }
  const occupied = new Uint8Array(n)
  const scratch = new Uint8Array(n)
  const solved = (boxes: readonly number[]): boolean => {
    for (const b of boxes) scratch[b] = 1
    const ok = targets.every((t) => scratch[t] === 1)
    for (const b of boxes) scratch[b] = 0
    return ok
  }
  const keyOf = (player: number, boxes: readonly number[]): string =>
    String.fromCharCode(player, ...boxes)

  const start: Node = { player: findPlayer(grid), boxes: startBoxes, parent: -1, action: -1 }
  if (solved(startBoxes)) return []
  const nodes: Node[] = [start]
  const depth: number[] = [0]
  const seen = new Set<string>([keyOf(start.player, startBoxes)])

  const pathTo = (index: number): SokobanDirection[] => {
    const out: SokobanDirection[] = []
    for (let i = index; i > 0;) {
      const node = nodes[i] as Node
      out.push(DIRECTIONS[node.action] as SokobanDirection)
      i = node.parent
    }
    return out.reverse()
  }

  for (let head = 0; head < nodes.length; head++) {
    const node = nodes[head] as Node
    const d = depth[head] as number
    if (d >= maxDepth) break
    for (const b of node.boxes) occupied[b] = 1
    const r = (node.player / cols) | 0
    const c = node.player - r * cols
    for (let dir = 0; dir < 4; dir++) {
      const [dr, dc] = DIRECTION_DELTAS[dir] as readonly [number, number]
      const nr = r + dr
      const nc = c + dc
      const br = nr + dr
      const bc = nc + dc
      // The env does nothing when a push's box destination lies past the last row/column.
      if (br >= rows || bc >= cols || nr < 0 || nc < 0) continue
      const next = nr * cols + nc
      if (fixed[next] === WALL) continue
      let boxes = node.boxes
      if (occupied[next]) {
        if (br < 0 || bc < 0) continue
        const dest = br * cols + bc
        if (fixed[dest] === WALL || occupied[dest]) continue
        boxes = node.boxes.map((b) => (b === next ? dest : b)).sort((x, y) => x - y)
      }
      const key = keyOf(next, boxes)
      if (seen.has(key)) continue
      seen.add(key)
      nodes.push({ player: next, boxes, parent: head, action: dir })
      depth.push(d + 1)
      if (boxes !== node.boxes && solved(boxes)) {
        for (const b of node.boxes) occupied[b] = 0
        return pathTo(nodes.length - 1)
      }
    }
    for (const b of node.boxes) occupied[b] = 0
  }
  return null
}
