import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createWebshopEnvFromSource } from '../../../core/envs/webshop/env'
import { chooseOptions } from '../../../core/envs/webshop/expert'
import { getReward } from '../../../core/envs/webshop/reward'

const env = createWebshopEnvFromSource({ split: 'train' })
const world = env.world

const actionArb = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary' }).map((s) => `click[${s}]`),
  fc.string().map((s) => `search[${s}]`),
  fc.string().map((s) => `click[${s}]`),
  fc.constantFrom(
    'click[next >]',
    'click[< prev]',
    'click[buy now]',
    'click[back to search]',
    'click[description]',
    'click[features]',
    'click[reviews]',
    'search[shirt]',
    'click[search]'
  ),
  fc.nat({ max: 20 }).map((i) => `#admissible${i}`)
)

describe('WebShop properties', () => {
  it('no action string crashes the env; rewards stay in [0, 1]', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(actionArb, { maxLength: 20 }), (seed, actions) => {
        let obs: { admissibleActions: string[] } = env.reset(seed)
        for (const raw of actions) {
          let action = raw
          const m = /^#admissible(\d+)$/.exec(raw)
          if (m)
            action =
              obs.admissibleActions[Number(m[1]) % Math.max(1, obs.admissibleActions.length)] ?? raw
          const s = env.step(action)
          expect(s.reward).toBeGreaterThanOrEqual(0)
          expect(s.reward).toBeLessThanOrEqual(1)
          expect(typeof s.observation).toBe('string')
          expect(s.info.won).toBe(s.done && s.reward === 1)
          obs = s
          if (s.done) obs = env.reset(seed + 1)
        }
      }),
      { numRuns: 150 }
    )
  })

  it('get_reward is always in [0, 1] for any product, goal, price and options', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: world.products.length - 1 }),
        fc.nat({ max: world.goals.size - 1 }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
        (pi, gi, price, options) => {
          const { reward } = getReward(world.products[pi]!, world.goals.goal(gi), price, options)
          expect(reward).toBeGreaterThanOrEqual(0)
          expect(reward).toBeLessThanOrEqual(1)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('buying the goal product with the goal options under the price gives 1.0', () => {
    fc.assert(
      fc.property(fc.nat({ max: world.goals.size - 1 }), (gi) => {
        const goal = world.goals.goal(gi)
        const p = world.byAsin.get(goal.asin)!
        const price = world.prices.get(goal.asin)!
        expect(price).toBeLessThanOrEqual(goal.price_upper)
        expect(Array.isArray(goal.goal_options)).toBe(false)
        expect(getReward(p, goal, price, goal.goal_options as Record<string, string>).reward).toBe(
          1
        )
        expect(chooseOptions(p, goal)).toEqual(goal.goal_options)
      }),
      { numRuns: 300 }
    )
  })
})
