// verl-agent's Sokoban text prompts (agent_system/environments/prompts/sokoban.py, current master),
// its history formatting (SimpleMemory.fetch) and its action projection (sokoban/projection.py).

const HEADER = [
  '',
  'You are an expert agent operating in the Sokoban environment.',
  '',
  '# Symbols and Their Meaning',
  "- Walls (`#`): These block movement. You can't move through or push anything into walls.",
  '- Floor (`_`): Open spaces where you can walk and move boxes.',
  '- Targets (`O`): The spots where boxes need to go.',
  '- Boxes (`X`): These are what you need to push onto the targets.',
  "- Player (`P`): That's you! You'll move around the grid to push boxes.",
  '- Box on Target (`√`): A box successfully placed on a target.',
  '- Player on Target (`S`): You standing on a target.',
  '',
  '# Your Goal',
  'Your goal is to push all the boxes (`X`) onto the target spots (`O`). Once all boxes are on the targets, you win!',
  '',
  '# Rules',
  "You can only push boxes. You can't pull them, so plan ahead to avoid getting stuck.",
  "You can't walk through or push boxes into walls (`#`).",
  "To avoid traps, do not push boxes into corners or against walls where they can't be moved again.",
  '',
  '# Current Step'
]

const FOOTER = [
  'Your admissible actions are ["up", "down", "left", "right"].',
  '',
  "Now it's your turn to make a move (choose ONE action only for the current step).",
  // The trailing space after "tags." is in the original.
  'You should first reason step-by-step about the current situation — observe the positions of boxes and targets, plan a path to push a box toward a target, and avoid traps like corners or walls. This reasoning process MUST be enclosed within <think> </think> tags. ',
  "Once you've finished your reasoning, you should choose an admissible action for current step and present it within <action> </action> tags.",
  ''
]

/** `SOKOBAN_TEMPLATE_NO_HIS` (first step, or history_length ≤ 0). Starts and ends with "\n". */
export const SOKOBAN_TEMPLATE_NO_HIS = [
  ...HEADER,
  'Your current observation is:',
  '{current_observation}',
  ...FOOTER
].join('\n')

/** `SOKOBAN_TEMPLATE` (later steps). Starts and ends with "\n". */
export const SOKOBAN_TEMPLATE = [
  ...HEADER,
  'Prior to this step, you have already taken {step_count} step(s). Below are the most recent {history_length} observations and the corresponding actions you took: {action_history}',
  'You are now at step {current_step} and your current observation is:',
  '{current_observation}',
  ...FOOTER
].join('\n')

/** verl-agent's env.history_length. */
export const SOKOBAN_HISTORY_LENGTH = 2

/** One past step: the grid text the agent saw before acting, and the action it sent. */
export type SokobanHistoryEntry = { observation: string; action: string | null }

export type SokobanActionName = 'Up' | 'Down' | 'Left' | 'Right' | 'Still'

/** The name verl-agent stores in its memory: the projected action's ACTION_LOOKUP entry. */
export function sokobanHistoryActionName(action: string | null): SokobanActionName {
  switch (action?.trim().toLowerCase()) {
    case 'up':
      return 'Up'
    case 'down':
      return 'Down'
    case 'left':
      return 'Left'
    case 'right':
      return 'Right'
    default:
      return 'Still'
  }
}

/**
 * `SimpleMemory.fetch`: the last `historyLength` records as
 * `[Observation k: '<obs>', Action k: '<Act>']` lines (k counts from 1 over the whole episode).
 */
export function formatSokobanHistory(
  history: readonly SokobanHistoryEntry[],
  historyLength = SOKOBAN_HISTORY_LENGTH
): { text: string; validLength: number } {
  // Python's list[-0:] is the whole list; verl-agent never fetches with history_length ≤ 0.
  const recent = historyLength > 0 ? history.slice(-historyLength) : history.slice()
  const startIndex = history.length - recent.length
  const lines = recent.map((rec, j) => {
    const k = startIndex + j + 1
    return `[Observation ${k}: '${rec.observation}', Action ${k}: '${sokobanHistoryActionName(rec.action)}']`
  })
  return { text: lines.join('\n'), validLength: recent.length }
}

/** Python `str.format` for these templates: each `{name}` replaced once, values not re-scanned. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole
  )
}

/**
 * The prompt for the current step, as `SokobanEnvironmentManager.build_text_obs` builds it: the
 * no-history template on the first step (empty history) or when `historyLength` ≤ 0, otherwise the
 * full template with the whole episode's step count and the last `historyLength` records.
 */
export function buildSokobanPrompt(args: {
  observation: string
  history?: readonly SokobanHistoryEntry[]
  historyLength?: number
}): string {
  const history = args.history ?? []
  const historyLength = args.historyLength ?? SOKOBAN_HISTORY_LENGTH
  if (history.length === 0 || historyLength <= 0) {
    return fill(SOKOBAN_TEMPLATE_NO_HIS, { current_observation: args.observation })
  }
  const { text, validLength } = formatSokobanHistory(history, historyLength)
  return fill(SOKOBAN_TEMPLATE, {
    step_count: history.length,
    history_length: validLength,
    action_history: text,
    current_step: history.length + 1,
    current_observation: args.observation
  })
}

export type SokobanProjectedAction = 'up' | 'down' | 'left' | 'right' | 'still'

/** Checked in this order, as a substring of the extracted action text ("still" = action 0). */
const ACTION_POOL: readonly SokobanProjectedAction[] = ['up', 'down', 'left', 'right', 'still']

/**
 * `sokoban_projection` for one response. `action` is null where verl-agent falls back to action 0
 * (no `<action>…</action>`, or no pool word in it); `valid` is verl-agent's format flag: an action
 * word was found and both `<think>` and `</think>` occur (case-sensitively) in the raw text.
 */
export function projectSokobanAction(text: string): {
  action: SokobanProjectedAction | null
  valid: boolean
} {
  const lower = text.toLowerCase()
  const start = lower.indexOf('<action>')
  const end = lower.indexOf('</action>')
  if (start === -1 || end === -1) return { action: null, valid: false }
  // Python slicing: an end before the start gives an empty string.
  const extracted = lower.slice(start + '<action>'.length, Math.max(end, start + '<action>'.length))
  const action = ACTION_POOL.find((a) => extracted.includes(a)) ?? null
  const hasThink = text.includes('<think>') && text.includes('</think>')
  return { action, valid: action !== null && hasThink }
}

/**
 * The env action verl-agent would take for a model response: 'up' | 'down' | 'left' | 'right' |
 * 'still', or null when nothing could be extracted. 'still' and null both become the env's
 * invalid action (no move, −0.1, step not counted).
 */
export function parseSokobanAction(text: string): SokobanProjectedAction | null {
  return projectSokobanAction(text).action
}
