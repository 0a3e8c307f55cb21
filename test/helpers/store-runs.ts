// Training into a real store the way `himac train` and `himac train --resume` do, for tests that
// stop runs midway and resume them.
import type { ExperimentConfig } from '../../core/api/config'
import { openDatabase, StoreReader, StoreWriter } from '../../core/store'
import { planResume, type ResumePlan } from '../../core/train/resume'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'

/**
 * Trains `config` into a new run of `file`; `stopAfter` aborts once that iteration's metrics are
 * stored. `lostCheckpointsAfter`: checkpoints after that iteration never reach the store, as when
 * the process is killed before it writes them.
 */
export async function trainRun(
  file: string,
  config: ExperimentConfig,
  stopAfter?: number,
  lostCheckpointsAfter = Infinity
): Promise<number> {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment('resume', null, config), config)
  const controller = new AbortController()
  const store = createStoreSink(writer, runId, {
    onMetrics: (i) => (i === stopAfter ? controller.abort() : undefined)
  })
  const sink = {
    ...store,
    checkpoint: (...args: Parameters<typeof store.checkpoint>) =>
      args[0] > lostCheckpointsAfter ? undefined : store.checkpoint(...args)
  }
  const outcome = await runExperiment(config, sink, { signal: controller.signal })
  writer.finishRun(runId, outcome.status)
  db.close()
  return runId
}

/** Resumes the run from its newest checkpoint to the end; returns the plan it followed. */
export async function resumeRun(file: string, runId: number): Promise<ResumePlan> {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const plan = planResume(new StoreReader(db), runId)
  writer.rewindRun(runId, plan.from)
  const outcome = await runExperiment(
    plan.config,
    createStoreSink(writer, runId),
    plan.state ? { resume: plan.state } : {}
  )
  writer.finishRun(runId, outcome.status)
  db.close()
  return plan
}
