// Procedural ALFWorld households. A scene (ALFRED floor-plan number) fixes the room kind, its
// receptacles and their locations; the episode seed places the objects and picks a solvable task.
// Splits: train and valid_seen draw from the same seen floor plans with different seed streams;
// valid_unseen uses only the held-out plans 10, 219, 308 and 424 (see vocab.ts).
import { createRng, hashInts, type Rng } from './rng'
import type { AlfworldGoal, AlfworldTaskType, World, WorldObject, WorldReceptacle } from './types'
import {
  CLEANABLE,
  COOLABLE,
  HEATABLE,
  NOT_PICKUPABLE,
  OBJECT_RECEPTACLES,
  RECEPTACLE_OBJECTS,
  ROOM_OBJECTS,
  ROOM_RECEPTACLES,
  SEEN_SCENES,
  SLICEABLE,
  TOGGLEABLE,
  UNSEEN_SCENES,
  roomKindOf,
  type RoomKind
} from './vocab'

export type AlfworldSplit = 'train' | 'valid_seen' | 'valid_unseen'

export const ALFWORLD_TASK_TYPES: readonly AlfworldTaskType[] = [
  'pick_and_place_simple',
  'look_at_obj_in_light',
  'pick_clean_then_place_in_recep',
  'pick_heat_then_place_in_recep',
  'pick_cool_then_place_in_recep',
  'pick_two_obj_and_place'
]

const SPLIT_SALT: Record<AlfworldSplit, number> = { train: 1, valid_seen: 2, valid_unseen: 3 }

const ROOMS_FOR: Record<AlfworldTaskType, readonly RoomKind[]> = {
  pick_and_place_simple: ['kitchen', 'livingroom', 'bedroom', 'bathroom'],
  pick_two_obj_and_place: ['kitchen', 'livingroom', 'bedroom', 'bathroom'],
  look_at_obj_in_light: ['livingroom', 'bedroom'],
  pick_clean_then_place_in_recep: ['kitchen', 'bathroom'],
  pick_heat_then_place_in_recep: ['kitchen'],
  pick_cool_then_place_in_recep: ['kitchen']
}

const APPLIANCE_OF: Partial<Record<AlfworldTaskType, string>> = {
  pick_clean_then_place_in_recep: 'SinkBasin',
  pick_heat_then_place_in_recep: 'Microwave',
  pick_cool_then_place_in_recep: 'Fridge'
}

const TEMPLATES: Record<AlfworldTaskType, readonly [string, string]> = {
  pick_and_place_simple: ['put a {obj} in {recep}.', 'put some {obj} on {recep}.'],
  look_at_obj_in_light: [
    'look at {obj} under the {toggle}.',
    'examine the {obj} with the {toggle}.'
  ],
  pick_clean_then_place_in_recep: [
    'put a clean {obj} in {recep}.',
    'clean some {obj} and put it in {recep}.'
  ],
  pick_heat_then_place_in_recep: [
    'put a hot {obj} in {recep}.',
    'heat some {obj} and put it in {recep}.'
  ],
  pick_cool_then_place_in_recep: [
    'put a cool {obj} in {recep}.',
    'cool some {obj} and put it in {recep}.'
  ],
  pick_two_obj_and_place: ['put two {obj} in {recep}.', 'find two {obj} and put them in {recep}.']
}

export function scenesOfSplit(split: AlfworldSplit): readonly number[] {
  return split === 'valid_unseen' ? UNSEEN_SCENES : SEEN_SCENES
}

function coord(rng: Rng): string {
  const v = rng.int(601) - 300
  const a = v < 0 ? -v : v
  const whole = (a / 100) | 0
  const frac = a % 100
  return `${v < 0 ? '_minus_' : '_plus_'}${whole < 10 ? '0' : ''}${whole}_dot_${frac < 10 ? '0' : ''}${frac}`
}

const ID_PREFIX: Record<string, string> = { SinkBasin: 'sink', BathtubBasin: 'bathtub' }
const ID_SUFFIX: Record<string, string> = {
  SinkBasin: '_bar_sinkbasin',
  BathtubBasin: '_bar_bathtubbasin'
}

/** A THOR-style PDDL id (lower case), e.g. 'apple_bar__minus_00_dot_34_bar__plus_00_dot_97_bar__plus_01_dot_54'. */
function thorId(type: string, rng: Rng, used: Set<string>): string {
  const prefix = ID_PREFIX[type] ?? type.toLowerCase()
  const suffix = ID_SUFFIX[type] ?? ''
  for (;;) {
    const id = `${prefix}_bar_${coord(rng)}_bar_${coord(rng)}_bar_${coord(rng)}${suffix}`
    if (!used.has(id)) {
      used.add(id)
      return id
    }
  }
}

type SceneRec = { id: string; type: string; loc: number; openable: boolean }
export type GeneratedScene = {
  scene: number
  kind: RoomKind
  receptacles: SceneRec[]
  locations: string[]
  /** canContain pairs ('Receptacle/Object') for the receptacle classes of the scene. */
  canContain: string[]
  /** Per object class, the receptacle indices that can hold it. */
  spots: Map<string, number[]>
  /** Receptacle classes present, in id order of their first instance. */
  recTypes: string[]
  /** Per object class, the present receptacle classes that can hold it (recTypes order). */
  holderTypes: Map<string, string[]>
}

