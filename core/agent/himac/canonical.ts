// Canonical blueprints of demonstrator episodes, in the plan grammar's phrasing: every step gets
// the phrase of what it serves (null: the step continues the segment before it), and runs of one
// phrase become one segment. The planner is cloned onto the phrases; the executor's `<sub_done>`
// follows each segment's last step.
import type { Blueprint } from '../blueprint'
import type { DemoEpisode } from '../demonstrators'
import { typeOf } from '../demonstrators/alfworld/parse'
import { constrainedQueryWords } from '../lm/constraint'
import type { Tokenizer } from '../tokenizer'
import {
  alfworldPhrase,
  DEFAULT_PLAN_OPTION_WORDS,
  DEFAULT_PLAN_QUERY_WORDS,
  WEBSHOP_BUY,
  WEBSHOP_CHOOSE_ITEM,
  WEBSHOP_OPTIONS,
  WEBSHOP_SEARCH,
  webshopOptionsPhrase,
  webshopOptionValues,
  webshopOptionWords,
  type AlfworldTransform,
  type PlanSpec,
  type WebshopSubgoalWords
} from './phrases'
import { sokobanStepPhrases } from './canonical-sokoban'

export type PlanSegment = { subgoal: number; firstStep: number; lastStep: number }

export type CanonicalPlan = Blueprint & { segments: PlanSegment[] }

export type CanonicalOptions = {
  maxQueryWords?: number
  maxOptionWords?: number
  webshopSubgoals?: WebshopSubgoalWords
}

/** The planner's inputs for a demo episode: its task and first observation. */
export function planSpecOf(
  demo: DemoEpisode,
  maxSubgoals: number,
  options: CanonicalOptions = {}
): PlanSpec {
  const env = demo.env
  if (env !== 'alfworld' && env !== 'webshop' && env !== 'sokoban')
    throw new Error(`unknown env ${env}`)
  return {
    env,
    task: demo.task,
    observation: demo.steps[0]?.observation ?? '',
    maxSubgoals,
    ...options
  }
}

const APPLIANCE: Record<AlfworldTransform, string> = {
  clean: 'sinkbasin',
  heat: 'microwave',
  cool: 'fridge'
}

/** An ALFWorld demo subgoal ('heat apple 1', 'go to microwave 1', …) in the grammar's words. */
function alfworldPhraseOf(subgoal: string, action: string): string | null {
  let m = /^find (\S+)$/.exec(subgoal)
  if (m) return alfworldPhrase.find(m[1] as string)
  m = /^take (\S+) \d+$/.exec(subgoal)
  if (m) return alfworldPhrase.take(m[1] as string)
  m = /^go to (.+)$/.exec(subgoal)
  if (m) return alfworldPhrase.goTo(typeOf(m[1] as string))
  m = /^(clean|heat|cool) (\S+) \d+$/.exec(subgoal)
  if (m) {
    const t = m[1] as AlfworldTransform
    const at = / with (.+)$/.exec(action)
    return alfworldPhrase.transform(t, m[2] as string, at ? typeOf(at[1] as string) : APPLIANCE[t])
  }
  m = /^put (\S+) \d+ in (.+)$/.exec(subgoal)
  if (m) return alfworldPhrase.put(m[1] as string, typeOf(m[2] as string))
  m = /^use (\S+) \d+$/.exec(subgoal)
  if (m) return alfworldPhrase.use(m[1] as string)
  return null
}

function webshopPhraseOf(
  tokenizer: Tokenizer,
  instruction: string,
  subgoal: string,
  action: string,
  options: CanonicalOptions
): string | null {
  const byValue = options.webshopSubgoals === 'values'
  let m = /^Search for "(.*)"$/s.exec(subgoal)
  if (m) {
    const max = options.maxQueryWords ?? DEFAULT_PLAN_QUERY_WORDS
    const all = constrainedQueryWords(
      tokenizer,
      m[1] as string,
      instruction,
      byValue ? Infinity : max
    )
    const words = byValue ? [...new Set(all)].slice(0, max) : all
    return words.length === 0 ? null : `${WEBSHOP_SEARCH} ${words.join(' ')}`
  }
  if (subgoal.startsWith('Select item ')) return WEBSHOP_CHOOSE_ITEM
  m = /^Choose options (.*)$/s.exec(subgoal)
  // One subgoal per asked value the step clicks; a click on another value continues the segment.
  if (m && byValue) {
    const clicked = /^click\[(.*)\]$/.exec(action)?.[1]?.toLowerCase()
    return clicked !== undefined && webshopOptionValues(instruction).includes(clicked)
      ? webshopOptionsPhrase([clicked])
      : null
  }
  if (m) {
    const allowed = new Set(webshopOptionWords(instruction))
    const values = (m[1] as string)
      .split(', ')
      .map((pair) => pair.slice(pair.indexOf(': ') + 2))
      .join(' ')
    const words = constrainedQueryWords(tokenizer, values, instruction, Number.MAX_SAFE_INTEGER)
      .filter((w) => allowed.has(w))
      .slice(0, options.maxOptionWords ?? DEFAULT_PLAN_OPTION_WORDS)
    return words.length === 0 ? null : `${WEBSHOP_OPTIONS} ${words.join(' ')}`
  }
  if (subgoal === 'Buy the item') return WEBSHOP_BUY
  return null
}

/** Per-step phrases → segments; leading null steps join the first phrase. */
export function segmentSteps(phrases: readonly (string | null)[]): CanonicalPlan {
  const subgoals: string[] = []
  const segments: PlanSegment[] = []
  let pending = 0
  phrases.forEach((p, step) => {
    const last = segments[segments.length - 1]
    if (p === null || (last !== undefined && subgoals[last.subgoal] === p)) {
      if (last) last.lastStep = step
      else pending++
      return
    }
    subgoals.push(p)
    segments.push({ subgoal: subgoals.length - 1, firstStep: step - pending, lastStep: step })
    pending = 0
  })
  if (segments.length === 0) throw new Error('no step of the episode has a subgoal phrase')
  return { subgoals, segments }
}

/**
 * The canonical blueprint of a demonstrator episode and which steps serve each subgoal (every step
 * in exactly one segment, in order). Throws when no step maps to a phrase.
 */
export function canonicalPlan(
  tokenizer: Tokenizer,
  demo: DemoEpisode,
  options: CanonicalOptions = {}
): CanonicalPlan {
  const steps = demo.steps.slice(0, demo.length)
  const subgoalOf = (i: number | null | undefined): string =>
    i === undefined || i === null ? '' : (demo.subgoals[i]?.subgoal ?? '')
  switch (demo.env) {
    case 'alfworld':
      return segmentSteps(steps.map((s) => alfworldPhraseOf(subgoalOf(s.subgoalIndex), s.action)))
    case 'webshop':
      return segmentSteps(
        steps.map((s) =>
          webshopPhraseOf(tokenizer, demo.task, subgoalOf(s.subgoalIndex), s.action, options)
        )
      )
    case 'sokoban':
      return segmentSteps(sokobanStepPhrases(demo.steps))
    default:
      throw new Error(`unknown env ${demo.env}`)
  }
}
