import { describe, expect, it } from 'vitest'
import { createSokobanEnv } from '../../../core/envs/sokoban'
import { roomOf, SPEC_EXAMPLE_ROOM, TWO_BOX_ROOM } from './helpers'

const ACTIONS = ['up', 'down', 'left', 'right']

describe('sokoban dynamics and rewards', () => {
  it('solving one box gives −0.1 then 10.9 on the last step, done and won', () => {
    const env = createSokobanEnv()
    env.loadRoom(SPEC_EXAMPLE_ROOM)
    const a = env.step('up')
    expect(a.reward).toBe(-0.1)
    expect(a.done).toBe(false)
    expect(a.info).toEqual({ won: false, actionIsValid: true, actionIsEffective: true })
    expect(roomOf(a.view)[2]?.[1]).toBe(4)
    const b = env.step('up')
    expect(b.reward).toBe(10.9)
    expect(b.done).toBe(true)
    expect(b.info.won).toBe(true)
    expect(roomOf(b.view)[1]?.[1]).toBe(3)
    expect(b.observation.split('\n')[1]).toBe(' # \t √ \t _ \t # \t # \t # \t')
  })

  it('pushing a box onto a target gives +1, off a target −1; the player shows as S on a target', () => {
    const env = createSokobanEnv()
    env.loadRoom(TWO_BOX_ROOM)
    const on = env.step('right')
    expect(on.reward).toBe(0.9)
    expect(on.done).toBe(false)
    expect(on.info.won).toBe(false)
    expect(roomOf(on.view)[1]).toEqual([0, 1, 5, 3, 1, 1, 0])
    const off = env.step('right')
    expect(off.reward).toBe(-1.1)
    expect(roomOf(off.view)[1]).toEqual([0, 1, 1, 6, 4, 1, 0])
    expect(off.observation.split('\n')[1]).toBe(' # \t _ \t _ \t S \t X \t _ \t # \t')
    // Stepping off the target again: no box change.
    const away = env.step('down')
    expect(away.reward).toBe(-0.1)
    expect(roomOf(away.view)[1]).toEqual([0, 1, 1, 2, 4, 1, 0])
  })

  it('a box against a wall does not move, and neither does the player (step still counted)', () => {
    const env = createSokobanEnv({ maxSteps: 2 })
    const room = [
      [0, 0, 0, 0, 0],
      [0, 2, 5, 4, 0],
      [0, 0, 0, 0, 0]
    ]
    env.loadRoom(room)
    const r = env.step('right')
    expect(r.reward).toBe(-0.1)
    expect(r.info).toEqual({ won: false, actionIsValid: true, actionIsEffective: false })
    expect(roomOf(r.view)).toEqual(room)
    expect(r.done).toBe(false)
    // Walking into a wall is likewise ineffective but counted: the second step hits maxSteps.
    const w = env.step('up')
    expect(w.info.actionIsEffective).toBe(false)
    expect(w.done).toBe(true)
    expect(w.info.won).toBe(false)
  })

  it('a box cannot be pushed into another box', () => {
    const env = createSokobanEnv()
    const room = [
      [0, 0, 0, 0, 0, 0, 0],
      [0, 5, 4, 4, 1, 2, 0],
      [0, 1, 1, 1, 1, 2, 0],
      [0, 0, 0, 0, 0, 0, 0]
    ]
    env.loadRoom(room)
    const r = env.step('right')
    expect(r.info.actionIsEffective).toBe(false)
    expect(roomOf(r.view)).toEqual(room)
  })

  it('plain moves walk over floor and targets and never move boxes', () => {
    const env = createSokobanEnv()
    env.loadRoom(TWO_BOX_ROOM)
    const d = env.step('down')
    expect(d.info.actionIsEffective).toBe(true)
    expect(roomOf(d.view)[2]).toEqual([0, 5, 1, 1, 1, 1, 0])
    expect(roomOf(d.view)[1]).toEqual([0, 1, 4, 2, 1, 1, 0])
  })

  it('ends the episode exactly when maxSteps valid actions have been taken', () => {
    const env = createSokobanEnv({ maxSteps: 3 })
    env.loadRoom(TWO_BOX_ROOM)
    expect(env.step('down').done).toBe(false)
    expect(env.step('up').done).toBe(false)
    const last = env.step('down')
    expect(last.done).toBe(true)
    expect(last.info.won).toBe(false)
    expect(env.maxSteps).toBe(3)
  })

  it('treats anything but up/down/left/right as verl-agent action 0: no move, −0.1, step not counted', () => {
    const env = createSokobanEnv({ maxSteps: 2 })
    const start = env.loadRoom(TWO_BOX_ROOM)
    for (const bad of [
      '',
      'still',
      'north',
      'up!',
      'u p',
      '<action>up</action>',
      'Still',
      'uP left'
    ]) {
      const r = env.step(bad)
      expect(r.reward).toBe(-0.1)
      expect(r.done).toBe(false)
      expect(r.info).toEqual({ won: false, actionIsValid: false, actionIsEffective: false })
      expect(r.observation).toBe(start.observation)
      expect(r.view).toEqual(start.view)
      expect(r.admissibleActions).toEqual(ACTIONS)
    }
    // A runtime non-string (e.g. from JSON) is invalid too, not a crash.
    expect(env.step(undefined as unknown as string).info.actionIsValid).toBe(false)
    // Only now are the two counted steps used up.
    expect(env.step('down').done).toBe(false)
    expect(env.step('up').done).toBe(true)
  })

  it('accepts actions case-insensitively and trimmed', () => {
    const env = createSokobanEnv()
    env.loadRoom(TWO_BOX_ROOM)
    const r = env.step('  DOWN\n')
    expect(r.info.actionIsValid).toBe(true)
    expect(r.info.actionIsEffective).toBe(true)
    expect(env.step('Up').info.actionIsEffective).toBe(true)
  })

  it('treats cells outside a wall-less hand-made room as walls and never throws there', () => {
    const env = createSokobanEnv()
    env.loadRoom([[4, 5, 1]])
    for (const a of ACTIONS) expect(() => env.step(a)).not.toThrow()
    // Upstream quirk: a push whose box destination lies past the last column does nothing.
    env.loadRoom([[2, 1, 5, 1]])
    expect(env.step('right').info.actionIsEffective).toBe(false)
    const r = env.step('left')
    expect(r.info.actionIsEffective).toBe(true)
  })

  it('always offers the four actions and refuses step() before reset()', () => {
    const env = createSokobanEnv()
    expect(() => env.step('up')).toThrow(/reset/)
    const r = env.reset(3)
    expect(r.admissibleActions).toEqual(ACTIONS)
    expect(r.task).toBe('')
    expect(r.info.won).toBe(false)
    expect(env.step('left').admissibleActions).toEqual(ACTIONS)
    expect(env.kind).toBe('sokoban')
    expect(env.maxSteps).toBe(15)
  })
})
