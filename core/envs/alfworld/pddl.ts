// Reads ALFWorld's own game files (game.tw-pddl: JSON with pddl_domain, grammar, pddl_problem,
// solvable) into the compact World the engine plays. Pure: the caller supplies the file text.
import { z } from 'zod'
import { grammarFromGameFile, taskFromGameFile, type AlfworldGrammar } from './grammar'
import type { AlfworldGoal, AlfworldTaskType, World, WorldObject, WorldReceptacle } from './types'

export type SExpr = string | SExpr[]

export function parseSExpr(text: string): SExpr[] {
  const tokens = text.replace(/;[^\n]*/g, ' ').match(/\(|\)|[^\s()]+/g) ?? []
  const root: SExpr[] = []
  const stack: SExpr[][] = [root]
  for (const tok of tokens) {
    const top = stack[stack.length - 1] as SExpr[]
    if (tok === '(') {
      const list: SExpr[] = []
      top.push(list)
      stack.push(list)
    } else if (tok === ')') {
      if (stack.length > 1) stack.pop()
    } else top.push(tok)
  }
  return root
}

/** ALFWorld's Demangler: THOR id → display name ('sinkbasin' for basins). */
export function demangleName(id: string): string {
  const plain = id
    .replace(/_bar_/g, '|')
    .replace(/_minus_/g, '-')
    .replace(/_plus_/g, '+')
    .replace(/_dot_/g, '.')
    .replace(/_comma_/g, ',')
  let name = (plain.split('|')[0] ?? plain).toLowerCase()
  if (id.toLowerCase().includes('basin')) name += 'basin'
  return name
}

/** Instance numbers: per name, ids sorted; the lexicographically first id gets the highest number. */
export function numberNames(ids: readonly string[]): Map<string, string> {
  const byName = new Map<string, string[]>()
  for (const id of ids) {
    const name = demangleName(id)
    const list = byName.get(name) ?? []
    list.push(id)
    byName.set(name, list)
  }
  const out = new Map<string, string>()
  for (const [name, list] of byName) {
    list.sort()
    list.forEach((id, i) => out.set(id, `${name} ${list.length - i}`))
  }
  return out
}

export type GameFileJson = {
  pddl_domain?: string
  grammar?: string
  pddl_problem?: string
  solvable?: boolean
  walkthrough?: string[]
}

/** The fields the parser reads; other keys (pddl_domain, walkthrough, …) are ignored. */
const gameFileSchema = z.object({
  grammar: z.string().optional(),
  pddl_problem: z.string().optional(),
  solvable: z.boolean().optional()
})

/** The file's JSON, checked: a refusal names the file and what is wrong. */
function readGameFileJson(input: string | GameFileJson, source: string): GameFileJson {
  let json: unknown = input
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input)
    } catch (err) {
      throw new Error(`${source}: not a JSON game file (${(err as Error).message})`, {
        cause: err
      })
    }
  }
  const parsed = gameFileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    throw new Error(`${source}: not an ALFWorld game file (${where}${issue?.message})`)
  }
  return parsed.data
}

export type ParsedGameFile = {
  world: World
  grammar: AlfworldGrammar
  solvable: boolean | undefined
}

function findSection(root: SExpr[], key: string): SExpr[] | undefined {
  const define = root.find((x) => Array.isArray(x) && x[0] === 'define') as SExpr[] | undefined
  const body = define ?? root
  return body.find((x) => Array.isArray(x) && x[0] === key) as SExpr[] | undefined
}

function atomsOf(expr: SExpr, out: string[][] = []): string[][] {
  if (!Array.isArray(expr)) return out
  if (expr.length > 0 && expr.every((x) => typeof x === 'string')) {
    out.push(expr as string[])
    return out
  }
  for (const x of expr) atomsOf(x, out)
  return out
}

const typeName = (t: string): string => t.replace(/Type$/i, '')

function goalFromExpr(goalExpr: SExpr): AlfworldGoal {
  const atoms = atomsOf(goalExpr).filter((a) => a[0] !== 'and' && a[0] !== 'exists')
  const objType = new Map<string, string>()
  let recType = ''
  const has = (p: string): boolean => atoms.some((a) => a[0]?.toLowerCase() === p.toLowerCase())
  for (const a of atoms) {
    const head = a[0]?.toLowerCase()
    if (head === 'objecttype' && a[1] && a[2]) objType.set(a[1], typeName(a[2]))
    if (head === 'receptacletype' && a[2]) recType = typeName(a[2])
  }
  if (has('isToggled')) {
    const lampVar = atoms.find((a) => a[0]?.toLowerCase() === 'toggleable')?.[1] ?? ''
    const toggle = objType.get(lampVar) ?? ''
    const object = [...objType.entries()].find(([v]) => v !== lampVar)?.[1] ?? ''
    return { kind: 'look_at_obj_in_light', object, toggle }
  }
  const object = [...objType.values()][0] ?? ''
  let kind: AlfworldTaskType = 'pick_and_place_simple'
  if (has('isClean')) kind = 'pick_clean_then_place_in_recep'
  else if (has('isHot')) kind = 'pick_heat_then_place_in_recep'
  else if (has('isCool')) kind = 'pick_cool_then_place_in_recep'
  else if (has('=')) kind = 'pick_two_obj_and_place'
  return { kind, object, receptacle: recType } as AlfworldGoal
}

