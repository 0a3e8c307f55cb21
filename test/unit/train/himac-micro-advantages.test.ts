// Phase B's per-decision advantages by hand: the paper's episode advantage on every decision, and
// GiGPO's per-step ones with `<sub_done>` taking the following env step's (or the episode's).
import { describe, expect, it } from 'vitest'
import { SUB_DONE } from '../../../core/agent/lm'
import { microAdvantages, type MicroMember } from '../../../core/train/himac/micro-advantages'
import type { StepRecord } from '../../../core/store/records'

const step = (t: number, observation: string, action: string, reward: number): StepRecord => ({
  t,
  observation,
  admissibleActions: [],
  action,
  reward,
  done: false
})

// Both start at anchor "x"; a reaches the goal (reward 1 on its second step), b does not.
const members: MicroMember[] = [
  {
    return: 1,
    steps: [step(0, 'x', 'up', 0), step(1, 'y', 'left', 1), step(2, 'z', '', 0)],
    decisions: [{ action: 'up' }, { action: SUB_DONE }, { action: 'left' }]
  },
  {
    return: 0,
    steps: [step(0, 'x', 'down', 0), step(1, 'w', 'right', 0), step(2, 'v', '', 0)],
    decisions: [{ action: 'down' }, { action: 'right' }, { action: SUB_DONE }]
  }
]

describe('Phase B advantages per executor decision', () => {
  it("'episode': the group-relative return on every decision, <sub_done> included", () => {
    const r = microAdvantages('episode', 'mean', members)
    expect(r.perDecision).toEqual([
      [0.5, 0.5, 0.5],
      [-0.5, -0.5, -0.5]
    ])
    expect(r.perStep).toEqual([
      [0.5, 0.5],
      [-0.5, -0.5]
    ])
    expect(r.zeroVariance).toBe(false)
  })

  it("'gigpo': the anchor term at x (step returns 0.95 and 0, mean 0.475) on top", () => {
    const r = microAdvantages('gigpo', 'mean', members)
    const close = (xs: number[][]) => xs.map((row) => row.map((x) => Math.round(x * 1e6) / 1e6))
    expect(close(r.perStep)).toEqual([
      [0.975, 0.5],
      [-0.975, -0.5]
    ])
    // a's <sub_done> takes its next step's (0.5); b's comes last and takes b's episode term (−0.5).
    expect(close(r.perDecision)).toEqual([
      [0.975, 0.5, 0.5],
      [-0.975, -0.5, -0.5]
    ])
  })

  it('refuses decisions that do not match the env steps', () => {
    const bad = [{ ...members[0]!, decisions: [{ action: 'up' }] }, members[1]!]
    expect(() => microAdvantages('gigpo', 'mean', bad)).toThrow(/1 env-step decisions for 2/)
  })
})
