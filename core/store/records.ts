// What the trainer hands to the store: plain data, safe to send between processes.

export type StepRecord = {
  t: number
  observation: string
  admissibleActions: string[]
  action: string
  reward: number
  done: boolean
  subgoalIndex?: number | null
  subDone?: boolean
  logProb?: number | null
  advantage?: number | null
  view?: unknown
  /** LM agents: each admissible action's probability under the policy that chose this step's. */
  candidates?: { action: string; prob: number }[]
  /** LM free decoding: the action was not admissible (its reward includes the −0.1 penalty). */
  invalid?: boolean
  /** HiMAC: this step ended its subgoal because the subgoal's step budget ran out, not by `<sub_done>`. */
  fallback?: boolean
  /** HiMAC: the probability the executor gave `<sub_done>` at this step, where it was allowed. */
  subDoneProb?: number | null
  /**
   * HiMAC: the `<sub_done>` decisions taken in this step's state before its action (ending the
   * previous subgoals), each as its candidates with probabilities (`<sub_done>` among them).
   */
  subDoneChoices?: { action: string; prob: number }[][]
}

/** The row after the last action: the state the episode ended in (no action; replays end on it). */
export function finalStateStep(
  t: number,
  state: { observation: string; admissibleActions: string[]; view?: unknown }
): StepRecord {
  return {
    t,
    observation: state.observation,
    admissibleActions: state.admissibleActions,
    action: '',
    reward: 0,
    done: true,
    view: state.view
  }
}

export type EpisodeRecord = {
  phase: 'train' | 'eval'
  memberIndex: number
  env: string
  task: string
  seed: number
  blueprint?: string[] | null
  /** HiMAC Phase A: the log-probability of this member's blueprint under the planner. */
  planLogProb?: number | null
  /** HiMAC Phase A: this member's blueprint advantage within its macro group. */
  planAdvantage?: number | null
  return: number
  success: boolean
  length: number
  steps: StepRecord[]
}

export type GroupRecord = {
  level: 'flat' | 'macro' | 'micro'
  taskSeed: number
  task: string
  /** Index into `episodes` of the chosen member (HiMAC's z*), if any. */
  chosenMember?: number | null
  chosenBlueprint?: string[] | null
  /**
   * Index into the same batch's `groups` of the group this one descends from: a Phase-B `micro`
   * group points at the Phase-A `macro` group whose z* it executes. The writer stores the id.
   */
  parent?: number | null
  /** A Phase-B group that executed a pinned blueprint (the pin's id) instead of z*. */
  pinId?: number | null
  episodes: EpisodeRecord[]
}

export type RolloutBatch = {
  iteration: number
  groups: GroupRecord[]
  /** Episodes outside any group (e.g. evaluation). */
  loose: EpisodeRecord[]
}

/** A blueprint pin as the trainer sees it at an iteration (see core/api/group-entities.ts). */
export type PinInForce = {
  id: number
  taskSeed: number
  blueprint: string[]
  planLogProb: number | null
}

/**
 * What a checkpoint keeps once a newer checkpoint of its run is stored: these byte ranges of its
 * blob ([start, end), ascending, not overlapping), concatenated, described by `meta`.
 */
export type CheckpointRetain = {
  ranges: [number, number][]
  meta: Record<string, unknown>
}
