// The workbench service: every API command, validated, against one store (one writer) and a
// trainer host. Transports (HTTP, Electron IPC) call `invoke` and subscribe with `on`.
import os from 'node:os'
import { openDatabase, StoreReader, StoreWriter, type Db } from '../store'
import { validateEnvConfig } from '../envs/registry'
import { plannedIterations } from './config'
import { TrainerHost, type TrainerLauncher } from '../train/host'
import { planResume, ResumeError } from '../train/resume'
import {
  commandInputs,
  isCommandName,
  type CommandName,
  type EventName,
  type Handlers,
  type Result,
  type ServerEvents
} from './contract'
import type { Preset, Run } from './entities'
import { conflict, notFound, toApiError } from './errors'
import { listStudies, studyReport } from '../study/report'
import { annotationHandlers } from './handlers/annotations'
import { counterfactualHandlers } from './handlers/counterfactuals'
import { pinHandlers } from './handlers/pins'
import { experimentHandlers } from './handlers/experiments'
import { importEpisodeFile, type ImportReport } from '../store/episode-import'

export type ServiceOptions = {
  dbPath: string
  launcher: TrainerLauncher
  presets: Preset[]
  /** How often to look for writes by other processes (`himac train` on the same file), in ms. */
  watchIntervalMs?: number
  /** Who annotations are by when a request names no author (default: the OS user). */
  author?: string
}

export type WorkbenchService = {
  invoke(name: string, input: unknown): Promise<Result<unknown>>
  on<E extends EventName>(event: E, listener: (payload: ServerEvents[E]) => void): () => void
  readonly reader: StoreReader
  /** The database file (downloads read it through connections of their own). */
  readonly dbPath: string
  /** `himac import` of a JSONL file through this service's writer (web mode's upload). */
  importEpisodes(
    file: string,
    options: { experiment?: string; skipBad?: boolean; sourceName?: string }
  ): Promise<ImportReport>
  /** Stops running trainers (storing what they send), then closes the database. */
  close(): Promise<void>
}

type Listeners = { [E in EventName]: Set<(payload: ServerEvents[E]) => void> }