/** Parses a game.tw-pddl file (its JSON text or already-parsed object). */
export function parseGameFile(
  input: string | GameFileJson,
  source = 'game.tw-pddl'
): ParsedGameFile {
  const json = readGameFileJson(input, source)
  const problem = parseSExpr(json.pddl_problem ?? '')
  const init = (findSection(problem, ':init') ?? []).slice(1).filter(Array.isArray) as SExpr[][]
  const goalSection = findSection(problem, ':goal')
  const facts = init.map((f) => f.map((x) => (typeof x === 'string' ? x : '')))
  const lc = (s: string | undefined): string => (s ?? '').toLowerCase()

  const objType = new Map<string, string>()
  const recType = new Map<string, string>()
  const locations = new Set<string>()
  const objectsSection = findSection(problem, ':objects') ?? []
  for (let i = 1; i + 2 < objectsSection.length; i++) {
    if (objectsSection[i + 1] === '-' && objectsSection[i + 2] === 'location') {
      locations.add(lc(objectsSection[i] as string))
    }
  }
  for (const f of facts) {
    const head = lc(f[0])
    if (head === 'objecttype') objType.set(lc(f[1]), typeName(f[2] ?? ''))
    else if (head === 'receptacletype') recType.set(lc(f[1]), typeName(f[2] ?? ''))
    else if (head === 'receptacleatlocation' || head === 'atlocation') locations.add(lc(f[2]))
    else if (head === 'objectatlocation') locations.add(lc(f[2]))
  }
  const locList = [...locations].sort()
  const locIndex = new Map(locList.map((l, i) => [l, i]))
  const names = numberNames([...objType.keys(), ...recType.keys()])
  const recIds = [...recType.keys()].sort()
  const objIds = [...objType.keys()].sort()
  const recIndex = new Map(recIds.map((id, i) => [id, i]))
  const objIndex = new Map(objIds.map((id, i) => [id, i]))
  const receptacles: WorldReceptacle[] = recIds.map((id) => ({
    id,
    name: names.get(id) ?? id,
    type: recType.get(id) ?? '',
    loc: 0,
    openable: false,
    opened: false
  }))
  const objects: WorldObject[] = objIds.map((id) => ({
    id,
    name: names.get(id) ?? id,
    type: objType.get(id) ?? '',
    pickupable: false,
    heatable: false,
    coolable: false,
    cleanable: false,
    toggleable: false,
    sliceable: false,
    receptacleObject: false,
    isOn: false,
    isToggled: false,
    isHot: false,
    isCool: false,
    isClean: false,
    isSliced: false,
    inReceptacles: [],
    locations: [],
    contents: []
  }))
  const objFlags: Record<string, keyof WorldObject> = {
    pickupable: 'pickupable',
    heatable: 'heatable',
    coolable: 'coolable',
    cleanable: 'cleanable',
    toggleable: 'toggleable',
    sliceable: 'sliceable',
    isreceptacleobject: 'receptacleObject',
    ison: 'isOn',
    istoggled: 'isToggled',
    ishot: 'isHot',
    iscool: 'isCool',
    isclean: 'isClean',
    issliced: 'isSliced'
  }
  const canContain = new Set<string>()
  let agentLocation = -1
  for (const f of facts) {
    const head = lc(f[0])
    const a = lc(f[1])
    const b = lc(f[2])
    const o = objIndex.get(a)
    const r = recIndex.get(a)
    const flag = objFlags[head]
    if (flag && o !== undefined) {
      ;(objects[o] as Record<string, unknown>)[flag] = true
      continue
    }
    switch (head) {
      case 'receptacleatlocation':
        if (r !== undefined) (receptacles[r] as WorldReceptacle).loc = locIndex.get(b) ?? 0
        break
      case 'objectatlocation':
        if (o !== undefined) (objects[o] as WorldObject).locations.push(locIndex.get(b) ?? 0)
        break
      case 'inreceptacle': {
        const target = recIndex.get(b)
        if (o !== undefined && target !== undefined)
          (objects[o] as WorldObject).inReceptacles.push(target)
        break
      }
      case 'inreceptacleobject': {
        const outer = objIndex.get(b)
        if (o !== undefined && outer !== undefined) (objects[outer] as WorldObject).contents.push(o)
        break
      }
      case 'openable':
        if (r !== undefined) (receptacles[r] as WorldReceptacle).openable = true
        break
      case 'opened':
        if (r !== undefined) (receptacles[r] as WorldReceptacle).opened = true
        break
      case 'cancontain':
        canContain.add(`${typeName(f[1] ?? '')}/${typeName(f[2] ?? '')}`)
        break
      case 'atlocation':
        agentLocation = locIndex.get(b) ?? -1
        break
    }
  }
  for (const obj of objects) {
    obj.inReceptacles.sort((x, y) => x - y)
    obj.contents.sort((x, y) => x - y)
  }
  if (agentLocation < 0) throw new Error(`${source}: no (atLocation agent …) fact`)
  if (!goalSection || goalSection.length < 2) throw new Error(`${source}: no :goal`)
  const goal = goalFromExpr(goalSection[1] as SExpr)
  const grammarText = json.grammar ?? ''
  const task = taskFromGameFile(grammarText)
  if (task === null) throw new Error(`${source}: the grammar has no task sentence`)
  const world: World = {
    receptacles,
    objects,
    locations: locList,
    canContain: [...canContain].sort(),
    agentLocation,
    goal,
    task,
    taskType: goal.kind,
    source
  }
  const scene = /-(\d+)(?:\/|__|$)/.exec(source)
  if (scene) world.scene = Number(scene[1])
  return { world, grammar: grammarFromGameFile(grammarText), solvable: json.solvable }
}
