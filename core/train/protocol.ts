// Messages between the trainer host (the store's one writer) and a trainer process.
import type { ExperimentConfig } from '../api/config'
import type { PinInForce, RolloutBatch } from '../store/records'
import type { CheckpointPayload, StartedInfo, TrainingOutcome } from './sink'
import type { ResumeState } from './trainer-state'

/**
 * `synced` answers the child's `sync` once every message before it has been handled (IPC keeps
 * order), so a child that awaits it knows nothing it sent is still in flight.
 */
export type HostMessage =
  | { type: 'start'; runId: number; config: ExperimentConfig; resume?: ResumeState }
  | { type: 'stop' }
  | { type: 'synced'; seq: number }
  /** The answer to `pins`: the blueprint pins in force at that iteration. */
  | { type: 'pins'; seq: number; pins: PinInForce[] }

export type ChildMessage =
  | ({ type: 'started' } & StartedInfo)
  | { type: 'rollouts'; batch: RolloutBatch }
  | { type: 'metrics'; iteration: number; values: Record<string, number> }
  | { type: 'progress'; iteration: number; iterations: number; phase: string }
  | { type: 'checkpoint'; iteration: number; payload: CheckpointPayload }
  | { type: 'finished'; outcome: TrainingOutcome }
  | { type: 'failed'; error: string }
  | { type: 'sync'; seq: number }
  /** Which blueprint pins apply at `iteration` (HiMAC; the host records when each takes effect). */
  | { type: 'pins'; seq: number; iteration: number }

export type ChildPort = {
  post(message: ChildMessage): void
  onMessage(listener: (message: HostMessage) => void): void
  /** Called when the host is gone (IPC channel closed); the child should exit. */
  onDisconnect(listener: () => void): void
}
