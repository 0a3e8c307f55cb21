// Canonical blueprints of demonstrator episodes: accepted by the task's grammar, every step in
// exactly one segment in order; hand cases for the step-to-phrase mapping.
import { describe, expect, it } from 'vitest'
import {
  canonicalPlan,
  DEFAULT_MAX_SUBGOALS,
  demoEpisodeOf,
  PlanGrammar,
  parsePlanTokens,
  planSpecOf,
  planTokens,
  segmentSteps,
  sokobanStepPhrases,
  webshopOptionValues,
  type CanonicalPlan
} from '../../../../core/agent/himac'
import { createSokobanDemonstrator, runDemonstrator } from '../../../../core/agent/demonstrators'
import { createSokobanEnv } from '../../../../core/envs/sokoban'
import type { StepRecord } from '../../../../core/store/records'
import { LM_ENVS, testTokenizer } from '../lm-fixtures'

const tokenizer = testTokenizer()
const DEMOS = 50

function expectCovering(plan: CanonicalPlan, length: number): void {
  expect(plan.segments.length).toBe(plan.subgoals.length)
  let next = 0
  plan.segments.forEach((s, i) => {
    expect(s.subgoal).toBe(i)
    expect(s.firstStep).toBe(next)
    expect(s.lastStep).toBeGreaterThanOrEqual(s.firstStep)
    next = s.lastStep + 1
  })
  expect(next).toBe(length)
  for (let i = 1; i < plan.subgoals.length; i++)
    expect(plan.subgoals[i]).not.toBe(plan.subgoals[i - 1])
}

describe('canonical plans of demo episodes', () => {
  for (const env of LM_ENVS) {
    it(`${env}: ${DEMOS} demos are accepted by their task's grammar and covered by segments`, () => {
      for (let seed = 1; seed <= DEMOS; seed++) {
        const demo = demoEpisodeOf(env, seed)
        const plan = canonicalPlan(tokenizer, demo)
        expectCovering(plan, demo.length)
        const spec = planSpecOf(demo, DEFAULT_MAX_SUBGOALS)
        const grammar = new PlanGrammar(tokenizer, spec)
        const tokens = planTokens(tokenizer, spec, plan)
        expect(grammar.parse(tokens).subgoals).toEqual(plan.subgoals)
        expect(tokens.length).toBeLessThanOrEqual(grammar.maxTokens)
        const phrases = grammar.phrases()
        if (phrases) for (const s of plan.subgoals) expect(phrases).toContain(s)
      }
    })
  }

  it('sokoban with two boxes names the box of every walk and push', () => {
    const env = createSokobanEnv({ numBoxes: 2 })
    for (let seed = 1; seed <= 10; seed++) {
      const demo = runDemonstrator(env, createSokobanDemonstrator(), seed)
      const plan = canonicalPlan(tokenizer, demo)
      expectCovering(plan, demo.length)
      for (const s of plan.subgoals) expect(s).toMatch(/ box [12]( |$)/)
      planTokens(tokenizer, planSpecOf(demo, 16), plan)
    }
  })

  it('maps ALFWorld demo subgoals to type-level phrases', () => {
    const demo = demoEpisodeOf('alfworld', 1)
    const plan = canonicalPlan(tokenizer, demo)
    demo.subgoals.forEach((s, i) => {
      const phrase = plan.subgoals[i] as string
      expect(phrase).not.toMatch(/\d/)
      const verb = s.subgoal.split(' ')[0] as string
      expect(phrase.startsWith(verb === 'put' ? 'put the' : verb)).toBe(true)
    })
  })

  it('merges WebShop item choices into one subgoal', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const demo = demoEpisodeOf('webshop', seed)
      const plan = canonicalPlan(tokenizer, demo)
      expect(plan.subgoals.filter((s) => s === 'choose an item').length).toBeLessThanOrEqual(
        demo.subgoals.filter((s) => s.subgoal.startsWith('Select item')).length
      )
      expect(plan.subgoals[0]).toMatch(/^search for /)
    }
  })

  it("with webshopSubgoals 'values', one options subgoal per asked value clicked, distinct query words", () => {
    let options = 0
    for (let seed = 1; seed <= 20; seed++) {
      const demo = demoEpisodeOf('webshop', seed)
      const plan = canonicalPlan(tokenizer, demo, { webshopSubgoals: 'values' })
      const spec = planSpecOf(demo, 10, { webshopSubgoals: 'values' })
      expect(parsePlanTokens(tokenizer, spec, planTokens(tokenizer, spec, plan))).toEqual({
        subgoals: plan.subgoals
      })
      const query = (plan.subgoals[0] as string).split(' ').slice(2)
      expect(new Set(query).size).toBe(query.length)
      const asked = webshopOptionValues(demo.task)
      plan.segments.forEach((seg) => {
        const s = plan.subgoals[seg.subgoal] as string
        if (!s.startsWith('choose the options ')) return
        options++
        const value = s.slice('choose the options '.length)
        expect(asked).toContain(value)
        const clicks = demo.steps.slice(seg.firstStep, seg.lastStep + 1).map((st) => st.action)
        expect(clicks[0]).toBe(`click[${value}]`)
      })
    }
    expect(options).toBeGreaterThan(10)
  })
})

