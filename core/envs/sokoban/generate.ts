// Room generation by reverse playing (gym-sokoban room_utils.py as copied into verl-agent):
// random-walk topology, player and target placement, a DFS over "pull" moves from the solved
// state, and a few random player steps at the end.
import { DIRECTION_DELTAS } from './dynamics'
import { BOX, BOX_ON_TARGET, FLOOR, PLAYER, TARGET, WALL, type SokobanGrid } from './grid'
import { createSokobanRng, reseedSokoban, type SokobanRng } from './rng'

export type GenerateOptions = {
  dimRoom: readonly [number, number]
  numBoxes: number
  searchDepth: number
  pChangeDirections: number
  /** Random-walk length; gym-sokoban uses int(1.7 * (rows + cols)). */
  numSteps?: number
  /** Topology+reverse-play attempts per seed before the seed counts as failed (upstream: 4). */
  tries?: number
}

export type GeneratedRoom = {
  grid: SokobanGrid
  /** The seed that finally produced the room (differs from the requested one after re-seeds). */
  roomSeed: number
  reseeds: number
  /** Σ Manhattan distance of the boxes from their targets (box_displacement_score). */
  displacement: number
}

/** verl-agent's reverse-play state cap. */
export const MAX_EXPLORED_STATES = 300_000
/** We give up (throw) after this many failed seeds; verl-agent would recurse forever. */
export const MAX_RESEEDS = 1000

/** The 3×3 stamps of the random walk: horizontal line, vertical line, two L shapes, a 2×2 block. */
const MASKS: readonly (readonly number[])[] = [
  [0, 0, 0, 1, 1, 1, 0, 0, 0],
  [0, 1, 0, 0, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 1, 1, 0],
  [0, 0, 0, 0, 1, 1, 0, 1, 0]
]

/** The walk's directions in upstream order: down, right, up, left. */
const WALK_DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1]
]

class GenerationFailure extends Error {}

export function defaultNumSteps(rows: number, cols: number): number {
  return Math.floor(1.7 * (rows + cols))
}

/** `room_topology_generation`: 0 wall, 1 floor. */
export function roomTopology(
  rows: number,
  cols: number,
  pChangeDirections: number,
  numSteps: number,
  rng: SokobanRng
): Uint8Array {
  let direction = WALK_DIRECTIONS[rng.int(4)] as readonly [number, number]
  // random.randint(1, dim - 1) is inclusive, so the walk may start on the border; it is clamped
  // into the interior before the first stamp.
  let r = 1 + rng.int(rows - 1)
  let c = 1 + rng.int(cols - 1)
  const level = new Uint8Array(rows * cols)
  for (let s = 0; s < numSteps; s++) {
    if (rng.next() < pChangeDirections)
      direction = WALK_DIRECTIONS[rng.int(4)] as readonly [number, number]
    r = Math.max(Math.min(r + direction[0], rows - 2), 1)
    c = Math.max(Math.min(c + direction[1], cols - 2), 1)
    const mask = MASKS[rng.int(MASKS.length)] as readonly number[]
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (mask[i * 3 + j]) level[(r - 1 + i) * cols + (c - 1 + j)] = FLOOR
      }
    }
  }
  for (let i = 0; i < rows; i++) {
    level[i * cols] = WALL
    level[i * cols + cols - 1] = WALL
  }
  for (let j = 0; j < cols; j++) {
    level[j] = WALL
    level[(rows - 1) * cols + j] = WALL
  }
  return level
}

function cellsWith(room: Uint8Array, code: number): number[] {
  const out: number[] = []
  for (let i = 0; i < room.length; i++) if (room[i] === code) out.push(i)
  return out
}

/** `place_boxes_and_player`: marks the player (5) and the box targets (2) on floor cells, in place. */
export function placeBoxesAndPlayer(room: Uint8Array, numBoxes: number, rng: SokobanRng): void {
  const floor = cellsWith(room, FLOOR)
  if (floor.length <= numBoxes + 1) {
    throw new GenerationFailure(
      `Not enough free spots (#${floor.length}) to place 1 player and ${numBoxes} boxes.`
    )
  }
  room[floor[rng.int(floor.length)] as number] = PLAYER
  for (let n = 0; n < numBoxes; n++) {
    const free = cellsWith(room, FLOOR)
    room[free[rng.int(free.length)] as number] = TARGET
  }
}

type ReverseResult = { state: Uint8Array; displacement: number }

/**
 * `reverse_playing` with verl-agent's changes: DFS over the 4 pull actions only, `last_pull_next`
 * passed down, ttl = searchDepth, at most MAX_EXPLORED_STATES states. Starts with every box on
 * its target (encoded 4, as upstream); a pulled box is written as 3. Returns the best-scoring state.
 */
