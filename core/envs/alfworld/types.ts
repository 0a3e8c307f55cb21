// The compact, JSON-serialisable ALFWorld world: what a game.tw-pddl problem holds, in indexed form.
// Both the real-game-file loader and the generator produce it; the engine plays it.

/** ALFWorld task-type ids (the trial directory prefixes). */
export type AlfworldTaskType =
  | 'pick_and_place_simple'
  | 'look_at_obj_in_light'
  | 'pick_clean_then_place_in_recep'
  | 'pick_heat_then_place_in_recep'
  | 'pick_cool_then_place_in_recep'
  | 'pick_two_obj_and_place'

export type AlfworldGrammarVersion = 'current' | 'legacy'

/** Goal in one of the six ALFWorld forms; types are ALFRED class names ('Apple', 'SinkBasin'). */
export type AlfworldGoal =
  | { kind: 'pick_and_place_simple'; object: string; receptacle: string }
  | { kind: 'pick_two_obj_and_place'; object: string; receptacle: string }
  | { kind: 'pick_clean_then_place_in_recep'; object: string; receptacle: string }
  | { kind: 'pick_heat_then_place_in_recep'; object: string; receptacle: string }
  | { kind: 'pick_cool_then_place_in_recep'; object: string; receptacle: string }
  | { kind: 'look_at_obj_in_light'; object: string; toggle: string }

export type WorldReceptacle = {
  /** PDDL id (lower-cased), e.g. 'cabinet_bar__minus_02_dot_15_...'. */
  id: string
  /** Display name with instance number, e.g. 'cabinet 3'. */
  name: string
  /** ALFRED class, e.g. 'Cabinet'. */
  type: string
  loc: number
  openable: boolean
  opened: boolean
}

export type WorldObject = {
  id: string
  name: string
  type: string
  pickupable: boolean
  heatable: boolean
  coolable: boolean
  cleanable: boolean
  toggleable: boolean
  sliceable: boolean
  receptacleObject: boolean
  isOn: boolean
  isToggled: boolean
  isHot: boolean
  isCool: boolean
  isClean: boolean
  isSliced: boolean
  /** Receptacle indices holding the object (`inReceptacle` facts; real data can list more than one). */
  inReceptacles: number[]
  /** Location indices (`objectAtLocation` facts). */
  locations: number[]
  /** Object indices inside this receptacle-object (`inReceptacleObject`, static in the text game). */
  contents: number[]
}

export type World = {
  /** Receptacles in PDDL-id order (type ascending, instance number descending). */
  receptacles: WorldReceptacle[]
  /** Objects in PDDL-id order. */
  objects: WorldObject[]
  /** Location ids; the index is the location number used above. */
  locations: string[]
  /** `canContain` pairs as 'ReceptacleType/ObjectType' class names, e.g. 'Fridge/Apple'. */
  canContain: string[]
  agentLocation: number
  goal: AlfworldGoal
  /** Goal text without the 'Your task is to: ' prefix, with its trailing period. */
  task: string
  taskType: AlfworldTaskType
  /** Where the world came from (game-file path or 'generated:<split>:<scene>:<seed>'). */
  source: string
  /** Scene number (ALFRED floor plan) when known. */
  scene?: number
}
