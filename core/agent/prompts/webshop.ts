// WebShop prompts: verl-agent's flat templates (verbatim, agent_system/environments/prompts/webshop.py;
// note the U+2011 hyphen in "e‑commerce" and the trailing spaces) and the HiMAC planner / executor
// prompts built on them.
import {
  blueprintBlock,
  PLAN_FORMAT,
  parsePlan,
  segmentHistoryLine,
  subDoneInstruction,
  type ExecutorPromptInput
} from './hierarchical'

/** One past step: the observation the agent saw before acting, and the action it took. */
export type WebshopHistoryStep = { observation: string; action: string }

/** verl-agent falls back to the no-history template when the prompt exceeds this many characters. */
export const WEBSHOP_HISTORY_CHAR_LIMIT = 13000

const ENV_NAME = 'WebShop e\u2011commerce environment'

const THINK_ACT =
  "Now it's your turn to take one action for the current step.\n" +
  'You should first reason step-by-step about the current situation, then think carefully which admissible action best advances the shopping goal. This reasoning process MUST be enclosed within <think> </think> tags. \n' +
  "Once you've finished your reasoning, you should choose an admissible action for current step and present it within <action> </action> tags."

/** `available_actions`: one `'action',` per line. */
export function formatWebshopActions(actions: readonly string[]): string {
  return actions.map((a) => `'${a}',`).join('\n')
}

const actionsBlock = (actions: readonly string[]): string =>
  `Your admissible actions of the current situation are: \n[\n${formatWebshopActions(actions)}\n].\n\n`

/** verl-agent's `SimpleMemory.fetch` lines for the last `historyLength` steps (numbered from 1). */
export function formatWebshopHistory(
  history: readonly WebshopHistoryStep[],
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

export type WebshopFlatPromptInput = {
  /** The instruction (env reset's `task`); the template adds the final period. */
  task: string
  /** verl-agent's formatted observation (the env's default `observation`). */
  observation: string
  admissibleActions: readonly string[]
  /** All steps taken so far in the episode (only the last `historyLength` are shown). */
  history: readonly WebshopHistoryStep[]
  historyLength?: number
}

/**
 * WEBSHOP_TEMPLATE_NO_HIS on the first step, WEBSHOP_TEMPLATE afterwards (verl-agent, verbatim),
 * falling back to the no-history template past 13,000 characters as verl-agent does.
 */
export function buildWebshopFlatPrompt(input: WebshopFlatPromptInput): string {
  const historyLength = input.historyLength ?? 2
  const noHistory =
    `\nYou are an expert autonomous agent operating in the ${ENV_NAME}. \n` +
    `Your task is to: ${input.task}.\n` +
    `Your current observation is: ${input.observation}.\n` +
    actionsBlock(input.admissibleActions) +
    THINK_ACT +
    '\n'
  if (input.history.length === 0 || historyLength <= 0) return noHistory
  const stepCount = input.history.length
  const shown = Math.min(stepCount, historyLength)
  const withHistory =
    `\nYou are an expert autonomous agent operating in the ${ENV_NAME}.\n` +
    `Your task is to: ${input.task}.\n` +
    `Prior to this step, you have already taken ${stepCount} step(s). Below are the most recent ${shown} observations and the corresponding actions you took: ${formatWebshopHistory(input.history, historyLength)}\n` +
    `You are now at step ${stepCount + 1} and your current observation is: ${input.observation}.\n` +
    actionsBlock(input.admissibleActions) +
    THINK_ACT +
    '\n'
  return withHistory.length > WEBSHOP_HISTORY_CHAR_LIMIT ? noHistory : withHistory
}

/** Planner prompt: the instruction only (the first page is always the empty search page). */
export function buildWebshopPlannerPrompt(task: string): string {
  return (
    `\nYou are an expert planner for an autonomous agent operating in the ${ENV_NAME}.\n` +
    `Your task is to: ${task}.\n\n` +
    'Write a blueprint for the agent: a short numbered list of subgoals that together complete the purchase, ' +
    'in the order the agent should achieve them (for example: search with the key words of the instruction, ' +
    'open the result that matches the product type and attributes within the price limit, choose each requested ' +
    'option, buy it).\n' +
    PLAN_FORMAT
  )
}

/** Subgoals parsed from a planner response: the numbered lines inside <plan> … </plan>. */
export const parseWebshopPlan = parsePlan

export type WebshopExecutorPromptInput = ExecutorPromptInput<WebshopHistoryStep>

/**
 * Executor prompt: instruction, the blueprint with the active subgoal marked, the history since the
 * active subgoal began, the observation and the admissible actions. `<sub_done>` ends the subgoal.
 */
export function buildWebshopExecutorPrompt(input: WebshopExecutorPromptInput): string {
  const historyLength = input.historyLength ?? 2
  const n = input.segmentHistory.length
  const history = segmentHistoryLine(
    n,
    historyLength,
    formatWebshopHistory(input.segmentHistory, historyLength)
  )
  return (
    `\nYou are an expert autonomous agent operating in the ${ENV_NAME}.\n` +
    `Your task is to: ${input.task}.\n` +
    blueprintBlock(input) +
    `${history}\n` +
    `Your current observation is: ${input.observation}.\n` +
    actionsBlock(input.admissibleActions) +
    THINK_ACT +
    '\n' +
    subDoneInstruction('action')
  )
}