const sceneCache = new Map<number, GeneratedScene>()

/** The fixed part of a floor plan: receptacles, their openability and shared locations. */
export function generateScene(scene: number): GeneratedScene {
  const cached = sceneCache.get(scene)
  if (cached) return cached
  const built = buildScene(scene)
  sceneCache.set(scene, built)
  return built
}

function buildScene(scene: number): GeneratedScene {
  const rng = createRng(hashInts(scene, 0x5ce9e))
  const kind = roomKindOf(scene)
  const used = new Set<string>()
  const locations: string[] = []
  const newLoc = (): number => {
    for (;;) {
      const id =
        `loc_bar_${rng.int(21) - 10}_bar_${rng.int(21) - 10}_bar_${rng.int(4)}_bar_${[-30, 0, 15, 30, 45, 60][rng.int(6)]}`.replace(
          /_-/g,
          '__minus_'
        )
      if (!locations.includes(id)) {
        locations.push(id)
        return locations.length - 1
      }
    }
  }
  const receptacles: SceneRec[] = []
  let counterLoc = -1
  for (const [type, min, max, openP] of ROOM_RECEPTACLES[kind]) {
    const n = min + rng.int(max - min + 1)
    let pending = -1
    for (let i = 0; i < n; i++) {
      let loc: number
      if (type === 'StoveBurner' || (type === 'Cabinet' && rng.next() < 0.25)) {
        // burners come in pairs and some cabinets share a spot, as in the THOR scenes
        loc = pending >= 0 ? pending : newLoc()
        pending = pending >= 0 ? -1 : loc
      } else if (type === 'CoffeeMachine' && counterLoc >= 0 && rng.next() < 0.5) {
        loc = counterLoc
      } else loc = newLoc()
      if (type === 'CounterTop' && counterLoc < 0) counterLoc = loc
      receptacles.push({ id: thorId(type, rng, used), type, loc, openable: rng.next() < openP })
    }
  }
  receptacles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const recTypes = new Set(receptacles.map((r) => r.type))
  const canContain = new Set<string>()
  for (const [obj, recs] of Object.entries(OBJECT_RECEPTACLES)) {
    for (const r of recs) if (recTypes.has(r)) canContain.add(`${r}/${obj}`)
  }
  const spots = new Map<string, number[]>()
  for (const type of ROOM_OBJECTS[kind]) {
    const allowed = OBJECT_RECEPTACLES[type] ?? []
    spots.set(
      type,
      receptacles.flatMap((r, i) => (allowed.includes(r.type) ? [i] : []))
    )
  }
  const recTypeList = [...recTypes]
  const holderTypes = new Map<string, string[]>()
  for (const type of ROOM_OBJECTS[kind]) {
    const allowed = OBJECT_RECEPTACLES[type] ?? []
    holderTypes.set(
      type,
      recTypeList.filter((t) => allowed.includes(t))
    )
  }
  return {
    scene,
    kind,
    receptacles,
    locations,
    canContain: [...canContain].sort(),
    spots,
    recTypes: recTypeList,
    holderTypes
  }
}

type Placed = { id: string; type: string; rec: number }

function placeObjects(scene: GeneratedScene, rng: Rng): Placed[] {
  const used = new Set(scene.receptacles.map((r) => r.id))
  const placed: Placed[] = []
  const classes = ROOM_OBJECTS[scene.kind]
  for (const type of classes) {
    const always = type === 'DeskLamp'
    if (!always && rng.next() < 0.3) continue
    const spots = scene.spots.get(type) ?? []
    if (spots.length === 0) continue
    const count = always ? 1 : 1 + rng.int(3)
    for (let k = 0; k < count; k++) {
      placed.push({ id: thorId(type, rng, used), type, rec: rng.pick(spots) })
    }
  }
  return placed
}

type Choice = { goal: AlfworldGoal; relocate: boolean }

function candidateGoals(type: AlfworldTaskType, scene: GeneratedScene, placed: Placed[]): Choice[] {
  const count = new Map<string, number>()
  for (const p of placed)
    if (!NOT_PICKUPABLE.has(p.type)) count.set(p.type, (count.get(p.type) ?? 0) + 1)
  const recTypes = scene.recTypes
  const out: Choice[] = []
  if (type === 'look_at_obj_in_light') {
    const lamp = placed.some((p) => p.type === 'DeskLamp')
    if (!lamp) return out
    for (const obj of count.keys())
      out.push({ goal: { kind: type, object: obj, toggle: 'DeskLamp' }, relocate: false })
    return out
  }
  const appliance = APPLIANCE_OF[type]
  if (appliance && !recTypes.includes(appliance)) return out
  for (const [obj, n] of count) {
    if (type === 'pick_two_obj_and_place' && n < 2) continue
    if (type === 'pick_clean_then_place_in_recep' && !CLEANABLE.has(obj)) continue
    if (type === 'pick_heat_then_place_in_recep' && !HEATABLE.has(obj)) continue
    if (type === 'pick_cool_then_place_in_recep' && !COOLABLE.has(obj)) continue
    const holders = scene.holderTypes.get(obj) ?? []
    for (const recep of holders) {
      if (recep === appliance) continue
      const relocate = type === 'pick_and_place_simple' || type === 'pick_two_obj_and_place'
      // the goal must be false at the start: there must be somewhere else for the objects to be
      if (relocate && !holders.some((t) => t !== recep)) continue
      out.push({ goal: { kind: type, object: obj, receptacle: recep } as AlfworldGoal, relocate })
    }
  }
  return out
}

