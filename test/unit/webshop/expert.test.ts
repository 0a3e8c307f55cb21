import { describe, expect, it } from 'vitest'
import { createWebshopEnvFromSource, type WebshopEnv } from '../../../core/envs/webshop/env'

function runExpert(env: WebshopEnv, seed: number) {
  env.reset(seed)
  const plan = env.expert?.() ?? []
  let last = null
  let steps = 0
  for (const sg of plan) {
    for (const a of sg.actions) {
      last = env.step(a)
      steps++
      expect(last.info.actionIsValid).toBe(true)
    }
  }
  return { plan, last, steps }
}

describe('WebShop expert', () => {
  const env = createWebshopEnvFromSource({ split: 'test' })

  it('search / select / options / buy subgoals, within maxSteps', () => {
    const { plan, last, steps } = runExpert(env, 0)
    expect(plan[0]?.subgoal).toMatch(/^Search for /)
    expect(plan[0]?.actions[0]).toMatch(/^search\[/)
    expect(plan[1]?.subgoal).toMatch(/^Select item /)
    expect(plan.at(-1)).toEqual({ subgoal: 'Buy the item', actions: ['click[buy now]'] })
    expect(steps).toBeLessThanOrEqual(env.maxSteps)
    expect(last?.done).toBe(true)
  })

  it('scores 1.0 on the test goals it is run on', () => {
    let score = 0
    let won = 0
    const n = 60
    for (let seed = 0; seed < n; seed++) {
      const { last } = runExpert(env, seed)
      score += last?.info.taskScore as number
      if (last?.info.won) won++
    }
    expect(won / n).toBeGreaterThanOrEqual(0.95)
    expect(score / n).toBeGreaterThanOrEqual(0.95)
  })

  it('replans from the middle of an episode (wrong item open, option chosen)', () => {
    env.reset(5)
    const goalAsin = env.session?.goal.asin.toLowerCase()
    const results = env.step('search[garden hose]')
    const other = results.view.clickables.find((c) => /^b0/.test(c) && c !== goalAsin) as string
    const item = env.step(`click[${other}]`)
    expect(item.view.page).toBe('item')
    const plan = env.expert?.() ?? []
    expect(plan[0]?.actions[0]).toMatch(/^search\[/)
    let last = null
    for (const sg of plan) for (const a of sg.actions) last = env.step(a)
    expect(last?.done).toBe(true)
    expect(last?.info.won).toBe(true)
  })

  it('works with human goals (option values as a list)', () => {
    const human = createWebshopEnvFromSource({ split: 'test', goals: 'human' })
    expect(human.splitSize).toBeGreaterThan(100)
    let won = 0
    for (let seed = 0; seed < 30; seed++) if (runExpert(human, seed).last?.info.won) won++
    expect(won).toBeGreaterThanOrEqual(27)
  })
})
