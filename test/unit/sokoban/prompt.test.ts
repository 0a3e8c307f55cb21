import { describe, expect, it } from 'vitest'
import {
  buildSokobanPrompt,
  formatSokobanHistory,
  parseSokobanAction,
  projectSokobanAction,
  SOKOBAN_TEMPLATE,
  SOKOBAN_TEMPLATE_NO_HIS,
  sokobanHistoryActionName
} from '../../../core/agent/prompts/sokoban'
import { createSokobanEnv } from '../../../core/envs/sokoban'
import { SPEC_EXAMPLE_TEXT } from './helpers'

const THINK_LINE =
  'You should first reason step-by-step about the current situation — observe the positions of boxes and targets, plan a path to push a box toward a target, and avoid traps like corners or walls. This reasoning process MUST be enclosed within <think> </think> tags. '

describe('verl-agent Sokoban prompt templates', () => {
  it('start and end with a newline and keep the trailing space after "tags."', () => {
    for (const t of [SOKOBAN_TEMPLATE, SOKOBAN_TEMPLATE_NO_HIS]) {
      expect(
        t.startsWith('\nYou are an expert agent operating in the Sokoban environment.\n\n')
      ).toBe(true)
      expect(t.endsWith('present it within <action> </action> tags.\n')).toBe(true)
      expect(t.split('\n')).toContain(THINK_LINE)
      expect(t).toContain('- Box on Target (`√`): A box successfully placed on a target.\n')
      expect(t).toContain('Your admissible actions are ["up", "down", "left", "right"].\n\n')
    }
    expect(SOKOBAN_TEMPLATE).toContain(
      '# Current Step\nPrior to this step, you have already taken {step_count} step(s). Below are the most recent {history_length} observations and the corresponding actions you took: {action_history}\nYou are now at step {current_step} and your current observation is:\n{current_observation}\n'
    )
    expect(SOKOBAN_TEMPLATE_NO_HIS).toContain(
      '# Current Step\nYour current observation is:\n{current_observation}\nYour admissible'
    )
    // The two differ only in the "# Current Step" lines.
    expect(SOKOBAN_TEMPLATE.split('\n')).toHaveLength(
      SOKOBAN_TEMPLATE_NO_HIS.split('\n').length + 1
    )
  })

  it('uses the no-history template on the first step', () => {
    const prompt = buildSokobanPrompt({ observation: SPEC_EXAMPLE_TEXT })
    expect(prompt).toBe(SOKOBAN_TEMPLATE_NO_HIS.replace('{current_observation}', SPEC_EXAMPLE_TEXT))
    expect(
      buildSokobanPrompt({
        observation: 'x',
        history: [{ observation: 'a', action: 'up' }],
        historyLength: 0
      })
    ).toBe(SOKOBAN_TEMPLATE_NO_HIS.replace('{current_observation}', 'x'))
  })

  it('formats the most recent N steps as SimpleMemory.fetch does', () => {
    const history = [
      { observation: 'o1', action: 'up' },
      { observation: 'o2', action: 'garbage' },
      { observation: 'o3', action: ' LEFT ' }
    ]
    expect(formatSokobanHistory(history, 2)).toEqual({
      text: "[Observation 2: 'o2', Action 2: 'Still']\n[Observation 3: 'o3', Action 3: 'Left']",
      validLength: 2
    })
    expect(formatSokobanHistory(history.slice(0, 1), 2)).toEqual({
      text: "[Observation 1: 'o1', Action 1: 'Up']",
      validLength: 1
    })
    const prompt = buildSokobanPrompt({ observation: 'NOW', history })
    expect(prompt).toContain(
      "Prior to this step, you have already taken 3 step(s). Below are the most recent 2 observations and the corresponding actions you took: [Observation 2: 'o2', Action 2: 'Still']\n[Observation 3: 'o3', Action 3: 'Left']\nYou are now at step 4 and your current observation is:\nNOW\nYour admissible"
    )
  })

  it('does not substitute placeholders that appear inside values', () => {
    const prompt = buildSokobanPrompt({
      observation: '{step_count}',
      history: [{ observation: '{current_step}', action: 'down' }]
    })
    expect(prompt).toContain("[Observation 1: '{current_step}', Action 1: 'Down']")
    expect(prompt).toContain('current observation is:\n{step_count}\n')
  })

  it('builds a real episode prompt from env observations', () => {
    const env = createSokobanEnv()
    const first = env.reset(11)
    const step = env.step('left')
    const prompt = buildSokobanPrompt({
      observation: step.observation,
      history: [{ observation: first.observation, action: 'left' }]
    })
    expect(prompt).toContain(`[Observation 1: '${first.observation}', Action 1: 'Left']`)
    expect(prompt).toContain(`current observation is:\n${step.observation}\nYour admissible`)
  })

  it('maps history actions to verl-agent names', () => {
    expect(
      ['up', 'Down', 'LEFT', 'right', 'still', null, ''].map(sokobanHistoryActionName)
    ).toEqual(['Up', 'Down', 'Left', 'Right', 'Still', 'Still', 'Still'])
  })
})

describe('verl-agent Sokoban action projection', () => {
  it('extracts the action between the first <action> and </action>, case-insensitively', () => {
    expect(parseSokobanAction('<think>push it</think><action>Up</action>')).toBe('up')
    expect(parseSokobanAction('<THINK>x</THINK> <ACTION> RIGHT </ACTION>')).toBe('right')
    expect(parseSokobanAction('<action>move down</action><action>left</action>')).toBe('down')
    expect(projectSokobanAction('<think>a</think><action>left</action>')).toEqual({
      action: 'left',
      valid: true
    })
  })

  it('checks the pool in the order up, down, left, right, still (not text order)', () => {
    expect(parseSokobanAction('<action>left or up</action>')).toBe('up')
    expect(parseSokobanAction('<action>rightdown</action>')).toBe('down')
    // "upright" contains "up" first in pool order.
    expect(parseSokobanAction('<action>upright</action>')).toBe('up')
    expect(projectSokobanAction('<think></think><action>still</action>')).toEqual({
      action: 'still',
      valid: true
    })
  })

  it('returns null (action 0, invalid) without both tags or without a pool word', () => {
    expect(projectSokobanAction('up')).toEqual({ action: null, valid: false })
    expect(projectSokobanAction('<think>x</think><action>up')).toEqual({
      action: null,
      valid: false
    })
    expect(projectSokobanAction('<think>x</think><action>north</action>')).toEqual({
      action: null,
      valid: false
    })
    // End tag before start tag: Python's slice is empty.
    expect(projectSokobanAction('</action> up <action>')).toEqual({ action: null, valid: false })
  })

  it('marks the format invalid when <think>…</think> is missing (checked case-sensitively)', () => {
    expect(projectSokobanAction('<action>up</action>')).toEqual({ action: 'up', valid: false })
    expect(projectSokobanAction('<think>x<action>up</action>')).toEqual({
      action: 'up',
      valid: false
    })
    expect(projectSokobanAction('<THINK>x</THINK><action>up</action>')).toEqual({
      action: 'up',
      valid: false
    })
  })
})
