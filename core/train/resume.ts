// Resuming a run: where it continues (its newest resumable checkpoint, else the beginning) and
// whether it may be resumed at all.
import type { ExperimentConfig } from '../api/config'
import type { Run } from '../api/entities'
import type { StoreReader } from '../store/queries'
import { decodeLmTrainerState, LM_STATE_FORMAT } from './lm/trainer-state'
import { decodeTrainerState, TRAINER_STATE_FORMAT, type ResumeState } from './trainer-state'

export class ResumeError extends Error {}

export type ResumePlan = {
  run: Run
  config: ExperimentConfig
  /** Iterations kept: training continues with this one (0 = start over). */
  from: number
  state?: ResumeState
}

/**
 * A failed or stopped run continues from its newest checkpoint. A run still marked running or
 * queued is refused unless `force` says its process is known to be gone (killed).
 */
export function planResume(reader: StoreReader, runId: number, force = false): ResumePlan {
  const run = reader.getRun(runId)
  if (!run) throw new ResumeError(`run ${runId} does not exist`)
  if (run.status === 'completed') throw new ResumeError(`run ${runId} is already completed`)
  if ((run.status === 'running' || run.status === 'queued') && !force)
    throw new ResumeError(
      `run ${runId} is marked ${run.status}: another process may still be training it. ` +
        'If that process is gone (killed or crashed), resume with --force'
    )
  const mlp = reader.latestCheckpoint(runId, TRAINER_STATE_FORMAT)
  const lm = reader.latestCheckpoint(runId, LM_STATE_FORMAT)
  if (!mlp && !lm) return { run, config: run.config, from: 0 }
  let state: ResumeState
  try {
    state =
      lm && (!mlp || lm.iteration >= mlp.iteration)
        ? decodeLmTrainerState(lm.weights, lm.meta)
        : decodeTrainerState(mlp!.weights, mlp!.meta)
  } catch (err) {
    throw new ResumeError(
      `the checkpoint of run ${runId} cannot be read: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  if (JSON.stringify(state.config) !== JSON.stringify(run.config))
    throw new ResumeError(`the checkpoint of run ${runId} was made with another config`)
  return { run, config: run.config, from: state.iteration, state }
}
