// The one interface every environment (Sokoban, ALFWorld, WebShop) implements.
// Everything here is plain, JSON-serialisable data so that episodes can be stored in SQLite,
// sent over IPC/HTTP and replayed by the renderer without the environment code.

export type EnvKind = 'sokoban' | 'alfworld' | 'webshop'

/** Environment-specific render data for the UI replay (stored per step as JSON). */
export type EnvView =
  | { kind: 'sokoban'; room: number[][] }
  | { kind: 'alfworld'; location: string; inventory: string[]; [key: string]: unknown }
  | { kind: 'webshop'; page: string; url?: string; [key: string]: unknown }

export type EnvInfo = {
  /** Whether the episode's goal has been reached (success). */
  won: boolean
  /** False when the action was not admissible / could not be parsed. */
  actionIsValid: boolean
  /** Task-type label for per-type reports (e.g. 'pick_and_place', 'look_at_obj'). */
  taskType?: string
  [key: string]: unknown
}

export type EnvObservation = {
  /** The text observation exactly as the environment prints it. */
  observation: string
  /** Commands the agent may issue now, in the environment's canonical order. */
  admissibleActions: string[]
  view: EnvView
}

export type EnvReset = EnvObservation & {
  /** Natural-language task / goal description ('' where the env has none). */
  task: string
  info: EnvInfo
}

export type EnvStep = EnvObservation & {
  reward: number
  done: boolean
  info: EnvInfo
}

/** One subgoal of an expert (oracle) solution with the actions that achieve it. */
export type ExpertSubgoal = { subgoal: string; actions: string[] }

export type Env = {
  readonly kind: EnvKind
  /** Maximum number of counted steps before `done` is forced. */
  readonly maxSteps: number
  /** Deterministic: the same seed gives the same world. */
  reset(seed: number): EnvReset
  /** Never throws on bad actions: inadmissible input gets the environment's documented behaviour. */
  step(action: string): EnvStep
  /** Oracle solution from the current state, when the environment has one. */
  expert?(): ExpertSubgoal[]
}
