// The subgoal phrases a HiMAC planner may write, per env: type-level (no instance numbers), made of
// a fixed verb set and words read from the task and the first observation only.
import { askedOptions } from '../demonstrators/webshop/parse'
import { parseRoom, parseTask, typeOf } from '../demonstrators/alfworld/parse'
import { instructionWords } from '../lm/constraint'
import type { EnvKind } from '../../envs/env'

export type PlanSpec = {
  env: EnvKind
  /** The task text (ALFWorld goal sentence, WebShop instruction; unused for Sokoban). */
  task: string
  /** The first observation (ALFWorld's receptacle list, Sokoban's room). */
  observation: string
  /** Most subgoals (K) in a blueprint. */
  maxSubgoals: number
  /** WebShop: most words after `search for` (default: the LM agent's maxQueryWords, 8). */
  maxQueryWords?: number
  /** WebShop: most words after `choose the options` (default 6). */
  maxOptionWords?: number
  /**
   * WebShop: 'words' — `search for` and `choose the options` take the instruction's (the asked
   * values') words freely, repeats included; 'values' — the query's words are distinct and
   * `choose the options` names 1…n of the asked values whole, each at most once, in any order
   * (the demonstrations then choose one value per subgoal: canonical.ts).
   */
  webshopSubgoals?: WebshopSubgoalWords
}

export type WebshopSubgoalWords = 'words' | 'values'

export const DEFAULT_PLAN_QUERY_WORDS = 8
export const DEFAULT_PLAN_OPTION_WORDS = 6
/** 'values' phrases name at most this many asked values (4 give 64 phrases). */
export const MAX_PLAN_OPTION_VALUES = 4

/**
 * A phrase that ends in 1…maxWords free words out of a fixed set (one word = one unit), with
 * `distinct` no word twice.
 */
export type SlotTemplate = { prefix: string; words: string[]; maxWords: number; distinct?: boolean }

export type PhraseSet = { fixed: string[]; slots: SlotTemplate[] }

export const ALFWORLD_TRANSFORMS = ['clean', 'heat', 'cool'] as const
export type AlfworldTransform = (typeof ALFWORLD_TRANSFORMS)[number]

export const alfworldPhrase = {
  find: (o: string): string => `find the ${o}`,
  take: (o: string): string => `take the ${o}`,
  goTo: (r: string): string => `go to the ${r}`,
  open: (r: string): string => `open the ${r}`,
  transform: (t: AlfworldTransform, o: string, r: string): string => `${t} the ${o} with the ${r}`,
  use: (o: string): string => `use the ${o}`,
  put: (o: string, r: string): string => `put the ${o} in the ${r}`
}

export const WEBSHOP_SEARCH = 'search for'
export const WEBSHOP_CHOOSE_ITEM = 'choose an item'
export const WEBSHOP_OPTIONS = 'choose the options'
export const WEBSHOP_BUY = 'buy the item'

export const SOKOBAN_DIRECTIONS = ['up', 'down', 'left', 'right'] as const
export type SokobanDirection = (typeof SOKOBAN_DIRECTIONS)[number]
/** The side of a box the player stands on to push it in a direction. */
export const PUSH_SIDE: Record<SokobanDirection, string> = {
  up: 'bottom',
  down: 'top',
  left: 'right',
  right: 'left'
}
/**
 * 'the box' with one box; 'box 1' … 'box n' (first-observation reading order) with several: numbers
 * are single tokens where ordinals ('second', 'third') are spelled.
 */
export function sokobanBoxName(index: number, boxes: number): string {
  return boxes <= 1 ? 'the box' : `box ${index + 1}`
}

export const sokobanPhrase = {
  walk: (side: string, box: string): string => `go to the ${side} side of ${box}`,
  push: (box: string, dir: SokobanDirection): string => `push ${box} ${dir}`
}

/** Boxes (on or off a target) in a rendered room text (verl or RAGEN symbols). */
export function sokobanBoxCount(observation: string): number {
  return (observation.match(/[X√]/g) ?? []).length
}

