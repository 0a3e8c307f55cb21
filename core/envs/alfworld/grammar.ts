// Command templates and fixed feedback strings of the ALFWorld TextWorld grammar (alfred.twl2),
// for both grammar versions, and a reader that takes them from a game file's embedded grammar.
import type { AlfworldGrammarVersion } from './types'

export type AlfworldGrammar = {
  version: AlfworldGrammarVersion
  /** Command templates with {o}, {r}, {co}, {ko} slots. */
  templates: {
    open: string
    close: string
    take: string
    put: string
    clean: string
    heat: string
    cool: string
    slice: string
    use: string
    examine: string
  }
  /** Feedback strings with {o.name}, {r.name}, {co.name}, {ko.name}, {loc} slots. */
  feedback: {
    arrive: string
    open: string
    close: string
    take: string
    put: string
    clean: string
    heat: string
    cool: string
    slice: string
  }
  banner: string
  /** The `help` command's text, or null where the grammar has no `help` (legacy). */
  help: string | null
}

const HELP_TEXT = `
Available commands:
  look:                             look around your current location
  inventory:                        check your current inventory
  go to (receptacle):               move to a receptacle
  open (receptacle):                open a receptacle
  close (receptacle):               close a receptacle
  take (object) from (receptacle):  take an object from a receptacle
  move (object) to (receptacle):  place an object in or on a receptacle
  examine (something):              examine a receptacle or an object
  use (object):                     use an object
  heat (object) with (receptacle):  heat an object using a receptacle
  clean (object) with (receptacle): clean an object using a receptacle
  cool (object) with (receptacle):  cool an object using a receptacle
  slice (object) with (object):     slice an object using a sharp object
`

const CURRENT: AlfworldGrammar = {
  version: 'current',
  templates: {
    open: 'open {r}',
    close: 'close {r}',
    take: 'take {o} from {r}',
    put: 'move {o} to {r}',
    clean: 'clean {o} with {r}',
    heat: 'heat {o} with {r}',
    cool: 'cool {o} with {r}',
    slice: 'slice {co} with {ko}',
    use: 'use {o}',
    examine: 'examine {o}'
  },
  feedback: {
    arrive: 'You arrive at {r.name}. ',
    open: 'You open the {r.name}. ',
    close: 'You close the {r.name}.',
    take: 'You pick up the {o.name} from the {r.name}.',
    put: 'You move the {o.name} to the {r.name}.',
    clean: 'You clean the {o.name} using the {r.name}.',
    heat: 'You heat the {o.name} using the {r.name}.',
    cool: 'You cool the {o.name} using the {r.name}.',
    slice: 'You sliced the {co.name} with the {ko.name}.'
  },
  banner: '-= Welcome to TextWorld, ALFRED! =-',
  help: HELP_TEXT
}

const LEGACY: AlfworldGrammar = {
  ...CURRENT,
  version: 'legacy',
  templates: { ...CURRENT.templates, put: 'put {o} in/on {r}' },
  feedback: {
    ...CURRENT.feedback,
    arrive: 'You arrive at loc {loc}. ',
    put: 'You put the {o.name} in/on the {r.name}.'
  },
  help: null
}

export function defaultGrammar(version: AlfworldGrammarVersion): AlfworldGrammar {
  return version === 'current' ? CURRENT : LEGACY
}

const TEMPLATE_ACTIONS: Record<string, keyof AlfworldGrammar['templates']> = {
  OpenObject: 'open',
  CloseObject: 'close',
  PickupObject: 'take',
  PutObject: 'put',
  CleanObject: 'clean',
  HeatObject: 'heat',
  CoolObject: 'cool',
  SliceObject: 'slice',
  ToggleObject: 'use',
  examineObject: 'examine'
}

const FEEDBACK_RULES: Record<string, keyof AlfworldGrammar['feedback']> = {
  'GotoLocation.feedback': 'arrive',
  'OpenObject.feedback': 'open',
  'CloseObject.feedback': 'close',
  'PickupObject.feedback': 'take',
  'PutObject.feedback': 'put',
  'cleanObject.feedback': 'clean',
  'heatObject.feedback': 'heat',
  'coolObject.feedback': 'cool',
  'sliceObject.feedback': 'slice'
}

/**
 * Reads templates and single-rule feedback strings from a game file's grammar text; anything it
 * cannot find keeps the default of the detected version. Conditional rules (receptacle
 * descriptions, examine, toggle, look) follow the fixed ALFWorld forms implemented in text.ts.
 */
export function grammarFromGameFile(text: string): AlfworldGrammar {
  const templates: Record<string, string> = {}
  for (const m of text.matchAll(/action\s+(\w+)\s*\{\s*template\s*::\s*"([^"]*)"/g)) {
    const key = TEMPLATE_ACTIONS[m[1] ?? '']
    if (key && !(key in templates)) templates[key] = m[2] ?? ''
  }
  const putTemplate = templates.put ?? ''
  const version: AlfworldGrammarVersion = putTemplate.startsWith('move') ? 'current' : 'legacy'
  const base = defaultGrammar(version)
  const feedback: Record<string, string> = { ...base.feedback }
  for (const m of text.matchAll(
    /"([\w.]+)"\s*:\s*\[\s*\{\s*"rhs"\s*:\s*"((?:[^"\\]|\\.)*)"\s*\}\s*\]/g
  )) {
    const key = FEEDBACK_RULES[m[1] ?? '']
    if (!key) continue
    let rhs = (m[2] ?? '').replace(/\\n/g, '\n')
    if (key === 'arrive' || key === 'open') rhs = rhs.replace('#examineReceptacle.feedback#', '')
    if (key === 'arrive') rhs = rhs.replace(/\{lend\.name\}/g, 'loc {loc}')
    feedback[key] = rhs
  }
  const banner = /"rhs"\s*:\s*"(-=[^"]*=-)/.exec(text)?.[1] ?? base.banner
  const helpMatch = /action\s+help\s*\{\s*template\s*::\s*"help";\s*feedback\s*::\s*"([^"]*)"/.exec(
    text
  )
  const t = base.templates
  return {
    version,
    templates: {
      open: templates.open ?? t.open,
      close: templates.close ?? t.close,
      take: templates.take ?? t.take,
      put: templates.put ?? t.put,
      clean: templates.clean ?? t.clean,
      heat: templates.heat ?? t.heat,
      cool: templates.cool ?? t.cool,
      slice: templates.slice ?? t.slice,
      use: templates.use ?? t.use,
      examine: templates.examine ?? t.examine
    },
    feedback: feedback as AlfworldGrammar['feedback'],
    banner,
    help: helpMatch ? (helpMatch[1] ?? '') : null
  }
}

/** The task sentence in a game file's grammar ('Your task is to: …'), without the prefix. */
export function taskFromGameFile(text: string): string | null {
  const m = /"rhs"\s*:\s*"Your task is to: ((?:[^"\\]|\\.)*)"/.exec(text)
  return m ? (m[1] ?? null) : null
}
