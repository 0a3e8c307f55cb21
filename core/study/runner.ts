// Runs a study's planned runs one after another in this process, through the same path as
// `himac train` (runExperiment into the store). A study that stopped or crashed resumes: completed
// runs are skipped, stopped or failed ones continue from their newest checkpoint (planResume, the
// same as `himac train --resume`), missing ones start.
import { plannedIterations, type ExperimentConfig } from '../api/config'
import { StoreReader, StoreWriter, type Db } from '../store'
import { StudyStore, studyRunIndex } from '../store/study-queries'
import { processAlive } from '../store/process-alive'
import { planResume } from '../train/resume'
import { BUDGET_SPENT } from '../train/budget-stop'
import { readWarmStartConfig, withWarmStartRecipe } from '../train/lm/warm-start'
import { runExperiment } from '../train/run'
import { createStoreSink } from '../train/store-sink'
import type { ResumeState } from '../train/trainer-state'
import {
  METHOD_LABELS,
  methodConfig,
  plannedRuns,
  studySpecSchema,
  type BudgetClock,
  type StudyMethod,
  type StudySpec
} from './spec'

export class StudyError extends Error {}

export type StudyRunInfo = {
  index: number
  count: number
  method: StudyMethod
  seed: number
  runId: number
  /** Iterations of this run stored before this process started it (a resume). */
  from: number
  iterations: number
}

export type StudyHooks = {
  /** A run begins (or resumes) in this process. */
  runStarted?(info: StudyRunInfo): void
  /** Progress inside the current run (iteration of its planned iterations). */
  iteration?(info: StudyRunInfo, iteration: number, phase: string): void
  metrics?(info: StudyRunInfo, iteration: number, values: Record<string, number>): void
  runEnded?(info: StudyRunInfo, status: string): void
  skipped?(method: StudyMethod, seed: number, runId: number): void
}

export function readSpec(specJson: string): StudySpec {
  return studySpecSchema.parse(JSON.parse(specJson))
}

/** Creates the study row; its runs are created as they start. */
export function createStudy(db: Db, name: string, spec: StudySpec): number {
  return new StudyStore(db).create(name, spec.env, JSON.stringify(spec), process.pid)
}

/**
 * Makes this process the study's owner for a resume: refused while another live process runs it
 * or when it is complete.
 */
export function claimStudy(db: Db, studyId: number): StudySpec {
  const store = new StudyStore(db)
  const row = store.get(studyId)
  if (!row) throw new StudyError(`study ${studyId} does not exist`)
  if (row.status === 'completed') throw new StudyError(`study ${studyId} is already completed`)
  if (
    row.status === 'running' &&
    row.owner_pid !== null &&
    row.owner_pid !== process.pid &&
    processAlive(row.owner_pid)
  )
    throw new StudyError(`study ${studyId} is running in process ${row.owner_pid}`)
  store.claim(studyId, process.pid)
  return readSpec(row.spec_json)
}

/** Planned iterations of every run of the study (the progress bar's total; iteration budgets). */
export function studyIterations(spec: StudySpec): number {
  return plannedRuns(spec).reduce(
    (s, p) => s + plannedIterations(methodConfig(spec, p.method, p.seed)),
    0
  )
}

/** What one iteration costs of a minutes budget: all of it, or (training clock) all but its evaluation. */
export function budgetSeconds(values: Record<string, number>, clock: BudgetClock): number {
  const all = values['perf/iteration_s'] ?? 0
  return clock === 'wall' ? all : Math.max(0, all - (values['perf/eval_s'] ?? 0))
}

/** Budget seconds already spent by a run's stored iterations before `from`. */
function secondsSpent(db: Db, runId: number, from: number, clock: BudgetClock): number {
  const sum = (key: string): number =>
    (
      db
        .prepare(
          'SELECT COALESCE(SUM(value), 0) AS s FROM metrics WHERE run_id = ? AND key = ? AND iteration < ?'
        )
        .get(runId, key, from) as { s: number }
    ).s
  const all = sum('perf/iteration_s')
  return clock === 'wall' ? all : Math.max(0, all - sum('perf/eval_s'))
}

/**
 * Runs every planned run not yet completed. Returns 'completed' when all are, 'stopped' when the
 * signal stopped it (the current run keeps its checkpoint). A run that throws fails the study
 * (the error is rethrown after the run and the study are marked failed).
 */
