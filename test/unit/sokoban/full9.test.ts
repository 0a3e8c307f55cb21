// gym-sokoban's full 9-action space (envConfig `actions: "full9"`), issue 12 item 4.
import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { createSokobanEnv, sokobanOptionsSchema } from '../../../core/envs/sokoban'
import { roomOf, SPEC_EXAMPLE_ROOM, TWO_BOX_ROOM } from './helpers'

/** gym-sokoban ACTION_LOOKUP, in action-id order. */
const FULL9 = [
  'no operation',
  'push up',
  'push down',
  'push left',
  'push right',
  'move up',
  'move down',
  'move left',
  'move right'
]

describe('sokoban full9 action space', () => {
  it('push4 stays the default; full9 is validated by the options schema', () => {
    expect(sokobanOptionsSchema.parse({}).actions).toBe('push4')
    expect(sokobanOptionsSchema.parse({ actions: 'full9' }).actions).toBe('full9')
    expect(() => createSokobanEnv({ actions: 'full8' } as never)).toThrow(ZodError)
    expect(createSokobanEnv().reset(1).admissibleActions).toEqual(['up', 'down', 'left', 'right'])
  })

  it('offers the nine gym-sokoban actions in id order', () => {
    const env = createSokobanEnv({ actions: 'full9' })
    expect(env.reset(1).admissibleActions).toEqual(FULL9)
    expect(env.step('move up').admissibleActions).toEqual(FULL9)
  })

  it('"no operation" counts as a step, moves nothing and costs −0.1', () => {
    const env = createSokobanEnv({ actions: 'full9', maxSteps: 2 })
    const start = env.loadRoom(TWO_BOX_ROOM)
    const a = env.step('no operation')
    expect(a.reward).toBe(-0.1)
    expect(a.done).toBe(false)
    expect(a.info).toEqual({ won: false, actionIsValid: true, actionIsEffective: false })
    expect(a.view).toEqual(start.view)
    const b = env.step(' No Operation ')
    expect(b.done).toBe(true)
    expect(b.info.won).toBe(false)
  })

  it('"no operation" in a solved room earns the solved bonus, as upstream', () => {
    const env = createSokobanEnv({ actions: 'full9' })
    env.loadRoom([
      [0, 0, 0, 0],
      [0, 5, 3, 0],
      [0, 0, 0, 0]
    ])
    const r = env.step('no operation')
    expect(r.reward).toBeCloseTo(9.9, 12)
    expect(r.done).toBe(true)
    expect(r.info.won).toBe(true)
  })

  it('a move never pushes; a push pushes (or walks), with the same rewards', () => {
    const env = createSokobanEnv({ actions: 'full9' })
    env.loadRoom(SPEC_EXAMPLE_ROOM)
    const blocked = env.step('move up')
    expect(blocked.reward).toBe(-0.1)
    expect(blocked.info).toEqual({ won: false, actionIsValid: true, actionIsEffective: false })
    expect(roomOf(blocked.view)).toEqual(SPEC_EXAMPLE_ROOM)
    expect(env.step('push up').reward).toBe(-0.1)
    const win = env.step('push up')
    expect(win.reward).toBe(10.9)
    expect(win.done).toBe(true)
    expect(win.info.won).toBe(true)

    env.loadRoom(TWO_BOX_ROOM)
    const walk = env.step('move down')
    expect(walk.info.actionIsEffective).toBe(true)
    expect(roomOf(walk.view)[2]).toEqual([0, 5, 1, 1, 1, 1, 0])
    const back = env.step('push up')
    expect(back.reward).toBe(-0.1)
    expect(back.info.actionIsEffective).toBe(true)
    const onTarget = env.step('push right')
    expect(onTarget.reward).toBe(0.9)
    expect(roomOf(onTarget.view)[1]).toEqual([0, 1, 5, 3, 1, 1, 0])
  })

  it('the step limit counts every one of the nine; other text is the invalid action', () => {
    const env = createSokobanEnv({ actions: 'full9', maxSteps: FULL9.length })
    env.loadRoom(TWO_BOX_ROOM)
    for (const bad of ['up', 'still', 'push', 'move  up', 'noop', '']) {
      const r = env.step(bad)
      expect(r.reward).toBe(-0.1)
      expect(r.done).toBe(false)
      expect(r.info).toEqual({ won: false, actionIsValid: false, actionIsEffective: false })
    }
    FULL9.forEach((a, i) => {
      const r = env.step(a)
      expect(r.info.actionIsValid).toBe(true)
      expect(r.done).toBe(i === FULL9.length - 1)
    })
  })

  it('the expert answers in the full9 names and solves generated rooms', () => {
    const env = createSokobanEnv({ actions: 'full9' })
    for (let seed = 0; seed < 5; seed++) {
      env.reset(seed)
      const plan = env.expert().flatMap((s) => s.actions)
      expect(plan.length).toBeGreaterThan(0)
      let last = null
      for (const a of plan) {
        expect(FULL9.slice(1, 5)).toContain(a)
        last = env.step(a)
      }
      expect(last?.info.won).toBe(true)
    }
  })

  it('cells outside a wall-less room are walls for moves too (no negative-index wrap-around)', () => {
    const env = createSokobanEnv({ actions: 'full9' })
    // upstream numpy would read room[-1][1] (floor) and move the player to the bottom row
    const room = [
      [1, 5, 1],
      [2, 4, 1],
      [1, 1, 1]
    ]
    env.loadRoom(room)
    for (const a of ['move up', 'push up']) {
      const r = env.step(a)
      expect(r.info.actionIsEffective).toBe(false)
      expect(roomOf(r.view)).toEqual(room)
    }
    env.loadRoom([[5, 1]])
    expect(env.step('move left').info.actionIsEffective).toBe(false)
    expect(env.step('move right').info.actionIsEffective).toBe(true)
  })
})
