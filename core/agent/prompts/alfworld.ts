// ALFWorld prompts: verl-agent's flat templates (verbatim, agent_system/environments/prompts) and
// the HiMAC planner / executor prompts built on them.
import {
  blueprintBlock,
  PLAN_FORMAT,
  parsePlan,
  segmentHistoryLine,
  subDoneInstruction,
  type ExecutorPromptInput
} from './hierarchical'

/** One past step: the observation the agent saw before acting, and the action it took. */
export type AlfworldHistoryStep = { observation: string; action: string }

const THINK_ACT =
  'You should first reason step-by-step about the current situation. This reasoning process MUST be enclosed within <think> </think> tags. \n' +
  "Once you've finished your reasoning, you should choose an admissible action for current step and present it within <action> </action> tags."

/** verl-agent's admissible list: `'a'` items joined by "\n ", without `help`. */
export function formatAlfworldAdmissible(actions: readonly string[]): string {
  return actions
    .filter((a) => a !== 'help')
    .map((a) => `'${a}'`)
    .join('\n ')
}

/** verl-agent's `SimpleMemory.fetch` lines for the last `historyLength` steps (numbered from 1). */
export function formatAlfworldHistory(
  history: readonly AlfworldHistoryStep[],
  historyLength: number
): string {
  const start = Math.max(0, history.length - historyLength)
  return history
    .slice(start)
    .map((h, j) => {
      const k = start + j + 1
      return `[Observation ${k}: '${h.observation}', Action ${k}: '${h.action}']`
    })
    .join('\n')
}

export type AlfworldFlatPromptInput = {
  /** Task text after 'Your task is to: ' (env reset's `task`). */
  task: string
  observation: string
  admissibleActions: readonly string[]
  /** All steps taken so far in the episode (only the last `historyLength` are shown). */
  history: readonly AlfworldHistoryStep[]
  historyLength?: number
}

/** ALFWORLD_TEMPLATE_NO_HIS on the first step, ALFWORLD_TEMPLATE afterwards (verl-agent, verbatim). */
export function buildAlfworldFlatPrompt(input: AlfworldFlatPromptInput): string {
  const historyLength = input.historyLength ?? 2
  const actions = formatAlfworldAdmissible(input.admissibleActions)
  if (input.history.length === 0) {
    return (
      '\nYou are an expert agent operating in the ALFRED Embodied Environment.\n' +
      `Your current observation is: ${input.observation}\n` +
      `Your admissible actions of the current situation are: [${actions}].\n\n` +
      "Now it's your turn to take an action.\n" +
      THINK_ACT +
      '\n'
    )
  }
  const stepCount = input.history.length
  // verl-agent fills {history_length} with the number of records fetched (valid_lens)
  const shown = Math.min(stepCount, historyLength)
  return (
    `\nYou are an expert agent operating in the ALFRED Embodied Environment. Your task is to: ${input.task}\n` +
    `Prior to this step, you have already taken ${stepCount} step(s). Below are the most recent ${shown} observations and the corresponding actions you took: ${formatAlfworldHistory(input.history, historyLength)}\n` +
    `You are now at step ${stepCount + 1} and your current observation is: ${input.observation}\n` +
    `Your admissible actions of the current situation are: [${actions}].\n\n` +
    "Now it's your turn to take an action.\n" +
    THINK_ACT +
    '\n'
  )
}

/**
 * Planner prompt: the task and the initial observation (which lists the receptacles); the answer is
 * a numbered plan inside <plan> </plan>.
 */
export function buildAlfworldPlannerPrompt(task: string, observation: string): string {
  return (
    '\nYou are an expert planner for an agent operating in the ALFRED Embodied Environment.\n' +
    `Your task is to: ${task}\n` +
    `The initial observation is: ${observation}\n\n` +
    'Write a blueprint for the agent: a short numbered list of subgoals that together complete the task, ' +
    'in the order the agent should achieve them (for example: find the object, take it, go to an appliance ' +
    'and clean, heat or cool it, go to the target receptacle, put it there, confirm).\n' +
    PLAN_FORMAT
  )
}

/** Subgoals parsed from a planner response: the numbered lines inside <plan> … </plan>. */
export const parseAlfworldPlan = parsePlan

export type AlfworldExecutorPromptInput = ExecutorPromptInput<AlfworldHistoryStep>

/**
 * Executor prompt: task, the blueprint with the active subgoal marked, the history since the active
 * subgoal began, the observation and the admissible actions. `<sub_done>` ends the active subgoal.
 */
export function buildAlfworldExecutorPrompt(input: AlfworldExecutorPromptInput): string {
  const historyLength = input.historyLength ?? 2
  const n = input.segmentHistory.length
  const history = segmentHistoryLine(
    n,
    historyLength,
    formatAlfworldHistory(input.segmentHistory, historyLength)
  )
  return (
    `\nYou are an expert agent operating in the ALFRED Embodied Environment. Your task is to: ${input.task}\n` +
    blueprintBlock(input) +
    `${history}\n` +
    `Your current observation is: ${input.observation}\n` +
    `Your admissible actions of the current situation are: [${formatAlfworldAdmissible(input.admissibleActions)}].\n\n` +
    "Now it's your turn to take an action.\n" +
    THINK_ACT +
    '\n' +
    subDoneInstruction('command')
  )
}
