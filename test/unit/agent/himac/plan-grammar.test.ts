// The blueprint automaton: random walks over real tasks always end within the bound and parse back;
// planTokens round-trips; `<subgoal>` is forced first, `<end>` only after a complete phrase and
// forced after the K-th; phrases outside the grammar are rejected.
import { describe, expect, it } from 'vitest'
import {
  createPlanCursor,
  maxPlanTokens,
  parsePlanTokens,
  PlanGrammar,
  planPhrases,
  planTokens,
  type PlanCursor,
  type PlanSpec
} from '../../../../core/agent/himac'
import { instructionWords } from '../../../../core/agent/lm'
import type { EnvKind } from '../../../../core/envs/env'
import { createRng, type Rng } from '../../../../core/rng'
import { LM_ENVS, testEnv, testTokenizer } from '../lm-fixtures'

const tokenizer = testTokenizer()
const { subgoal: SUBGOAL, end: END } = tokenizer.special

const ALFWORLD_OBS =
  '-= Welcome to TextWorld, ALFRED! =-\n\nYou are in the middle of a room. Looking quickly around ' +
  'you, you see a cabinet 2, a cabinet 1, a countertop 1, a fridge 1, a microwave 1, a sinkbasin 1, ' +
  'and a toaster 1.\n\nYour task is to: heat some apple and put it in countertop.'
const alfworld: PlanSpec = {
  env: 'alfworld',
  task: 'heat some apple and put it in countertop.',
  observation: ALFWORLD_OBS,
  maxSubgoals: 3
}
const INSTRUCTION =
  'i need usda organic coffee with size: pack of 2, and price lower than 40.00 dollars'
const webshop: PlanSpec = {
  env: 'webshop',
  task: INSTRUCTION,
  observation: "'Search'",
  maxSubgoals: 4
}
const SOKOBAN_ROOM = [
  ' # \t # \t # \t # ',
  ' # \t P \t X \t # ',
  ' # \t O \t X \t # ',
  ' # \t # \t O \t # '
]
const sokoban2: PlanSpec = {
  env: 'sokoban',
  task: '',
  observation: SOKOBAN_ROOM.join('\n'),
  maxSubgoals: 2
}

function walk(cursor: PlanCursor, tokens: readonly number[]): PlanCursor {
  for (const t of tokens) cursor.advance(t)
  return cursor
}

function randomPlan(grammar: PlanGrammar, rng: Rng): PlanCursor {
  const cursor = grammar.cursor()
  while (!cursor.done) {
    const allowed = cursor.allowed()
    expect(allowed.length).toBeGreaterThan(0)
    for (let i = 1; i < allowed.length; i++)
      expect(allowed[i] as number).toBeGreaterThan(allowed[i - 1] as number)
    // lean away from <end> so that long plans (up to K) are walked too
    const choices = allowed.length > 1 ? allowed.filter((t) => t !== END) : allowed
    const pick =
      rng.next() < 0.15 && allowed.includes(END)
        ? END
        : (choices[rng.int(choices.length)] as number)
    cursor.advance(pick)
    expect(cursor.tokens.length).toBeLessThanOrEqual(grammar.maxTokens)
  }
  return cursor
}

