import { describe, expect, it } from 'vitest'
import { createSokobanDemonstrator, runDemonstrator } from '../../../core/agent/demonstrators'
import { createSokobanEnv, EXPERT_SUBGOAL } from '../../../core/envs/sokoban'
import { play } from './helpers'

describe('Sokoban demonstrator', () => {
  it('plays the BFS solution of the observed grid (the oracle’s moves) and wins', () => {
    const env = createSokobanEnv()
    let wins = 0
    for (let seed = 0; seed < 60; seed++) {
      env.reset(seed)
      const oracle = (env.expert()[0]?.actions ?? []).slice(0, env.maxSteps)
      const ep = runDemonstrator(env, createSokobanDemonstrator(), seed)
      expect(ep.steps.slice(0, -1).map((s) => s.action)).toEqual(oracle)
      expect(ep.subgoals.map((s) => s.subgoal)).toEqual(oracle.length > 0 ? [EXPERT_SUBGOAL] : [])
      wins += ep.success ? 1 : 0
    }
    expect(wins).toBeGreaterThanOrEqual(57)
  })

  it("answers in the action space's names (full9: 'push up' …) and is deterministic", () => {
    const env = createSokobanEnv({ actions: 'full9' })
    for (let seed = 0; seed < 10; seed++) {
      const p = play(env, createSokobanDemonstrator(), seed)
      expect(p.inadmissible).toEqual([])
      expect(p.actions.every((a) => a.startsWith('push '))).toBe(true)
      expect(p.won).toBe(true)
      expect(play(env, createSokobanDemonstrator(), seed)).toEqual(p)
    }
  })

  it('solves two-box rooms too', () => {
    const env = createSokobanEnv({ numBoxes: 2, maxSteps: 100 })
    let wins = 0
    for (let seed = 0; seed < 10; seed++)
      wins += play(env, createSokobanDemonstrator(), seed).won ? 1 : 0
    expect(wins).toBeGreaterThanOrEqual(8)
  })
})
