// Pieces shared by every environment's planner and executor prompts (HiMAC macro / micro policy).
import { formatBlueprint, SUB_DONE, type Blueprint } from '../blueprint'

/** The answer format asked of the planner: reasoning, then a numbered plan in <plan> tags. */
export const PLAN_FORMAT =
  'You should first reason step-by-step about the task. This reasoning process MUST be enclosed within <think> </think> tags. \n' +
  'Then present the blueprint within <plan> </plan> tags, one subgoal per line, each line starting with its number and a period ("1. ").\n'

/** Subgoals parsed from a planner response: the numbered lines inside <plan> … </plan>. */
export function parsePlan(response: string): Blueprint | null {
  const m = /<plan>([\s\S]*?)<\/plan>/i.exec(response)
  if (!m) return null
  const subgoals = (m[1] ?? '')
    .split('\n')
    .map((line) => /^\s*\d+\.\s*(.+?)\s*$/.exec(line)?.[1])
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
  return subgoals.length > 0 ? { subgoals } : null
}

/** The executor's history since the active subgoal began (`formatted` = the env's history text). */
export function segmentHistoryLine(
  steps: number,
  historyLength: number,
  formatted: string
): string {
  return steps === 0
    ? 'You have not taken any step for this subgoal yet.'
    : `Since this subgoal began you have taken ${steps} step(s). Below are the most recent ${Math.min(steps, historyLength)} observations and the corresponding actions you took: ${formatted}`
}

/** The closing instruction that lets the executor end the active subgoal. */
export function subDoneInstruction(noun: 'command' | 'action'): string {
  return `If the active subgoal is already achieved, answer ${SUB_DONE} inside the action tags instead of ${noun === 'command' ? 'a command' : 'an action'}.\n`
}

/** What every executor prompt is built from; `Step` is the environment's history record. */
export type ExecutorPromptInput<Step> = {
  task: string
  blueprint: Blueprint
  activeSubgoal: number
  /** Steps taken since the active subgoal began (only the last `historyLength` are shown). */
  segmentHistory: readonly Step[]
  observation: string
  admissibleActions: readonly string[]
  historyLength?: number
}

/** The executor's blueprint block: the numbered subgoals with the active one marked, then its text. */
export function blueprintBlock(input: ExecutorPromptInput<unknown>): string {
  const active = input.blueprint.subgoals[input.activeSubgoal] ?? input.task
  return (
    `Your blueprint (the active subgoal is marked):\n${formatBlueprint(input.blueprint, input.activeSubgoal)}\n` +
    `Your active subgoal is: ${active}\n`
  )
}