/** Object and receptacle types of an ALFWorld task: the task's object (and lamp), the room's types. */
export function alfworldTypes(
  task: string,
  observation: string
): { objects: string[]; receptacles: string[]; lamp: string | null } {
  const parsed = parseTask(task || observation)
  const receptacles = new Set(parseRoom(observation).map(typeOf))
  if (parsed?.receptacle) receptacles.add(parsed.receptacle)
  const objects = parsed ? [parsed.object] : []
  if (parsed?.toggle) objects.push(parsed.toggle)
  return { objects, receptacles: [...receptacles], lamp: parsed?.toggle ?? null }
}

function alfworldPhrases(task: string, observation: string): PhraseSet {
  const { objects, receptacles, lamp } = alfworldTypes(task, observation)
  const out: string[] = []
  for (const o of objects) out.push(alfworldPhrase.find(o), alfworldPhrase.take(o))
  for (const r of receptacles) out.push(alfworldPhrase.goTo(r), alfworldPhrase.open(r))
  for (const t of ALFWORLD_TRANSFORMS)
    for (const o of objects)
      for (const r of receptacles) out.push(alfworldPhrase.transform(t, o, r))
  if (lamp !== null) out.push(alfworldPhrase.use(lamp))
  for (const o of objects) for (const r of receptacles) out.push(alfworldPhrase.put(o, r))
  return { fixed: [...new Set(out)], slots: [] }
}

/** The words of the values the instruction's `with name: value, and …` clause asks for. */
export function webshopOptionWords(instruction: string): string[] {
  return instructionWords(Object.values(askedOptions(instruction)).join(' '))
}

/** The distinct values the instruction asks for, lower case, the first MAX_PLAN_OPTION_VALUES. */
export function webshopOptionValues(instruction: string): string[] {
  const values = Object.values(askedOptions(instruction)).map((v) => v.toLowerCase())
  return [...new Set(values)].slice(0, MAX_PLAN_OPTION_VALUES)
}

/** Every non-empty ordered selection of distinct values (n = 3: 15 of them). */
function orderedSelections(values: readonly string[]): string[][] {
  const out: string[][] = []
  const grow = (prefix: string[]): void => {
    for (const v of values) {
      if (prefix.includes(v)) continue
      const next = [...prefix, v]
      out.push(next)
      grow(next)
    }
  }
  grow([])
  return out
}

export const webshopOptionsPhrase = (values: readonly string[]): string =>
  `${WEBSHOP_OPTIONS} ${values.join(' ')}`

function webshopPhrases(spec: PlanSpec): PhraseSet {
  const search: SlotTemplate = {
    prefix: WEBSHOP_SEARCH,
    words: instructionWords(spec.task),
    maxWords: spec.maxQueryWords ?? DEFAULT_PLAN_QUERY_WORDS,
    distinct: spec.webshopSubgoals === 'values'
  }
  const fixed = [WEBSHOP_CHOOSE_ITEM, WEBSHOP_BUY]
  if (spec.webshopSubgoals === 'values') {
    const selections = orderedSelections(webshopOptionValues(spec.task))
    return { fixed: [...fixed, ...selections.map(webshopOptionsPhrase)], slots: [search] }
  }
  const options: SlotTemplate = {
    prefix: WEBSHOP_OPTIONS,
    words: webshopOptionWords(spec.task),
    maxWords: spec.maxOptionWords ?? DEFAULT_PLAN_OPTION_WORDS
  }
  return { fixed, slots: [search, options] }
}

function sokobanPhrases(observation: string): PhraseSet {
  const boxes = Math.max(1, sokobanBoxCount(observation))
  const out: string[] = []
  for (let b = 0; b < boxes; b++) {
    const box = sokobanBoxName(b, boxes)
    for (const d of SOKOBAN_DIRECTIONS) out.push(sokobanPhrase.walk(PUSH_SIDE[d], box))
    for (const d of SOKOBAN_DIRECTIONS) out.push(sokobanPhrase.push(box, d))
  }
  return { fixed: out, slots: [] }
}

/** The phrase templates of a task. */
export function phraseSet(spec: PlanSpec): PhraseSet {
  switch (spec.env) {
    case 'alfworld':
      return alfworldPhrases(spec.task, spec.observation)
    case 'webshop':
      return webshopPhrases(spec)
    case 'sokoban':
      return sokobanPhrases(spec.observation)
  }
}
