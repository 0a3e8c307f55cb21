import { describe, expect, it } from 'vitest'
import {
  createSokobanEnv,
  DIRECTIONS,
  EXPERT_SUBGOAL,
  solveSokoban,
  type SokobanEnv
} from '../../../core/envs/sokoban'
import { roomOf, SPEC_EXAMPLE_ROOM, TWO_BOX_ROOM } from './helpers'

/** An independent BFS that only uses the env itself (loadRoom + step) as its transition model. */
function shortestViaEnv(env: SokobanEnv, room: number[][], limit: number): number | null {
  const key = (r: number[][]): string => r.map((row) => row.join('')).join('/')
  let frontier = [room]
  const seen = new Set([key(room)])
  for (let depth = 1; depth <= limit; depth++) {
    const next: number[][][] = []
    for (const state of frontier) {
      for (const a of DIRECTIONS) {
        env.loadRoom(state)
        const r = env.step(a)
        if (r.info.won) return depth
        const k = key(roomOf(r.view))
        if (!seen.has(k)) {
          seen.add(k)
          next.push(roomOf(r.view))
        }
      }
    }
    frontier = next
  }
  return null
}

describe('sokoban BFS solver', () => {
  it('solves generated rooms for seeds 0..199; replaying the path wins with the rule-consistent return', () => {
    const env = createSokobanEnv({ maxSteps: 1000 })
    const lengths = new Map<number, number>()
    for (let seed = 0; seed < 200; seed++) {
      const start = env.reset(seed)
      const path = solveSokoban(roomOf(start.view))
      expect(path, `seed ${seed}`).not.toBeNull()
      if (!path) continue
      expect(path.length).toBeGreaterThan(0)
      lengths.set(path.length, (lengths.get(path.length) ?? 0) + 1)
      let total = 0
      let last = 0
      path.forEach((action, i) => {
        const r = env.step(action)
        total += r.reward
        last = r.reward
        expect(r.done).toBe(i === path.length - 1)
        expect(r.info.won).toBe(i === path.length - 1)
      })
      // ±1 box rewards telescope to +1 for the one box: −0.1·L + 1 + 10, with 10.9 on the last step.
      expect(total).toBeCloseTo(-0.1 * path.length + 11, 9)
      expect(last).toBe(10.9)
    }
    const histogram = [...lengths.entries()].sort((a, b) => a[0] - b[0])
    console.info(
      `optimal solution lengths, seeds 0..199 (length: rooms): ${histogram.map((e) => e.join(': ')).join(', ')}`
    )
    expect(histogram.length).toBeGreaterThan(3)
  })

  it('finds shortest paths (checked against a BFS over the env itself)', () => {
    const env = createSokobanEnv()
    const probe = createSokobanEnv({ maxSteps: 1000 })
    for (let seed = 0; seed < 25; seed++) {
      const room = roomOf(env.reset(seed).view)
      const path = solveSokoban(room)
      expect(shortestViaEnv(probe, room, 30)).toBe(path?.length)
    }
    expect(solveSokoban(TWO_BOX_ROOM)?.length).toBe(shortestViaEnv(probe, TWO_BOX_ROOM, 30))
  })

  it('solves multi-box rooms and replays them to a win', () => {
    const env = createSokobanEnv({ dimRoom: [7, 7], numBoxes: 2, maxSteps: 1000 })
    for (let seed = 0; seed < 20; seed++) {
      const path = solveSokoban(roomOf(env.reset(seed).view))
      expect(path).not.toBeNull()
      const results = (path ?? []).map((a) => env.step(a))
      expect(results.at(-1)?.info.won).toBe(true)
      expect(results.at(-1)?.reward).toBe(10.9)
      const total = results.reduce((s, r) => s + r.reward, 0)
      expect(total).toBeCloseTo(-0.1 * results.length + 2 + 10, 9)
    }
  })

  it('returns the known path for the spec example, [] when solved, null when stuck or too deep', () => {
    expect(solveSokoban(SPEC_EXAMPLE_ROOM)).toEqual(['up', 'up'])
    expect(
      solveSokoban([
        [0, 0, 0],
        [0, 3, 0],
        [0, 5, 0],
        [0, 0, 0]
      ])
    ).toEqual([])
    // Box in a corner, off target.
    const stuck = [
      [0, 0, 0, 0, 0],
      [0, 4, 1, 2, 0],
      [0, 1, 5, 1, 0],
      [0, 0, 0, 0, 0]
    ]
    expect(solveSokoban(stuck)).toBeNull()
    expect(solveSokoban(TWO_BOX_ROOM, 2)).toBeNull()
    expect(solveSokoban(SPEC_EXAMPLE_ROOM, 1)).toBeNull()
    expect(solveSokoban(SPEC_EXAMPLE_ROOM, 2)).toEqual(['up', 'up'])
  })

  it('exposes the solver as the env expert from the current state', () => {
    const env = createSokobanEnv()
    env.loadRoom(SPEC_EXAMPLE_ROOM)
    expect(env.expert()).toEqual([{ subgoal: EXPERT_SUBGOAL, actions: ['up', 'up'] }])
    env.step('right')
    expect(env.expert()).toEqual([{ subgoal: EXPERT_SUBGOAL, actions: ['left', 'up', 'up'] }])
    env.loadRoom([
      [0, 0, 0, 0, 0],
      [0, 4, 1, 2, 0],
      [0, 1, 5, 1, 0],
      [0, 0, 0, 0, 0]
    ])
    expect(env.expert()).toEqual([])
    for (let seed = 100; seed < 110; seed++) {
      env.reset(seed)
      const [plan] = env.expert()
      expect(plan?.subgoal).toBe(EXPERT_SUBGOAL)
      const results = (plan?.actions ?? []).map((a) => env.step(a))
      expect(results.at(-1)?.info.won).toBe(true)
    }
  })
})