export function reversePlaying(
  start: Uint8Array,
  fixed: Uint8Array,
  cols: number,
  searchDepth: number
): ReverseResult {
  const state = start.slice()
  const targets = cellsWith(fixed, TARGET)
  const numBoxes = targets.length
  // box_mapping: target (by index in `targets`) → current box cell.
  const boxAt = targets.slice()
  const explored = new Set<string>()
  let bestScore = -1
  let best = state.slice()
  let bestDisplacement = 0
  let player = state.indexOf(PLAYER)

  const displacement = (): number => {
    let sum = 0
    for (let k = 0; k < numBoxes; k++) {
      const a = boxAt[k] as number
      const t = targets[k] as number
      const ar = (a / cols) | 0
      const tr = (t / cols) | 0
      sum += Math.abs(ar - tr) + Math.abs(a - ar * cols - (t - tr * cols))
    }
    return sum
  }
  // The hashed room_state, compressed: it differs between states only in the player cell and the
  // box cells with their 3/4 code.
  const stateKey = (): string => {
    const boxes: number[] = []
    for (let k = 0; k < numBoxes; k++) {
      const cell = boxAt[k] as number
      boxes.push(cell * 2 + (state[cell] === BOX_ON_TARGET ? 1 : 0))
    }
    if (numBoxes > 1) boxes.sort((x, y) => x - y)
    return String.fromCharCode(player, ...boxes)
  }
  const emptyTargets = (): number => {
    let n = 0
    for (const t of targets) if (state[t] === TARGET) n++
    return n
  }

  const dfs = (boxSwaps: number, lastPull: number, ttlIn: number): void => {
    const ttl = ttlIn - 1
    if (ttl <= 0 || explored.size >= MAX_EXPLORED_STATES) return
    const key = stateKey()
    if (explored.has(key)) return
    const disp = displacement()
    const score = emptyTargets() === numBoxes ? boxSwaps * disp : 0
    if (score > bestScore) {
      bestScore = score
      best = state.slice()
      bestDisplacement = disp
    }
    explored.add(key)

    for (let action = 0; action < 4; action++) {
      const [dr, dc] = DIRECTION_DELTAS[action] as readonly [number, number]
      const from = player
      const to = from + dr * cols + dc
      const toCode = state[to]
      // A blocked move reproduces the current state, which is already explored: skip it.
      if (toCode !== FLOOR && toCode !== TARGET) continue
      const behind = from - dr * cols - dc
      const behindCode = state[behind] as number
      const pulls = behindCode === BOX || behindCode === BOX_ON_TARGET
      state[from] = fixed[from] as number
      state[to] = PLAYER
      player = to
      let pulled = -1
      if (pulls) {
        state[from] = BOX_ON_TARGET
        state[behind] = fixed[behind] as number
        pulled = boxAt.indexOf(behind)
        boxAt[pulled] = from
      }
      const nextLastPull = pulls ? pulled : lastPull
      dfs(boxSwaps + (nextLastPull !== lastPull ? 1 : 0), nextLastPull, ttl)
      // Undo.
      if (pulls) {
        boxAt[pulled] = behind
        state[behind] = behindCode
      }
      state[to] = toCode
      state[from] = PLAYER
      player = from
    }
  }

  dfs(0, -1, searchDepth)
  for (let i = 0; i < best.length; i++) if (best[i] === BOX_ON_TARGET) best[i] = BOX
  return { state: best, displacement: bestDisplacement }
}

/**
 * `add_random_player_movement`: with probability `moveProbability` the player takes 1–`maxSteps`
 * random steps onto floor/target cells it has not visited, continuing with `continueProbability`.
 */
export function addRandomPlayerMovement(
  state: Uint8Array,
  fixed: Uint8Array,
  cols: number,
  rng: SokobanRng,
  moveProbability: number,
  continueProbability = 0.5,
  maxSteps = 3
): void {
  if (rng.next() > moveProbability) return
  let player = state.indexOf(PLAYER)
  const visited = [player]
  let steps = 0
  const valid: number[] = []
  while (steps < maxSteps) {
    valid.length = 0
    for (const [dr, dc] of DIRECTION_DELTAS) {
      const next = player + dr * cols + dc
      const code = state[next]
      if ((code === FLOOR || code === TARGET) && !visited.includes(next)) valid.push(next)
    }
    if (valid.length === 0) break
    const next = valid[rng.int(valid.length)] as number
    state[player] = fixed[player] as number
    state[next] = PLAYER
    player = next
    visited.push(player)
    steps++
    if (steps >= maxSteps || rng.next() > continueProbability) break
  }
}

/** `generate_room` for one seed: up to `tries` topologies; throws GenerationFailure on failure. */
function generateOnce(
  options: GenerateOptions,
  rng: SokobanRng
): { grid: SokobanGrid; displacement: number } {
  const [rows, cols] = options.dimRoom
  const numSteps = options.numSteps ?? defaultNumSteps(rows, cols)
  const tries = options.tries ?? 4
  for (let t = 0; t < tries; t++) {
    const room = roomTopology(rows, cols, options.pChangeDirections, numSteps, rng)
    placeBoxesAndPlayer(room, options.numBoxes, rng)
    const fixed = room.slice()
    fixed[fixed.indexOf(PLAYER)] = FLOOR
    const start = room.slice()
    for (let i = 0; i < start.length; i++) if (start[i] === TARGET) start[i] = BOX
    const result = reversePlaying(start, fixed, cols, options.searchDepth)
    if (result.displacement > 0) {
      const moveProbability = result.displacement === 1 ? 0.8 : 0.5
      addRandomPlayerMovement(result.state, fixed, cols, rng, moveProbability)
      return { grid: { rows, cols, fixed, state: result.state }, displacement: result.displacement }
    }
  }
  throw new GenerationFailure('Generated Model with score == 0')
}

/**
 * Deterministic room for `seed`. Like verl-agent, a seed whose generation fails is replaced by a
 * derived seed (`reseedSokoban`) and generation starts over.
 */
export function generateSokobanRoom(options: GenerateOptions, seed: number): GeneratedRoom {
  let current = seed
  for (let reseeds = 0; reseeds <= MAX_RESEEDS; reseeds++) {
    try {
      const { grid, displacement } = generateOnce(options, createSokobanRng(current))
      return { grid, roomSeed: current, reseeds, displacement }
    } catch (err) {
      if (!(err instanceof GenerationFailure)) throw err
      current = reseedSokoban(current)
    }
  }
  throw new Error(
    `sokoban: no room generated for seed ${seed} after ${MAX_RESEEDS} re-seeds ` +
      `(dimRoom ${options.dimRoom.join('×')}, numBoxes ${options.numBoxes}, searchDepth ${options.searchDepth})`
  )
}
