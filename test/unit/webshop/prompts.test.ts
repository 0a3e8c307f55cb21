import { describe, expect, it } from 'vitest'
import {
  buildWebshopExecutorPrompt,
  buildWebshopFlatPrompt,
  buildWebshopPlannerPrompt,
  parseWebshopPlan,
  WEBSHOP_HISTORY_CHAR_LIMIT
} from '../../../core/agent/prompts/webshop'
import { createWebshopEnvFromSource } from '../../../core/envs/webshop/env'

const THINK =
  "Now it's your turn to take one action for the current step.\n" +
  'You should first reason step-by-step about the current situation, then think carefully which admissible action best advances the shopping goal. This reasoning process MUST be enclosed within <think> </think> tags. \n' +
  "Once you've finished your reasoning, you should choose an admissible action for current step and present it within <action> </action> tags.\n"

describe('verl-agent WebShop prompt', () => {
  it('WEBSHOP_TEMPLATE_NO_HIS verbatim (U+2011 hyphen, trailing spaces)', () => {
    const p = buildWebshopFlatPrompt({
      task: 'i need a red shirt',
      observation: "'Search'",
      admissibleActions: ['search[<your query>]', 'click[search]'],
      history: []
    })
    expect(p).toBe(
      '\nYou are an expert autonomous agent operating in the WebShop e\u2011commerce environment. \n' +
        'Your task is to: i need a red shirt.\n' +
        "Your current observation is: 'Search'.\n" +
        'Your admissible actions of the current situation are: \n' +
        "[\n'search[<your query>]',\n'click[search]',\n].\n\n" +
        THINK
    )
    expect(p).toContain('e‑commerce')
    expect(p).not.toContain('e-commerce')
  })

  it('WEBSHOP_TEMPLATE with the last two steps', () => {
    const p = buildWebshopFlatPrompt({
      task: 't',
      observation: 'o3',
      admissibleActions: ['click[a]'],
      history: [
        { observation: 'o0', action: 'a0' },
        { observation: 'o1', action: 'a1' },
        { observation: 'o2', action: 'a2' }
      ]
    })
    expect(p).toBe(
      '\nYou are an expert autonomous agent operating in the WebShop e\u2011commerce environment.\n' +
        'Your task is to: t.\n' +
        "Prior to this step, you have already taken 3 step(s). Below are the most recent 2 observations and the corresponding actions you took: [Observation 2: 'o1', Action 2: 'a1']\n[Observation 3: 'o2', Action 3: 'a2']\n" +
        'You are now at step 4 and your current observation is: o3.\n' +
        "Your admissible actions of the current situation are: \n[\n'click[a]',\n].\n\n" +
        THINK
    )
  })

  it('falls back to the no-history template past 13,000 characters', () => {
    const long = 'x'.repeat(WEBSHOP_HISTORY_CHAR_LIMIT)
    const p = buildWebshopFlatPrompt({
      task: 't',
      observation: 'o',
      admissibleActions: [],
      history: [{ observation: long, action: 'a' }]
    })
    expect(p).not.toContain('Prior to this step')
    expect(p).toContain('environment. \n')
  })

  it('takes the env observation and admissible actions as they come', () => {
    const env = createWebshopEnvFromSource({ split: 'test' })
    const r = env.reset(1)
    const p = buildWebshopFlatPrompt({
      task: r.task,
      observation: r.observation,
      admissibleActions: r.admissibleActions,
      history: []
    })
    expect(p).toContain(`Your task is to: ${r.task}.\n`)
    expect(p).toContain("[\n'search[<your query>]',\n'click[search]',\n]")
  })
})

describe('planner / executor prompts', () => {
  it('planner asks for a numbered <plan>; the parser reads it back', () => {
    const p = buildWebshopPlannerPrompt('i need a red shirt')
    expect(p).toContain('Your task is to: i need a red shirt.')
    expect(p).toContain('<plan> </plan>')
    expect(
      parseWebshopPlan('<think>x</think><plan>\n1. search red shirt\n2. buy it\n</plan>')
    ).toEqual({
      subgoals: ['search red shirt', 'buy it']
    })
    expect(parseWebshopPlan('no plan')).toBeNull()
  })

  it('executor shows the blueprint, the active subgoal, the segment history and <sub_done>', () => {
    const p = buildWebshopExecutorPrompt({
      task: 'i need a red shirt',
      blueprint: { subgoals: ['search', 'open the red shirt', 'buy'] },
      activeSubgoal: 1,
      segmentHistory: [{ observation: "'Search'", action: 'search[red shirt]' }],
      observation: "'Back to Search'",
      admissibleActions: ['click[back to search]']
    })
    expect(p).toContain('-> 2. open the red shirt  [active]')
    expect(p).toContain('Your active subgoal is: open the red shirt\n')
    expect(p).toContain("[Observation 1: ''Search'', Action 1: 'search[red shirt]']")
    expect(p).toContain('<sub_done>')
    expect(p).toContain("[\n'click[back to search]',\n]")
  })
})
