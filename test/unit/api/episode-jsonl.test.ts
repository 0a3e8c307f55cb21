// The JSONL line parser (core/api/episode-jsonl.ts): each kind of bad line names its field, the
// defaults of a minimal line, and verl-agent's names and action projection.
import { describe, expect, it } from 'vitest'
import {
  createLineParser,
  projectedAction,
  verlAgentEnv,
  type ParsedLine
} from '../../../core/api/episode-jsonl'

const minimal = {
  schema: 'himac.episode',
  version: 1,
  env: 'webshop',
  task: 'buy a lamp',
  seed: 4,
  iteration: 0,
  phase: 'eval',
  return: 1,
  success: true,
  length: 1,
  steps: [
    {
      t: 0,
      observation: 'Search',
      admissible: ['search[lamp]'],
      action: 'search[lamp]',
      reward: 1,
      done: true
    }
  ]
}

const issues = (r: ParsedLine): string[] =>
  r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`)

describe('himac.episode lines', () => {
  const parse = createLineParser()
  it("version 2 adds the steps' <sub_done> choices; version 1 lines still read, without them", () => {
    const choices = [[{ action: '<sub_done>', prob: 1 }]]
    const step = { ...minimal.steps[0]!, subDoneChoices: choices }
    const v2 = parse(JSON.stringify({ ...minimal, version: 2, steps: [step] }))
    expect(v2.ok && v2.line.schema === 'himac.episode' && v2.line.steps[0]?.subDoneChoices).toEqual(
      choices
    )
    expect(issues(parse(JSON.stringify({ ...minimal, steps: [step] })))).toEqual([
      'steps[0].subDoneChoices: subDoneChoices came with version 2; this line says version 1'
    ])
    expect(issues(parse(JSON.stringify({ ...minimal, version: 3 })))).toEqual([
      'version: himac.episode version 3 is not supported (this build reads version 1 and 2)'
    ])
  })

  it('fill in the optional fields', () => {
    const r = parse(JSON.stringify(minimal))
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.line).toMatchObject({ memberIndex: 0, blueprint: null, group: null, algo: null })
    expect(r.line.steps[0]).toMatchObject({
      subgoalIndex: null,
      subDone: false,
      logProb: null,
      view: null,
      candidates: null,
      invalid: false
    })
  })
  it.each([
    ['{"schema":', /^\(line\): not JSON/],
    ['[1, 2]', /^\(line\): expected one JSON object/],
    [
      JSON.stringify({ ...minimal, version: 3 }),
      /^version: himac.episode version 3 is not supported/
    ],
    [JSON.stringify({ ...minimal, colour: 'red' }), /^\(line\): .*colour/],
    [JSON.stringify({ ...minimal, env: 'chess' }), /^env: /],
    [JSON.stringify({ ...minimal, length: 3 }), /^steps: 1 steps for length 3/],
    [
      JSON.stringify({ ...minimal, steps: [{ ...minimal.steps[0], t: 5 }] }),
      /^steps\[0\]\.t: expected t = 0/
    ],
    [JSON.stringify({ ...minimal, return: '1' }), /^return: /]
  ])('%s is refused, naming the field', (text, re) => {
    expect(issues(parse(text)).join('\n')).toMatch(re)
  })
})

describe('verl-agent lines', () => {
  it('map env names and project actions as verl-agent does', () => {
    expect(verlAgentEnv('alfworld/AlfredTWEnv')).toBe('alfworld')
    expect(verlAgentEnv('WebShop')).toBe('webshop')
    expect(verlAgentEnv('gym_cards')).toBeNull()
    expect(projectedAction('<think>x</think><action> Go To Desk 1 </action>')).toBe('go to desk 1')
    expect(projectedAction('no tags')).toBeNull()
  })
  it('refuse an unknown env and a length that disagrees', () => {
    const parse = createLineParser()
    const line = {
      schema: 'verl-agent.trajectory',
      version: 1,
      env: 'sokoban',
      uid: 'u',
      traj_uid: 't',
      episode_rewards: 0,
      episode_lengths: 2,
      won: false,
      steps: [{ anchor_obs: 'o', action: 'up', rewards: 0, dones: true }]
    }
    expect(issues(parse(JSON.stringify(line)))).toEqual(['steps: 1 steps for episode_lengths 2'])
    expect(issues(parse(JSON.stringify({ ...line, env: 'chess' })))[0]).toMatch(/^env: unknown env/)
  })
})
