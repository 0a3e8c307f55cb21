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

describe('WebShop expert, replanning every step', () => {
  it('taking only the first action of a fresh plan each step still buys the goal', () => {
    const env = createWebshopEnvFromSource({ split: 'test' })
    for (const seed of [0, 3, 11, 42]) {
      env.reset(seed)
      let last = null
      for (let t = 0; t < env.maxSteps; t++) {
        const action = env.expert?.()[0]?.actions[0]
        if (!action) break
        last = env.step(action)
        if (last.done) break
      }
      expect(last?.done).toBe(true)
      expect(last?.info.won).toBe(true)
    }
  })

  it('pages back to the target from a later result page', () => {
    const env = createWebshopEnvFromSource({ split: 'test' })
    env.reset(2)
    const plan = env.expert?.() ?? []
    env.step(plan[0]?.actions[0] as string)
    env.step('click[next >]')
    env.step('click[next >]')
    const replan = env.expert?.() ?? []
    expect(replan[0]?.subgoal).toMatch(/^Select item /)
    expect(replan[0]?.actions).toContain('click[< prev]')
    expect(
      replan[0]?.actions.slice(0, -1).every((a) => a === 'click[< prev]' || a === 'click[next >]')
    ).toBe(true)
    let last = null
    for (const sg of replan) for (const a of sg.actions) last = env.step(a)
    expect(last?.info.won).toBe(true)
  })
})