export function createWorkbenchService(options: ServiceOptions): WorkbenchService {
  const db: Db = openDatabase(options.dbPath)
  const writer = new StoreWriter(db)
  const reader = new StoreReader(db)
  writer.failInterruptedRuns()
  const listeners: Listeners = {
    'run/status': new Set(),
    'run/metrics': new Set(),
    'run/progress': new Set(),
    'store/changed': new Set()
  }
  const emit = <E extends EventName>(event: E, payload: ServerEvents[E]): void => {
    for (const l of listeners[event]) (l as (p: ServerEvents[E]) => void)(payload)
  }
  const host = new TrainerHost(writer, options.launcher, {
    status: (runId) => {
      const run = reader.getRun(runId)
      if (run) emit('run/status', run)
    },
    metrics: (runId, iteration, values) =>
      emit('run/metrics', { runId, point: { iteration, values } }),
    progress: (runId, iteration, iterations, phase) =>
      emit('run/progress', { runId, iteration, iterations, phase })
  })
  let closing: Promise<void> | undefined
  /** Runs whose resume waits for their previous trainer process to exit. */
  const resuming = new Set<number>()
  const stopWatching = watchExternalWrites(reader, options.watchIntervalMs ?? 1000, (runIds) => {
    for (const runId of runIds) {
      const run = reader.getRun(runId)
      if (run) emit('run/status', run)
    }
    emit('store/changed', { runIds })
  })
  const mustRun = (runId: number): Run => {
    const run = reader.getRun(runId)
    if (!run) throw notFound(`run ${runId}`)
    return run
  }

  const handlers: Handlers = {
    'presets/list': async () => options.presets,
    'experiments/list': async () => reader.listExperiments(),
    'experiments/create': async ({ name, preset, config }) => {
      if (preset !== undefined && !options.presets.some((p) => p.id === preset))
        throw notFound(`preset ${preset}`)
      validateEnvConfig(config, ['config'])
      const id = writer.createExperiment(name, preset ?? null, config)
      return reader.getExperiment(id)!
    },
    'experiments/start': async ({ experimentId }) => {
      if (closing) throw conflict('the workbench is shutting down')
      const experiment = reader.getExperiment(experimentId)
      if (!experiment) throw notFound(`experiment ${experimentId}`)
      const running = reader
        .listRuns(experimentId)
        .find((r) => r.status === 'running' || r.status === 'queued')
      if (running)
        throw conflict(`experiment ${experimentId} already has run ${running.id} ${running.status}`)
      const runId = writer.createRun(experimentId, experiment.config)
      host.start(runId, experiment.config, plannedIterations(experiment.config))
      const run = mustRun(runId)
      emit('run/status', run)
      return run
    },
    'experiments/stop': async ({ runId }) => {
      const run = mustRun(runId)
      if (!host.stop(runId)) throw conflict(`run ${runId} is not running (status ${run.status})`)
      return run
    },
    'runs/resume': async ({ runId }) => {
      if (closing) throw conflict('the workbench is shutting down')
      mustRun(runId)
      if (host.isRunning(runId) || resuming.has(runId)) throw conflict(`run ${runId} is running`)
      let plan
      try {
        plan = planResume(reader, runId)
      } catch (err) {
        if (err instanceof ResumeError) throw conflict(err.message)
        throw err
      }
      const other = reader
        .listRuns(plan.run.experimentId)
        .find((r) => r.id !== runId && (r.status === 'running' || r.status === 'queued'))
      if (other)
        throw conflict(
          `experiment ${plan.run.experimentId} already has run ${other.id} ${other.status}`
        )
      resuming.add(runId)
      try {
        await host.exited(runId)
        if (closing) throw conflict('the workbench is shutting down')
        writer.rewindRun(runId, plan.from)
        host.start(runId, plan.config, plannedIterations(plan.config), plan.state)
      } finally {
        resuming.delete(runId)
      }
      const run = mustRun(runId)
      emit('run/status', run)
      return run
    },
    'runs/list': async ({ experimentId }) => reader.listRuns(experimentId),
    'runs/get': async ({ runId }) => mustRun(runId),
    'runs/table': async () => reader.listRunTable(),
    'metrics/get': async ({ runId, sinceIteration }) => {
      mustRun(runId)
      return { runId, points: reader.getMetrics(runId, sinceIteration) }
    },
    'metrics/many': async ({ runIds }) =>
      runIds.map((runId) => {
        mustRun(runId)
        return { runId, points: reader.getMetrics(runId) }
      }),
    'episodes/page': async ({
      runId,
      offset,
      limit,
      phase,
      success,
      unlabeled,
      counterfactuals
    }) => {
      mustRun(runId)
      const filter = {
        ...(phase ? { phase } : {}),
        ...(success !== undefined ? { success } : {}),
        ...(unlabeled !== undefined ? { unlabeled } : {}),
        ...(counterfactuals !== undefined ? { counterfactuals } : {})
      }
      return reader.pageEpisodes(runId, offset, limit, filter)
    },
    'episodes/steps': async ({ episodeId }) => {
      const episode = reader.getEpisode(episodeId)
      if (!episode) throw notFound(`episode ${episodeId}`)
      return { episode, steps: reader.getSteps(episodeId) }
    },
    'groups/page': async ({ runId, ...query }) => {
      mustRun(runId)
      return reader.pageGroups({ runId, ...query })
    },
    'groups/facets': async ({ runId }) => {
      mustRun(runId)
      return reader.groupFacets(runId)
    },
    'groups/get': async ({ groupId }) => {
      const detail = reader.groupDetail(groupId)
      if (!detail) throw notFound(`group ${groupId}`)
      return detail
    },
    'studies/list': async () => listStudies(db),
    'studies/report': async ({ studyId }) => {
      const report = studyReport(db, studyId)
      if (!report) throw notFound(`study ${studyId}`)
      return report
    },
    ...annotationHandlers(reader, writer, options.author ?? osUser()),
    ...pinHandlers(reader, writer, options.author ?? osUser()),
    ...counterfactualHandlers(reader, writer),
    ...experimentHandlers(reader, writer)
  }

  async function invoke(name: string, input: unknown): Promise<Result<unknown>> {
    if (!isCommandName(name)) {
      return { error: { type: 'NotFound', message: `unknown command '${name}'` } }
    }
    try {
      const args = commandInputs[name].parse(input ?? {})
      const handler = handlers[name] as (a: unknown) => Promise<unknown>
      return { data: await handler(args) }
    } catch (err) {
      return { error: toApiError(err) }
    }
  }

  return {
    invoke,
    reader,
    dbPath: options.dbPath,
    async importEpisodes(file, opts) {
      if (closing) throw conflict('the workbench is shutting down')
      const report = await importEpisodeFile(db, writer, file, opts)
      if (report.runId !== null) {
        const run = reader.getRun(report.runId)
        if (run) emit('run/status', run)
        emit('store/changed', { runIds: [report.runId] })
      }
      return report
    },
    on(event, listener) {
      listeners[event].add(listener)
      return () => listeners[event].delete(listener)
    },
    async close() {
      if (closing) return closing
      stopWatching()
      closing = host.shutdown().finally(() => db.close())
      return closing
    }
  }
}

export type { CommandName }

function osUser(): string {
  try {
    return os.userInfo().username || 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Polls for commits by other connections and reports the runs they changed. */
function watchExternalWrites(
  reader: StoreReader,
  intervalMs: number,
  changed: (runIds: number[]) => void
): () => void {
  let version = reader.dataVersion()
  let fingerprints = reader.runFingerprints()
  const timer = setInterval(() => {
    const v = reader.dataVersion()
    if (v === version) return
    version = v
    const next = reader.runFingerprints()
    const runIds = [...next].filter(([id, f]) => fingerprints.get(id) !== f).map(([id]) => id)
    fingerprints = next
    if (runIds.length > 0) changed(runIds)
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
