// Sokoban's solver moves cut into walk-to-side and push runs, read from the room each step shows:
// a step pushes when a box moves; runs of pushes of one box in one direction are one subgoal, and
// the walk before them is `go to the <side> side of <box>`. A walk with no push after it (a failed
// episode) continues the subgoal before it, or names the side the player ends on.
import type { StepRecord } from '../../store/records'
import {
  PUSH_SIDE,
  sokobanBoxName,
  sokobanPhrase,
  SOKOBAN_DIRECTIONS,
  type SokobanDirection
} from './phrases'

type Cell = { r: number; c: number }

const DELTA: Record<SokobanDirection, Cell> = {
  up: { r: -1, c: 0 },
  down: { r: 1, c: 0 },
  left: { r: 0, c: -1 },
  right: { r: 0, c: 1 }
}

const PLAYER_CODES = new Set([5, 6])
const BOX_CODES = new Set([3, 4])

function roomOf(step: StepRecord | undefined): number[][] {
  const view = step?.view as { kind?: string; room?: number[][] } | undefined
  if (view?.kind !== 'sokoban' || !view.room) throw new Error('a Sokoban step without its room')
  return view.room
}

function cells(room: number[][], codes: ReadonlySet<number>): Cell[] {
  const out: Cell[] = []
  room.forEach((row, r) => row.forEach((code, c) => codes.has(code) && out.push({ r, c })))
  return out
}

const same = (a: Cell, b: Cell): boolean => a.r === b.r && a.c === b.c

type Move = { kind: 'walk' } | { kind: 'push'; box: number; dir: SokobanDirection }

/** The side of a box a player cell is nearest to (the larger offset wins; rows on a tie). */
function sideOf(player: Cell, box: Cell): string {
  const dr = player.r - box.r
  const dc = player.c - box.c
  if (Math.abs(dc) > Math.abs(dr)) return dc < 0 ? 'left' : 'right'
  return dr < 0 ? 'top' : 'bottom'
}

/** One phrase (or null: continues the previous subgoal) per action step of an episode. */
export function sokobanStepPhrases(steps: readonly StepRecord[]): (string | null)[] {
  const actions = steps.filter((s) => s.action !== '').length
  const first = roomOf(steps[0])
  const boxes = cells(first, BOX_CODES)
  const n = boxes.length
  const moves: Move[] = []
  for (let t = 0; t < actions; t++) {
    const before = roomOf(steps[t])
    const after = roomOf(steps[t + 1])
    const p0 = cells(before, PLAYER_CODES)[0]
    const p1 = cells(after, PLAYER_CODES)[0]
    const dir = SOKOBAN_DIRECTIONS.find(
      (d) => p0 && p1 && p1.r - p0.r === DELTA[d].r && p1.c - p0.c === DELTA[d].c
    )
    const box = dir === undefined ? -1 : boxes.findIndex((b) => same(b, p1 as Cell))
    if (dir === undefined || box < 0) {
      moves.push({ kind: 'walk' })
      continue
    }
    const b = boxes[box] as Cell
    boxes[box] = { r: b.r + DELTA[dir].r, c: b.c + DELTA[dir].c }
    moves.push({ kind: 'push', box, dir })
  }
  const out: (string | null)[] = []
  let t = 0
  while (t < moves.length) {
    const m = moves[t] as Move
    if (m.kind === 'push') {
      out.push(sokobanPhrase.push(sokobanBoxName(m.box, n), m.dir))
      t++
      continue
    }
    let end = t
    while (end < moves.length && moves[end]?.kind === 'walk') end++
    const next = moves[end]
    let phrase: string | null = null
    if (next?.kind === 'push') {
      phrase = sokobanPhrase.walk(PUSH_SIDE[next.dir], sokobanBoxName(next.box, n))
    } else if (out.length === 0 && n > 0) {
      const player = cells(roomOf(steps[end]), PLAYER_CODES)[0]
      const box = boxes[0] as Cell
      phrase = sokobanPhrase.walk(sideOf(player ?? box, box), sokobanBoxName(0, n))
    }
    for (; t < end; t++) out.push(phrase)
  }
  return out
}
