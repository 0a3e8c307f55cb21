// Reading ALFWorld text the way an agent sees it: the task sentence, the receptacle list of the
// first observation, receptacle descriptions (go to / open / examine) and action feedback.
// Works for both grammars ('move X to Y' and the legacy 'put X in/on Y').

export type AlfworldTaskKind =
  | 'pick_and_place_simple'
  | 'look_at_obj_in_light'
  | 'pick_clean_then_place_in_recep'
  | 'pick_heat_then_place_in_recep'
  | 'pick_cool_then_place_in_recep'
  | 'pick_two_obj_and_place'

/** A task as read from its sentence; types are lower-case ALFRED class names ('sinkbasin'). */
export type ParsedTask = {
  kind: AlfworldTaskKind
  object: string
  /** Where the object must end up (all kinds but look). */
  receptacle: string | null
  /** The lamp type of a look task. */
  toggle: string | null
}

const TASK_PATTERNS: [RegExp, AlfworldTaskKind][] = [
  [/^look at (\S+) under the (\S+)$/, 'look_at_obj_in_light'],
  [/^examine the (\S+) with the (\S+)$/, 'look_at_obj_in_light'],
  [/^put a clean (\S+) in (\S+)$/, 'pick_clean_then_place_in_recep'],
  [/^clean some (\S+) and put it in (\S+)$/, 'pick_clean_then_place_in_recep'],
  [/^put a hot (\S+) in (\S+)$/, 'pick_heat_then_place_in_recep'],
  [/^heat some (\S+) and put it in (\S+)$/, 'pick_heat_then_place_in_recep'],
  [/^put a cool (\S+) in (\S+)$/, 'pick_cool_then_place_in_recep'],
  [/^cool some (\S+) and put it in (\S+)$/, 'pick_cool_then_place_in_recep'],
  [/^put two (\S+) in (\S+)$/, 'pick_two_obj_and_place'],
  [/^find two (\S+) and put them in (\S+)$/, 'pick_two_obj_and_place'],
  [/^put a (\S+) in (\S+)$/, 'pick_and_place_simple'],
  [/^put some (\S+) on (\S+)$/, 'pick_and_place_simple']
]

/** Parses one of the twelve ALFWorld goal sentences ('heat some egg and put it in diningtable.'). */
export function parseTask(text: string): ParsedTask | null {
  const sentence = text
    .replace(/^[\s\S]*Your task is to: /, '')
    .trim()
    .replace(/\.$/, '')
  for (const [re, kind] of TASK_PATTERNS) {
    const m = re.exec(sentence)
    if (!m) continue
    const a = m[1] as string
    const b = m[2] as string
    return kind === 'look_at_obj_in_light'
      ? { kind, object: a, receptacle: null, toggle: b }
      : { kind, object: a, receptacle: b, toggle: null }
  }
  return null
}

/** 'a apple 1, a egg 2, and a cup 1' → ['apple 1', 'egg 2', 'cup 1']; 'nothing' → []. */
export function parseItemList(list: string): string[] {
  const text = list.trim()
  if (text === 'nothing' || text === '') return []
  return text
    .split(/, (?:and )?/)
    .map((item) => item.replace(/^and /, '').replace(/^an? /, '').trim())
    .filter((item) => item !== '')
}

/** The class of a named entity: 'cabinet 12' → 'cabinet'. */
export function typeOf(name: string): string {
  return name.replace(/ \d+$/, '')
}

/** The receptacles the first observation lists ('Looking quickly around you, you see …'). */
export function parseRoom(observation: string): string[] {
  const m = /Looking quickly around you, you see ([^\n]*)\./.exec(observation)
  return m ? parseItemList(m[1] as string) : []
}

/** What a receptacle description says: its contents when open or a surface, or that it is closed. */
export type ReceptacleSight = { receptacle: string; contents: string[] | null }

/** Every receptacle description in a feedback text ('On the desk 1, you see …', 'The fridge 1 is closed.'). */
export function parseSights(text: string): ReceptacleSight[] {
  const out: ReceptacleSight[] = []
  for (const m of text.matchAll(/The ([^.,]+?) is open\. In it, you see ([^.]*)\./g)) {
    out.push({ receptacle: m[1] as string, contents: parseItemList(m[2] as string) })
  }
  for (const m of text.matchAll(/On the ([^.,]+?), you see ([^.]*)\./g)) {
    out.push({ receptacle: m[1] as string, contents: parseItemList(m[2] as string) })
  }
  for (const m of text.matchAll(/The ([^.,]+?) is closed\./g)) {
    out.push({ receptacle: m[1] as string, contents: null })
  }
  return out
}

export type Feedback =
  | { kind: 'take'; object: string; receptacle: string }
  | { kind: 'put'; object: string; receptacle: string }
  | { kind: 'clean' | 'heat' | 'cool'; object: string; receptacle: string }
  | { kind: 'use'; object: string }
  | { kind: 'other' }

/** The effect an action's feedback reports. */
export function parseFeedback(text: string): Feedback {
  let m = /^You pick up the (.+?) from the (.+)\.$/.exec(text)
  if (m) return { kind: 'take', object: m[1] as string, receptacle: m[2] as string }
  m = /^You (?:move the (.+?) to|put the (.+?) in\/on) the (.+)\.$/.exec(text)
  if (m) return { kind: 'put', object: (m[1] ?? m[2]) as string, receptacle: m[3] as string }
  m = /^You (clean|heat|cool) the (.+?) using the (.+)\.$/.exec(text)
  if (m) {
    const kind = m[1] as 'clean' | 'heat' | 'cool'
    return { kind, object: m[2] as string, receptacle: m[3] as string }
  }
  m = /^You turn (?:on|off) the (.+)\.$/.exec(text)
  if (m) return { kind: 'use', object: m[1] as string }
  return { kind: 'other' }
}
