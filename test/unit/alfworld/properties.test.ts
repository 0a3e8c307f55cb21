import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AlfworldGame,
  createAlfworldEnv,
  defaultGrammar,
  generateWorld,
  solveAlfworld
} from '../../../core/envs/alfworld'

type Move =
  | { kind: 'admissible'; pick: number }
  | { kind: 'text'; text: string }
  | { kind: 'mutate'; pick: number; cut: number }

const move: fc.Arbitrary<Move> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('admissible' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 30 }) })
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('mutate' as const), pick: fc.nat(), cut: fc.nat() })
  }
)

function commandFor(m: Move, admissible: readonly string[]): string {
  if (m.kind === 'text') return m.text
  const a = admissible[m.pick % admissible.length] as string
  if (m.kind === 'admissible') return a
  return a.slice(0, m.cut % (a.length + 1)) + ' 7'
}

function checkInvariants(game: AlfworldGame): void {
  const held = game.held
  game.objIn.forEach((inside, o) => {
    if (o === held) expect(inside).toHaveLength(0)
    // generated worlds: every object is either in hand or in exactly one receptacle
    else expect(inside).toHaveLength(1)
  })
  // the per-receptacle index agrees with the per-object facts
  game.recContents.forEach((contents, r) => {
    expect(contents).toEqual(game.objIn.flatMap((inside, o) => (inside.includes(r) ? [o] : [])))
  })
  const adm = game.admissible()
  expect([...adm].sort()).toEqual(adm)
  expect(new Set(adm).size).toBe(adm.length)
  expect(adm.filter((a) => a.startsWith('take ')).length === 0 || held < 0).toBe(true)
}

describe('ALFWorld engine properties', () => {
  it('no command sequence crashes the engine; one object in hand, each object in one place', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.array(move, { maxLength: 60 }), (seed, moves) => {
        const game = new AlfworldGame(
          generateWorld({ split: 'train', seed }),
          defaultGrammar(seed % 2 ? 'legacy' : 'current')
        )
        checkInvariants(game)
        for (const m of moves) {
          const adm = game.admissible()
          const cmd = commandFor(m, adm)
          const before = JSON.stringify([game.agentLoc, game.held, game.objIn, [...game.opened]])
          const r = game.play(cmd)
          expect(typeof r.feedback).toBe('string')
          if (adm.includes(cmd.trim())) expect(r.valid).toBe(true)
          else {
            expect(r).toEqual({ feedback: 'Nothing happens.', valid: false })
            expect(JSON.stringify([game.agentLoc, game.held, game.objIn, [...game.opened]])).toBe(
              before
            )
          }
          checkInvariants(game)
        }
      }),
      { numRuns: 150 }
    )
  })

  it('the env never throws and ends exactly at maxSteps', () => {
    const command = fc.oneof(fc.string(), fc.constant('look'), fc.constant('go to fridge 1'))
    let limitHits = 0
    fc.assert(
      fc.property(
        fc.integer(),
        // half the runs are long enough for the 50-step limit (fast-check's default size stops near 10)
        fc.oneof(
          fc.array(command, { maxLength: 49, size: 'max' }),
          fc.array(command, { minLength: 50, maxLength: 70 })
        ),
        (seed, cmds) => {
          const env = createAlfworldEnv()
          env.reset(seed)
          let steps = 0
          for (const c of cmds) {
            const r = env.step(c)
            steps++
            expect(r.done).toBe(r.info.won || steps >= 50)
            if (steps === 50) limitHits++
          }
        }
      ),
      { numRuns: 60 }
    )
    // the step-limit branch must be exercised, not only allowed
    expect(limitHits).toBeGreaterThan(0)
  })

  it('the expert wins from any reachable state', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.array(fc.nat(), { maxLength: 25 }), (seed, picks) => {
        const game = new AlfworldGame(
          generateWorld({ split: 'valid_seen', seed }),
          defaultGrammar('current')
        )
        for (const p of picks) {
          const adm = game.admissible()
          game.play(adm[p % adm.length] as string)
        }
        const before = game.won()
        const subgoals = solveAlfworld(game)
        if (!before) expect(subgoals).not.toBeNull()
        const actions = (subgoals ?? []).flatMap((s) => s.actions)
        actions.forEach((a, i) => {
          expect(game.won(), 'won before the last planned action').toBe(false)
          expect(game.play(a).valid).toBe(true)
          expect(game.won()).toBe(i === actions.length - 1)
        })
        expect(game.won()).toBe(true)
      }),
      { numRuns: 120 }
    )
  })
})
