// Plain-data rows that cross the API (IPC or HTTP). Types flow from these schemas.
import { z } from 'zod'
import { experimentConfigSchema } from './config'

export const runStatusSchema = z.enum(['queued', 'running', 'completed', 'stopped', 'failed'])
export type RunStatus = z.infer<typeof runStatusSchema>

export const runSchema = z.object({
  id: z.int(),
  experimentId: z.int(),
  status: runStatusSchema,
  seed: z.int(),
  config: experimentConfigSchema,
  backend: z.string().nullable(),
  backendNotes: z.array(z.string()),
  /** Compute kernels used: the native BLAS addon or stock tfjs kernels (null until started). */
  kernels: z.string().nullable(),
  /** The device it computed on (WebGPU adapter, CPU model); null until started or for old runs. */
  backendDevice: z.string().nullable(),
  /** Versions of what computed: tfjs-core, the backend package, node, Dawn's binding. */
  backendVersions: z.record(z.string(), z.string()),
  iterationsDone: z.int(),
  iterations: z.int(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  error: z.string().nullable()
})
export type Run = z.infer<typeof runSchema>

/** A row of the runs table: the run, its experiment's name, and each metric key's last value. */
export const runTableRowSchema = z.object({
  run: runSchema,
  experimentName: z.string(),
  lastMetrics: z.record(z.string(), z.number())
})
export type RunTableRow = z.infer<typeof runTableRowSchema>

export const experimentSchema = z.object({
  id: z.int(),
  name: z.string(),
  preset: z.string().nullable(),
  config: experimentConfigSchema,
  createdAt: z.string(),
  latestRun: runSchema.nullable(),
  tags: z.array(z.string()),
  notes: z.string(),
  /** When it was archived (hidden from the lists unless asked for); null if it is not. */
  archivedAt: z.string().nullable()
})
export type Experiment = z.infer<typeof experimentSchema>

export const presetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  config: experimentConfigSchema
})
export type Preset = z.infer<typeof presetSchema>

export const metricPointSchema = z.object({
  iteration: z.int(),
  values: z.record(z.string(), z.number())
})
export type MetricPoint = z.infer<typeof metricPointSchema>

/** How a counterfactual episode was made from its origin (see core/train/counterfactual.ts). */
export const counterfactualSchema = z.object({
  originEpisodeId: z.int(),
  edit: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('action'), t: z.int(), action: z.string() }),
    z.object({ kind: z.literal('subgoal'), index: z.int(), text: z.string() })
  ]),
  /** The first step that differs from the origin's. */
  from: z.int(),
  /** The run whose newest policy continued the episode, and at which iteration it was saved. */
  policyRunId: z.int(),
  policyIteration: z.int().nullable(),
  temperature: z.number(),
  seed: z.int()
})
export type Counterfactual = z.infer<typeof counterfactualSchema>

export const episodeSchema = z.object({
  id: z.int(),
  runId: z.int(),
  groupId: z.int().nullable(),
  iteration: z.int(),
  phase: z.enum(['train', 'eval']),
  memberIndex: z.int(),
  env: z.string(),
  task: z.string(),
  seed: z.int(),
  blueprint: z.array(z.string()).nullable(),
  /** HiMAC Phase A: the member's blueprint log-prob and advantage. */
  planLogProb: z.number().nullable(),
  planAdvantage: z.number().nullable(),
  return: z.number(),
  success: z.boolean(),
  length: z.int(),
  /** Set on a counterfactual episode: its origin and the change. */
  counterfactual: counterfactualSchema.nullable()
})
export type Episode = z.infer<typeof episodeSchema>

export const stepSchema = z.object({
  t: z.int(),
  observation: z.string(),
  admissibleActions: z.array(z.string()),
  action: z.string(),
  reward: z.number(),
  done: z.boolean(),
  subgoalIndex: z.int().nullable(),
  subDone: z.boolean(),
  logProb: z.number().nullable(),
  advantage: z.number().nullable(),
  view: z.unknown(),
  /**
   * LM agents: each candidate action's probability (to 1e-4; steps stored before format 2 of the
   * step packs: 4 significant digits), null if not recorded.
   */
  candidates: z.array(z.object({ action: z.string(), prob: z.number() })).nullable(),
  /** LM free decoding: the action was not admissible. */
  invalid: z.boolean(),
  /** HiMAC: the subgoal ended here by its step budget, not by `<sub_done>`. */
  fallback: z.boolean(),
  /** HiMAC: the executor's `<sub_done>` probability at this step (to 1e-4, as `candidates`). */
  subDoneProb: z.number().nullable(),
  /**
   * HiMAC: the `<sub_done>` choices made in this step's state before its action (each ended the
   * subgoal before), as their candidates; null when there were none or they were not recorded.
   */
  subDoneChoices: z.array(z.array(z.object({ action: z.string(), prob: z.number() }))).nullable()
})
export type Step = z.infer<typeof stepSchema>

export const apiErrorSchema = z.object({
  /** Unauthorized and Forbidden come from web mode's transport checks, never from a command. */
  type: z.enum([
    'ValidationError',
    'NotFound',
    'Conflict',
    'InternalError',
    'Unauthorized',
    'Forbidden'
  ]),
  message: z.string(),
  field: z.string().optional()
})
export type ApiError = z.infer<typeof apiErrorSchema>

export * from './group-entities'
export * from './study-entities'
export * from './annotation-entities'
