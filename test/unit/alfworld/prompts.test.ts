import { describe, expect, it } from 'vitest'
import {
  buildAlfworldExecutorPrompt,
  buildAlfworldFlatPrompt,
  buildAlfworldPlannerPrompt,
  formatAlfworldAdmissible,
  parseAlfworldPlan
} from '../../../core/agent/prompts/alfworld'
import { createAlfworldEnv } from '../../../core/envs/alfworld'

const TAIL =
  "Now it's your turn to take an action.\n" +
  'You should first reason step-by-step about the current situation. This reasoning process MUST be enclosed within <think> </think> tags. \n' +
  "Once you've finished your reasoning, you should choose an admissible action for current step and present it within <action> </action> tags.\n"

describe('ALFWorld prompts', () => {
  it('formats admissible actions as verl-agent (quoted, "\\n " joined, no help)', () => {
    expect(formatAlfworldAdmissible(['go to desk 1', 'help', 'look'])).toBe(
      "'go to desk 1'\n 'look'"
    )
  })

  it('first step: ALFWORLD_TEMPLATE_NO_HIS verbatim', () => {
    const p = buildAlfworldFlatPrompt({
      task: 't.',
      observation: 'OBS',
      admissibleActions: ['look', 'help'],
      history: []
    })
    expect(p).toBe(
      '\nYou are an expert agent operating in the ALFRED Embodied Environment.\n' +
        'Your current observation is: OBS\n' +
        "Your admissible actions of the current situation are: ['look'].\n\n" +
        TAIL
    )
  })

  it('later steps: ALFWORLD_TEMPLATE with the last two steps', () => {
    const history = [
      { observation: 'o1', action: 'a1' },
      { observation: 'o2', action: 'a2' },
      { observation: 'o3', action: 'a3' }
    ]
    const p = buildAlfworldFlatPrompt({
      task: 'put a apple in fridge.',
      observation: 'o4',
      admissibleActions: ['inventory', 'look'],
      history
    })
    expect(p).toBe(
      '\nYou are an expert agent operating in the ALFRED Embodied Environment. Your task is to: put a apple in fridge.\n' +
        "Prior to this step, you have already taken 3 step(s). Below are the most recent 2 observations and the corresponding actions you took: [Observation 2: 'o2', Action 2: 'a2']\n[Observation 3: 'o3', Action 3: 'a3']\n" +
        'You are now at step 4 and your current observation is: o4\n' +
        "Your admissible actions of the current situation are: ['inventory'\n 'look'].\n\n" +
        TAIL
    )
  })

  it('planner and executor prompts carry what the trainer needs', () => {
    const env = createAlfworldEnv({ taskTypes: ['pick_heat_then_place_in_recep'] })
    const reset = env.reset(3)
    const planner = buildAlfworldPlannerPrompt(reset.task, reset.observation)
    expect(planner).toContain(`Your task is to: ${reset.task}`)
    expect(planner).toContain(reset.observation)
    expect(planner).toContain('<plan>')
    const expert = env.expert?.() ?? []
    const response = `<think>x</think><plan>\n${expert.map((s, i) => `${i + 1}. ${s.subgoal}`).join('\n')}\n</plan>`
    const blueprint = parseAlfworldPlan(response)
    expect(blueprint?.subgoals).toEqual(expert.map((s) => s.subgoal))
    expect(parseAlfworldPlan('no plan here')).toBeNull()
    const step = env.step(expert[0]?.actions[0] as string)
    const exec = buildAlfworldExecutorPrompt({
      task: reset.task,
      blueprint: blueprint ?? { subgoals: [] },
      activeSubgoal: 1,
      segmentHistory: [{ observation: reset.observation, action: expert[0]?.actions[0] as string }],
      observation: step.observation,
      admissibleActions: step.admissibleActions
    })
    expect(exec).toContain(`Your task is to: ${reset.task}`)
    expect(exec).toContain(`-> 2. ${expert[1]?.subgoal}  [active]`)
    expect(exec).toContain(`Your active subgoal is: ${expert[1]?.subgoal}`)
    expect(exec).toContain(`Action 1: '${expert[0]?.actions[0]}'`)
    expect(exec).toContain(`Your current observation is: ${step.observation}`)
    expect(exec).toContain('<sub_done>')
    expect(exec).not.toContain("'help'")
  })
})
