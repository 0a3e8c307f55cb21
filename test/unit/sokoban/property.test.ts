import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSokobanEnv } from '../../../core/envs/sokoban'
import { countCodes, roomOf } from './helpers'

const STEP = -0.1
/** Every reward the rules can produce: −0.1, plus ±1 for a box count change, plus 10 when won. */
const ALLOWED = [STEP, STEP + 1, STEP + -1, STEP + 10, STEP + 1 + 10]

const actionArb = fc.oneof(
  fc.constantFrom('up', 'down', 'left', 'right'),
  fc.constantFrom(
    ' Up',
    'DOWN ',
    '\tleft\n',
    'Right',
    'still',
    '',
    'up down',
    '<action>up</action>'
  ),
  fc.string({ maxLength: 12 })
)

describe('sokoban env under random action strings', () => {
  it('never throws, keeps the rules and ends exactly on a win or the step limit', () => {
    let limitHits = 0
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constantFrom(1, 2),
        // half the runs hold well over 15 valid actions (fast-check's default size stops near 10)
        fc.oneof(
          fc.array(actionArb, { minLength: 1, maxLength: 60, size: 'max' }),
          fc.array(actionArb, { minLength: 45, maxLength: 90 })
        ),
        (seed, numBoxes, actions) => {
          const env = createSokobanEnv({ numBoxes, dimRoom: [6, 7], maxSteps: 15 })
          const start = env.reset(seed)
          const startCounts = countCodes(roomOf(start.view))
          let counted = 0
          for (const action of actions) {
            const r = env.step(action)
            const valid = ['up', 'down', 'left', 'right'].includes(action.trim().toLowerCase())
            expect(r.info.actionIsValid).toBe(valid)
            expect(ALLOWED).toContain(r.reward)
            expect(r.admissibleActions).toEqual(['up', 'down', 'left', 'right'])
            expect(countCodes(roomOf(r.view))).toEqual(startCounts)
            if (valid) counted++
            expect(r.info.won).toBe(r.reward >= 9)
            expect(r.done).toBe(r.info.won || (valid && counted === 15))
            if (r.done && !r.info.won) limitHits++
            if (r.done) break
          }
        }
      ),
      { numRuns: 300, seed: 42 }
    )
    // the step-limit branch must be exercised, not only allowed
    expect(limitHits).toBeGreaterThan(0)
  })
})