describe('segments and Sokoban runs by hand', () => {
  it('joins repeats and null steps to the segment before, leading nulls to the first', () => {
    expect(segmentSteps([null, 'a', 'a', null, 'b', 'a'])).toEqual({
      subgoals: ['a', 'b', 'a'],
      segments: [
        { subgoal: 0, firstStep: 0, lastStep: 3 },
        { subgoal: 1, firstStep: 4, lastStep: 4 },
        { subgoal: 2, firstStep: 5, lastStep: 5 }
      ]
    })
    expect(() => segmentSteps([null, null])).toThrow()
  })

  // 0 wall, 1 floor, 2 target, 4 box, 5 player
  const step = (room: number[][], action: string): StepRecord => ({
    t: 0,
    observation: '',
    admissibleActions: [],
    view: { kind: 'sokoban', room },
    action,
    reward: 0,
    done: false
  })

  it('cuts moves into walk-to-side and push runs', () => {
    const rooms = [
      // player below-left of the box: walk right, then push up twice
      [
        [0, 0, 0, 0],
        [0, 2, 1, 0],
        [0, 1, 1, 0],
        [0, 1, 4, 0],
        [0, 5, 1, 0],
        [0, 0, 0, 0]
      ],
      [
        [0, 0, 0, 0],
        [0, 2, 1, 0],
        [0, 1, 1, 0],
        [0, 1, 4, 0],
        [0, 1, 5, 0],
        [0, 0, 0, 0]
      ],
      [
        [0, 0, 0, 0],
        [0, 2, 1, 0],
        [0, 1, 4, 0],
        [0, 1, 5, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 0]
      ],
      [
        [0, 0, 0, 0],
        [0, 2, 4, 0],
        [0, 1, 5, 0],
        [0, 1, 1, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 0]
      ],
      // one walk down: no push follows
      [
        [0, 0, 0, 0],
        [0, 2, 4, 0],
        [0, 1, 1, 0],
        [0, 1, 5, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 0]
      ]
    ]
    const actions = ['right', 'up', 'up', 'down', '']
    const steps = rooms.map((r, i) => step(r, actions[i] as string))
    // a lone walk that does not move: the side the player stands on (below-left: rows win a tie)
    expect(sokobanStepPhrases(steps)).toEqual([
      'go to the bottom side of the box',
      'push the box up',
      'push the box up',
      null
    ])
    expect(
      sokobanStepPhrases([steps[0] as StepRecord, { ...(steps[0] as StepRecord), action: '' }])
    ).toEqual(['go to the bottom side of the box'])
  })
})
