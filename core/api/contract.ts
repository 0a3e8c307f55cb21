// The one typed workbench API: 'domain/verb' commands with zod-validated inputs, and pushed events.
// Transport-agnostic: served over HTTP + SSE (web mode) and over IPC through the preload bridge.
import { z } from 'zod'
import { labelNameSchema } from './annotation-entities'
import { experimentConfigSchema } from './config'
import { annotationInputs, type AnnotationOutputs } from './domains/annotations'
import { counterfactualInputs, type CounterfactualOutputs } from './domains/counterfactuals'
import { pinInputs, type PinOutputs } from './domains/pins'
import { experimentInputs, type ExperimentOutputs } from './domains/experiments'
import { groupFilterSchema, groupLevelSchema } from './group-entities'
import type {
  ApiError,
  Episode,
  Experiment,
  GroupDetail,
  GroupFacets,
  GroupSummary,
  MetricPoint,
  Preset,
  Run,
  RunTableRow,
  Step,
  StudyReport,
  StudySummary
} from './entities'

/** Every client shows numbers the same way (the renderer may import only the contract). */
export { formatNumber } from '../format'

const id = z.int().min(1)

export const commandInputs = {
  'presets/list': z.object({}).strict(),
  'experiments/list': z.object({}).strict(),
  'experiments/create': z
    .object({
      name: z.string().trim().min(1).max(200),
      preset: z.string().max(100).optional(),
      config: experimentConfigSchema
    })
    .strict(),
  'experiments/start': z.object({ experimentId: id }).strict(),
  'experiments/stop': z.object({ runId: id }).strict(),
  'runs/resume': z.object({ runId: id }).strict(),
  'runs/list': z.object({ experimentId: id.optional() }).strict(),
  'runs/get': z.object({ runId: id }).strict(),
  /** Every run of every experiment, newest first, with its last metric values. */
  'runs/table': z.object({}).strict(),
  'metrics/get': z.object({ runId: id, sinceIteration: z.int().min(-1).default(-1) }).strict(),
  /** Several runs' metric series at once (the compare view), in the order asked. */
  'metrics/many': z.object({ runIds: z.array(id).min(1).max(200) }).strict(),
  'episodes/page': z
    .object({
      runId: id,
      offset: z.int().min(0).default(0),
      limit: z.int().min(1).max(500).default(50),
      phase: z.enum(['train', 'eval']).optional(),
      success: z.boolean().optional(),
      /** Only episodes without a value of this label (the review queue). */
      unlabeled: labelNameSchema.optional(),
      /** Counterfactual episodes are left out by default. */
      counterfactuals: z.enum(['exclude', 'include', 'only']).optional()
    })
    .strict(),
  'episodes/steps': z.object({ episodeId: id }).strict(),
  /** A run's rollout groups in id order, narrowed by iteration, level, task type and a filter. */
  'groups/page': z
    .object({
      runId: id,
      iteration: z.int().min(0).optional(),
      level: groupLevelSchema.optional(),
      filter: groupFilterSchema.default('all'),
      taskType: z.string().trim().min(1).max(100).optional(),
      offset: z.int().min(0).default(0),
      limit: z.int().min(1).max(200).default(50)
    })
    .strict(),
  /** The iterations, levels and task types a run's groups can be browsed by. */
  'groups/facets': z.object({ runId: id }).strict(),
  /** One group with its members side by side (blueprints, advantages, subgoal segments). */
  'groups/get': z.object({ groupId: id }).strict(),
  /** Reproduction studies (`himac repro`), newest first. */
  'studies/list': z.object({}).strict(),
  /** One study's report: per-method mean ± 95 % CI, curves, the paper's numbers beside them. */
  'studies/report': z.object({ studyId: id }).strict(),
  ...annotationInputs,
  ...counterfactualInputs,
  ...pinInputs,
  ...experimentInputs
} as const

export type CommandName = keyof typeof commandInputs
export type CommandInput<K extends CommandName> = z.input<(typeof commandInputs)[K]>
export type CommandArgs<K extends CommandName> = z.output<(typeof commandInputs)[K]>

export type CommandOutputs = {
  'presets/list': Preset[]
  'experiments/list': Experiment[]
  'experiments/create': Experiment
  'experiments/start': Run
  'experiments/stop': Run
  /** A failed or stopped run continues from its last checkpoint (later rows are deleted first). */
  'runs/resume': Run
  'runs/list': Run[]
  'runs/get': Run
  'runs/table': RunTableRow[]
  'metrics/get': { runId: number; points: MetricPoint[] }
  'metrics/many': { runId: number; points: MetricPoint[] }[]
  'episodes/page': { total: number; items: Episode[] }
  'episodes/steps': { episode: Episode; steps: Step[] }
  'groups/page': { total: number; items: GroupSummary[] }
  'groups/facets': GroupFacets
  'groups/get': GroupDetail
  'studies/list': StudySummary[]
  'studies/report': StudyReport
} & AnnotationOutputs &
  CounterfactualOutputs &
  PinOutputs &
  ExperimentOutputs

export type ServerEvents = {
  'run/status': Run
  'run/metrics': { runId: number; point: MetricPoint }
  'run/progress': { runId: number; iteration: number; iterations: number; phase: string }
  /**
   * Another process (`himac train`/`eval` on the same file) changed the database: these runs (new
   * ones included) changed; lists, metrics and episodes of them should be fetched again.
   */
  'store/changed': { runIds: number[] }
}
export type EventName = keyof ServerEvents

/** Every pushed event, once (the record makes the list exhaustive). */
const eventNameSet: Record<EventName, true> = {
  'run/status': true,
  'run/metrics': true,
  'run/progress': true,
  'store/changed': true
}
export const eventNames = Object.keys(eventNameSet) as EventName[]

/** Errors cross every transport as data, never as thrown exceptions. */
export type Result<T> = { data: T; error?: undefined } | { data?: undefined; error: ApiError }

export type Handlers = {
  [K in CommandName]: (args: CommandArgs<K>) => Promise<CommandOutputs[K]>
}

/** What the renderer talks to: the same shape whatever the transport. */
export type WorkbenchClient = {
  invoke<K extends CommandName>(name: K, input: CommandInput<K>): Promise<Result<CommandOutputs[K]>>
  on<E extends EventName>(event: E, listener: (payload: ServerEvents[E]) => void): () => void
}

export const commandNames = Object.keys(commandInputs) as CommandName[]

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commandInputs, name)
}