describe('plan grammar: hand cases', () => {
  it('lists type-level ALFWorld phrases from the task and the first observation', () => {
    const phrases = planPhrases(tokenizer, alfworld) ?? []
    expect(phrases).toContain('find the apple')
    expect(phrases).toContain('heat the apple with the microwave')
    expect(phrases).toContain('put the apple in the countertop')
    expect(phrases).toContain('open the fridge')
    expect(phrases.some((p) => /\d/.test(p))).toBe(false)
    expect(phrases.some((p) => p.includes('cabinet 1') || p.includes('desk'))).toBe(false)
    expect(phrases.filter((p) => p.startsWith('use '))).toEqual([])
    const look = planPhrases(tokenizer, {
      ...alfworld,
      task: 'look at bowl under the desklamp.'
    })
    expect(look).toContain('use the desklamp')
    expect(look).toContain('find the desklamp')
  })

  it('forces <subgoal> first, never allows <end> before a phrase, forces <end> after K', () => {
    const cursor = createPlanCursor(tokenizer, alfworld)
    expect([...cursor.allowed()]).toEqual([SUBGOAL])
    expect(() => cursor.advance(END)).toThrow(/not allowed/)
    cursor.advance(SUBGOAL)
    expect([...cursor.allowed()]).not.toContain(END)
    expect([...cursor.allowed()]).not.toContain(SUBGOAL)
    const plan = ['find the apple', 'take the apple', 'go to the microwave']
    for (const [i, p] of plan.entries()) {
      walk(cursor, tokenizer.encode(p))
      const allowed = [...cursor.allowed()]
      if (i < plan.length - 1) {
        expect(allowed).toEqual([SUBGOAL, END])
        cursor.advance(SUBGOAL)
      } else expect(allowed).toEqual([END])
    }
    expect(() => cursor.text()).toThrow(/not complete/)
    cursor.advance(END)
    expect(cursor.done).toBe(true)
    expect(cursor.allowed().length).toBe(0)
    expect(cursor.text()).toBe(plan.join('\n'))
    expect(cursor.blueprint()).toEqual({ subgoals: plan })
  })

  it('has forced tokens where the phrase tree does not branch', () => {
    const cursor = createPlanCursor(tokenizer, sokoban2)
    cursor.advance(SUBGOAL)
    const push = tokenizer.encode('push box 2')
    walk(cursor, push.slice(0, 1))
    // after 'push' only 'box' can follow
    expect([...cursor.allowed()]).toEqual([push[1]])
    const phrases = planPhrases(tokenizer, sokoban2) ?? []
    expect(phrases).toHaveLength(16)
    expect(phrases).toContain('go to the left side of box 1')
    expect(phrases).toContain('push box 2 down')
    const single = planPhrases(tokenizer, {
      ...sokoban2,
      observation: SOKOBAN_ROOM.join('\n').replace(' X \t # ', ' _ \t # ')
    })
    expect(single).toContain('push the box down')
    expect(single).toHaveLength(8)
  })

  it('round-trips and rejects blueprints outside the grammar', () => {
    const good = { subgoals: ['Go to the   Microwave', 'heat the apple with the microwave'] }
    const tokens = planTokens(tokenizer, alfworld, good)
    expect(tokens[0]).toBe(SUBGOAL)
    expect(tokens[tokens.length - 1]).toBe(END)
    expect(parsePlanTokens(tokenizer, alfworld, tokens)).toEqual({
      subgoals: ['go to the microwave', 'heat the apple with the microwave']
    })
    const bad = [
      [],
      ['go to the moon'],
      ['go to the microwave 1'],
      ['go to microwave'],
      ['find the apple', 'take the apple', 'go to the fridge', 'cool the apple with the fridge']
    ]
    for (const subgoals of bad)
      expect(() => planTokens(tokenizer, alfworld, { subgoals })).toThrow()
    expect(() => parsePlanTokens(tokenizer, alfworld, [END])).toThrow(/not allowed/)
    expect(() => parsePlanTokens(tokenizer, alfworld, tokens.slice(0, -1))).toThrow(/not complete/)
    expect(() => parsePlanTokens(tokenizer, alfworld, [...tokens, END])).toThrow(/after <end>/)
  })

  it('decodes WebShop search and option words from the instruction only', () => {
    const plan = {
      subgoals: [
        'search for usda organic coffee pack of 2',
        'choose an item',
        'choose the options pack of 2',
        'buy the item'
      ]
    }
    expect(parsePlanTokens(tokenizer, webshop, planTokens(tokenizer, webshop, plan))).toEqual(plan)
    expect(planPhrases(tokenizer, webshop)).toBeNull()
    const rejected = [
      'search for vegan coffee',
      'search for i need usda organic coffee with size pack of',
      'choose the options organic',
      'choose the options',
      'buy an item'
    ]
    for (const s of rejected)
      expect(() => planTokens(tokenizer, webshop, { subgoals: [s] }), s).toThrow()
    expect(
      planTokens(
        tokenizer,
        { ...webshop, maxQueryWords: 9 },
        {
          subgoals: ['search for i need usda organic coffee with size pack of']
        }
      ).length
    ).toBeGreaterThan(10)
  })

  it("with webshopSubgoals 'values', names whole asked values, each at most once", () => {
    const spec: PlanSpec = {
      env: 'webshop',
      task: 'find red wool socks with color: dark red, and size: x-large, and price lower than 20.00 dollars',
      observation: "'Search'",
      maxSubgoals: 4,
      webshopSubgoals: 'values'
    }
    const accepted = [
      'choose the options dark red',
      'choose the options x-large',
      'choose the options dark red x-large',
      'choose the options x-large dark red'
    ]
    for (const s of accepted)
      expect(
        parsePlanTokens(tokenizer, spec, planTokens(tokenizer, spec, { subgoals: [s] }))
      ).toEqual({ subgoals: [s] })
    expect(() =>
      planTokens(tokenizer, spec, { subgoals: ['search for find red dark red'] })
    ).toThrow()
    expect(
      planTokens(
        tokenizer,
        { ...spec, webshopSubgoals: 'words' },
        {
          subgoals: ['search for find red dark red']
        }
      ).length
    ).toBeGreaterThan(4)
    const rejected = [
      'choose the options red',
      'choose the options dark',
      'choose the options dark red dark red',
      'choose the options red dark x-large',
      'choose the options'
    ]
    for (const s of rejected)
      expect(() => planTokens(tokenizer, spec, { subgoals: [s] }), s).toThrow()
    // 'words' (the default) takes the values' words in any order.
    expect(
      planTokens(
        tokenizer,
        { ...spec, webshopSubgoals: 'words' },
        {
          subgoals: ['choose the options red dark red']
        }
      ).length
    ).toBeGreaterThan(4)
    const rng = createRng(3)
    const grammar = new PlanGrammar(tokenizer, spec)
    for (let i = 0; i < 50; i++) {
      for (const s of randomPlan(grammar, rng).blueprint().subgoals) {
        if (!s.startsWith('choose the options ')) continue
        expect(accepted).toContain(s)
      }
    }
  })

  it('bounds the plan length', () => {
    const grammar = new PlanGrammar(tokenizer, alfworld)
    expect(maxPlanTokens(tokenizer, alfworld)).toBe(grammar.maxTokens)
    const longest = Math.max(
      ...(planPhrases(tokenizer, alfworld) ?? []).map((p) => tokenizer.encode(p).length)
    )
    expect(grammar.maxTokens).toBe(3 * (longest + 1) + 1)
    expect(() => new PlanGrammar(tokenizer, { ...alfworld, maxSubgoals: 0 })).toThrow()
  })
})