export async function runStudy(
  db: Db,
  studyId: number,
  options: { signal?: AbortSignal; hooks?: StudyHooks } = {}
): Promise<'completed' | 'stopped'> {
  const studies = new StudyStore(db)
  const reader = new StoreReader(db)
  const writer = new StoreWriter(db)
  const row = studies.get(studyId)
  if (!row) throw new StudyError(`study ${studyId} does not exist`)
  const spec = readSpec(row.spec_json)
  const hooks = options.hooks ?? {}
  const plan = plannedRuns(spec)
  const experiments = new Map<StudyMethod, number>()
  for (const r of studies.runs(studyId)) experiments.set(r.method as StudyMethod, r.experiment_id)
  try {
    for (const [index, { method, seed }] of plan.entries()) {
      if (options.signal?.aborted) break
      const existing = studyRunIndex(studies.runs(studyId)).get(`${method}/${seed}`)
      if (existing?.status === 'completed') {
        hooks.skipped?.(method, seed, existing.run_id)
        continue
      }
      let runId: number
      let config: ExperimentConfig
      let from = 0
      let resume: ResumeState | undefined
      if (existing) {
        // Stopped, failed, or left running by a process that is gone (this study's owner was).
        const resumePlan = planResume(reader, existing.run_id, true)
        runId = existing.run_id
        config = resumePlan.config
        from = resumePlan.from
        resume = resumePlan.state
        writer.rewindRun(runId, from)
      } else {
        config = methodConfig(spec, method, seed)
        const file = config.policy.warmStart.from
        if (file !== null) config = withWarmStartRecipe(config, readWarmStartConfig(file))
        let experimentId = experiments.get(method)
        if (experimentId === undefined) {
          experimentId = writer.createExperiment(
            `study ${studyId} · ${METHOD_LABELS[method]}`,
            null,
            config
          )
          experiments.set(method, experimentId)
        }
        runId = writer.createRun(experimentId, config)
        studies.attachRun(runId, studyId, method)
      }
      const info: StudyRunInfo = {
        index,
        count: plan.length,
        method,
        seed,
        runId,
        from,
        iterations: plannedIterations(config)
      }
      hooks.runStarted?.(info)
      // A minutes budget: the run stops once its minutes (cloning included) are spent, after the
      // iteration in progress, and evaluates the policy it ends with. The wall clock is a timer;
      // the training clock adds up each iteration's seconds without its evaluation.
      const controller = new AbortController()
      const onAbort = (): void => controller.abort()
      options.signal?.addEventListener('abort', onAbort, { once: true })
      let timer: NodeJS.Timeout | undefined
      let timeUp = false
      const stopForTime = (): void => {
        timeUp = true
        controller.abort(BUDGET_SPENT)
      }
      let trainLeft = Infinity
      if (spec.budget.kind === 'minutes') {
        const { clock } = spec.budget
        const left = spec.budget.minutes * 60 - secondsSpent(db, runId, from, clock)
        if (clock === 'wall') timer = setTimeout(stopForTime, Math.max(0, left * 1000))
        else if (left <= 0) stopForTime()
        else trainLeft = left
      }
      const sink = createStoreSink(writer, runId, {
        onProgress: (iteration, _total, phase) => hooks.iteration?.(info, iteration, phase),
        onMetrics: (iteration, values) => {
          hooks.metrics?.(info, iteration, values)
          if (trainLeft === Infinity) return
          trainLeft -= budgetSeconds(values, 'train')
          if (trainLeft <= 0) stopForTime()
        }
      })
      try {
        const outcome = await runExperiment(config, sink, {
          signal: controller.signal,
          ...(resume ? { resume } : {})
        })
        const status = outcome.status === 'stopped' && timeUp ? 'completed' : outcome.status
        writer.finishRun(runId, status)
        hooks.runEnded?.(info, status)
        if (status === 'stopped') break
      } catch (err) {
        writer.finishRun(runId, 'failed', err instanceof Error ? err.message : String(err))
        hooks.runEnded?.(info, 'failed')
        throw err
      } finally {
        if (timer) clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
      }
    }
  } catch (err) {
    studies.finish(studyId, 'failed', err instanceof Error ? err.message : String(err))
    throw err
  }
  const byPair = studyRunIndex(studies.runs(studyId))
  const done = plan.every((p) => byPair.get(`${p.method}/${p.seed}`)?.status === 'completed')
  studies.finish(studyId, done ? 'completed' : 'stopped')
  return done ? 'completed' : 'stopped'
}
