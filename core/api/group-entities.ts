// Rollout groups as the group browser and the blueprint group view read them: one row per group
// (one task at one iteration), and a group with its members side by side.
import { z } from 'zod'

export const groupLevelSchema = z.enum(['macro', 'micro', 'flat'])
export type GroupLevel = z.infer<typeof groupLevelSchema>

export const groupFilterSchema = z.enum(['all', 'all-equal', 'zstar-succeeded', 'zstar-failed'])
export type GroupFilter = z.infer<typeof groupFilterSchema>

export const groupSummarySchema = z.object({
  id: z.int(),
  runId: z.int(),
  iteration: z.int(),
  /** HiMAC Phase A (`macro`: G blueprints), Phase B (`micro`: N executions of z*), or flat. */
  level: groupLevelSchema,
  taskSeed: z.int(),
  task: z.string(),
  /** ALFWorld's task type (`pick_heat_then_place_in_recep`, …); null where the env has none. */
  taskType: z.string().nullable(),
  size: z.int(),
  /**
   * z*: the macro group's chosen member; for a micro group its parent's (the Phase-A execution of
   * the blueprint it executes); null for flat groups.
   */
  zStarEpisodeId: z.int().nullable(),
  zStarSuccess: z.boolean().nullable(),
  /** Every member got the same return (no learning signal from the group). */
  allEqual: z.boolean(),
  bestReturn: z.number(),
  meanReturn: z.number(),
  /** Distinct blueprints among the members (0 when they have none). */
  distinctBlueprints: z.int(),
  parentGroupId: z.int().nullable(),
  /** A macro group's first Phase-B group (the executions of its z*), if any. */
  childGroupId: z.int().nullable(),
  /** A Phase-B group that executed a pinned blueprint instead of z*: the pin. */
  pinId: z.int().nullable()
})
export type GroupSummary = z.infer<typeof groupSummarySchema>

/** What happened to one subgoal in one execution. */
export const segmentEndSchema = z.enum([
  /** The executor chose `<sub_done>` (also right away, with no step in it). */
  'sub_done',
  /** Its step budget ran out. */
  'fallback',
  /** The episode ended inside it (the post-plan segment always ends this way). */
  'episode_end',
  /** The episode ended before it began. */
  'not_reached'
])
export type SegmentEnd = z.infer<typeof segmentEndSchema>

/** The steps an execution spent on subgoal `index` (index = blueprint length: after the plan). */
export const subgoalSegmentSchema = z.object({
  index: z.int(),
  steps: z.int(),
  /** Step numbers (`t`) of its first and last step; null when it has none. */
  firstT: z.int().nullable(),
  lastT: z.int().nullable(),
  end: segmentEndSchema
})
export type SubgoalSegment = z.infer<typeof subgoalSegmentSchema>

export const groupMemberSchema = z.object({
  episodeId: z.int(),
  memberIndex: z.int(),
  return: z.number(),
  success: z.boolean(),
  /** Actions taken (the episode's length). */
  length: z.int(),
  /**
   * The member's advantage in its group: the plan advantage in a macro group; otherwise the mean of
   * its steps' advantages (GRPO, RLOO and Phase B give every step the episode's advantage).
   */
  advantage: z.number().nullable(),
  planLogProb: z.number().nullable(),
  /** The blueprint's subgoals in order; empty for a flat agent. */
  blueprint: z.array(z.string()),
  isZStar: z.boolean(),
  /** One per blueprint subgoal plus the post-plan segment; empty without a blueprint. */
  segments: z.array(subgoalSegmentSchema),
  subDoneCount: z.int(),
  fallbackCount: z.int()
})
export type GroupMember = z.infer<typeof groupMemberSchema>

export const groupDetailSchema = z.object({
  group: groupSummarySchema,
  env: z.string(),
  members: z.array(groupMemberSchema),
  /** A micro group's Phase-A group. */
  parent: groupSummarySchema.nullable(),
  /** A macro group's Phase-B groups. */
  children: z.array(groupSummarySchema)
})
export type GroupDetail = z.infer<typeof groupDetailSchema>

/** What a run's groups can be browsed by. */
export const groupFacetsSchema = z.object({
  iterations: z.array(z.int()),
  levels: z.array(groupLevelSchema),
  taskTypes: z.array(z.string())
})
export type GroupFacets = z.infer<typeof groupFacetsSchema>

/**
 * A Phase-A blueprint pinned as the Phase-B plan of its task: from the iteration the trainer took it
 * (null: not yet) until the one it saw it removed, each iteration includes the task and executes
 * this blueprint in Phase B instead of z*.
 */
export const blueprintPinSchema = z.object({
  id: z.int(),
  runId: z.int(),
  /** The Phase-A member whose blueprint was pinned. */
  sourceEpisodeId: z.int(),
  taskSeed: z.int(),
  task: z.string(),
  blueprint: z.array(z.string()),
  author: z.string(),
  createdAt: z.string(),
  fromIteration: z.int().nullable(),
  removedAt: z.string().nullable(),
  untilIteration: z.int().nullable()
})
export type BlueprintPin = z.infer<typeof blueprintPinSchema>
