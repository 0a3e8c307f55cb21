// Where a training run reports to: the CLI writes to the store directly, a trainer process forwards
// these calls to its host (the one writer).
import type { CheckpointRetain, PinInForce, RolloutBatch } from '../store/records'

/** What a run computes with, as stored with it (BackendChoice plus the kernels). */
export type StartedInfo = {
  backend: string
  notes: string[]
  kernels?: string
  device?: string
  versions?: Record<string, string>
}

/**
 * A checkpoint row: its format name, a blob and JSON metadata (what the format needs to load it),
 * and what of it to keep once a newer checkpoint of the run is stored (absent: all of it).
 */
export type CheckpointPayload = {
  format: string
  bytes: Uint8Array
  meta: Record<string, unknown>
  retain?: CheckpointRetain
}

export type TrainingSink = {
  started(info: StartedInfo): void
  rollouts(batch: RolloutBatch): void
  metrics(iteration: number, values: Record<string, number>): void
  /**
   * The evaluation of the final policy after a budget stop (./budget-stop): stored like metrics at
   * `iteration` but not counted as an iteration done. Absent: reported through `metrics`.
   */
  finalEvaluation?(iteration: number, values: Record<string, number>): void
  progress(iteration: number, iterations: number, phase: string): void
  /** A resumable checkpoint; written in one transaction with nothing else. */
  checkpoint(iteration: number, payload: CheckpointPayload): void
  /**
   * Awaited by training loops after each iteration: resolves once what was reported so far has
   * reached its destination (backpressure for trainer processes). Also lets stop requests in.
   */
  drain?(): Promise<void>
  /**
   * The blueprint pins in force at `iteration` (HiMAC), recording when new ones take effect; absent
   * where nobody can pin (benchmarks), which means none.
   */
  pins?(iteration: number): Promise<PinInForce[]>
}

export type TrainingOutcome = {
  status: 'completed' | 'stopped'
  iterationsDone: number
  lastMetrics: Record<string, number>
}

/** Awaits the sink's drain, or just one turn of the event loop. */
export function drainSink(sink: TrainingSink): Promise<void> {
  return sink.drain ? sink.drain() : new Promise((resolve) => setImmediate(resolve))
}