describe('plan grammar: fuzz over random tasks', () => {
  const tasksOf = (env: EnvKind, seeds: number): PlanSpec[] => {
    const e = testEnv(env)
    const rng = createRng(7)
    return Array.from({ length: seeds }, () => {
      const r = e.reset(rng.int(2 ** 16))
      return { env, task: r.task, observation: r.observation, maxSubgoals: 1 + rng.int(8) }
    })
  }

  for (const env of LM_ENVS) {
    it(`${env}: every walk ends within the bound and parses back`, () => {
      const rng = createRng(11)
      for (const spec of tasksOf(env, 8)) {
        const grammar = new PlanGrammar(tokenizer, spec)
        const phrases = grammar.phrases()
        const words = new Set(instructionWords(spec.task))
        const counts = new Set<number>()
        for (let i = 0; i < 25; i++) {
          const cursor = randomPlan(grammar, rng)
          const plan = cursor.blueprint()
          expect(cursor.tokens[0]).toBe(SUBGOAL)
          expect(plan.subgoals.length).toBeGreaterThanOrEqual(1)
          expect(plan.subgoals.length).toBeLessThanOrEqual(spec.maxSubgoals)
          counts.add(plan.subgoals.length)
          expect(grammar.parse(cursor.tokens)).toEqual(plan)
          expect(parsePlanTokens(tokenizer, spec, cursor.tokens)).toEqual(plan)
          expect(planTokens(tokenizer, spec, plan)).toEqual(cursor.tokens)
          expect(cursor.text()).toBe(plan.subgoals.join('\n'))
          for (const s of plan.subgoals) {
            if (phrases) expect(phrases).toContain(s)
            else {
              const m = /^(search for|choose the options) (.+)$/.exec(s)
              if (m) for (const w of (m[2] as string).split(' ')) expect(words.has(w)).toBe(true)
              else expect(['choose an item', 'buy the item']).toContain(s)
            }
          }
        }
        if (spec.maxSubgoals > 1) expect(counts.size).toBeGreaterThan(1)
      }
    })
  }
})