function goalText(goal: AlfworldGoal, rng: Rng): string {
  const template = TEMPLATES[goal.kind][rng.int(2)] as string
  return template
    .replace('{obj}', goal.object.toLowerCase())
    .replace('{recep}', 'receptacle' in goal ? goal.receptacle.toLowerCase() : '')
    .replace('{toggle}', 'toggle' in goal ? goal.toggle.toLowerCase() : '')
}

export type GenerateOptions = {
  split: AlfworldSplit
  seed: number
  taskTypes?: readonly AlfworldTaskType[]
}

/** A generated household and task; the same (split, seed, taskTypes) always gives the same world. */
export function generateWorld(options: GenerateOptions): World {
  const types =
    options.taskTypes && options.taskTypes.length > 0 ? options.taskTypes : ALFWORLD_TASK_TYPES
  const rng = createRng(hashInts(options.seed, SPLIT_SALT[options.split], 0xa1f))
  const splitScenes = scenesOfSplit(options.split)
  for (let attempt = 0; attempt < 200; attempt++) {
    const type = rng.pick(types)
    const scenes = splitScenes.filter((s) => ROOMS_FOR[type].includes(roomKindOf(s)))
    if (scenes.length === 0) continue
    const sceneNo = rng.pick(scenes)
    const scene = generateScene(sceneNo)
    const placed = placeObjects(scene, rng)
    const choices = candidateGoals(type, scene, placed)
    if (choices.length === 0) continue
    const choice = rng.pick(choices)
    const goal = choice.goal
    if (choice.relocate && 'receptacle' in goal) {
      const allowed = OBJECT_RECEPTACLES[goal.object] ?? []
      const elsewhere = scene.receptacles
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => r.type !== goal.receptacle && allowed.includes(r.type))
      for (const p of placed) {
        if (p.type === goal.object && scene.receptacles[p.rec]?.type === goal.receptacle) {
          p.rec = rng.pick(elsewhere).i
        }
      }
    }
    return buildWorld(
      scene,
      placed,
      goal,
      goalText(goal, rng),
      `generated:${options.split}:${sceneNo}:${options.seed}`
    )
  }
  throw new Error(`no task of types ${types.join(', ')} could be generated for ${options.split}`)
}

/** ALFWorld instance numbering (see pddl.ts numberNames) for entities whose name is their class. */
function numberByType(entities: readonly { id: string; type: string }[]): Map<string, string> {
  const byType = new Map<string, string[]>()
  for (const e of entities) {
    const list = byType.get(e.type)
    if (list) list.push(e.id)
    else byType.set(e.type, [e.id])
  }
  const out = new Map<string, string>()
  for (const [type, ids] of byType) {
    ids.sort()
    const name = type.toLowerCase()
    ids.forEach((id, i) => out.set(id, `${name} ${ids.length - i}`))
  }
  return out
}

function buildWorld(
  scene: GeneratedScene,
  placed: Placed[],
  goal: AlfworldGoal,
  task: string,
  source: string
): World {
  placed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const names = numberByType([...scene.receptacles, ...placed])
  const receptacles: WorldReceptacle[] = scene.receptacles.map((r) => ({
    id: r.id,
    name: names.get(r.id) ?? r.id,
    type: r.type,
    loc: r.loc,
    openable: r.openable,
    opened: false
  }))
  const objects: WorldObject[] = placed.map((p) => ({
    id: p.id,
    name: names.get(p.id) ?? p.id,
    type: p.type,
    pickupable: !NOT_PICKUPABLE.has(p.type),
    heatable: HEATABLE.has(p.type),
    coolable: COOLABLE.has(p.type),
    cleanable: CLEANABLE.has(p.type),
    toggleable: TOGGLEABLE.has(p.type),
    sliceable: SLICEABLE.has(p.type),
    receptacleObject: RECEPTACLE_OBJECTS.has(p.type),
    isOn: false,
    isToggled: false,
    isHot: false,
    isCool: false,
    isClean: false,
    isSliced: false,
    inReceptacles: [p.rec],
    locations: [scene.receptacles[p.rec]?.loc ?? 0],
    contents: []
  }))
  const locations = [...scene.locations, 'loc_bar_start']
  return {
    receptacles,
    objects,
    locations,
    canContain: scene.canContain,
    agentLocation: locations.length - 1,
    goal,
    task,
    taskType: goal.kind,
    source,
    scene: scene.scene
  }
}
