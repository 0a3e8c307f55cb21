// A TrainingSink that writes straight into the store (CLI runs and the trainer host).
import type { StoreWriter } from '../store/writer'
import type { TrainingSink } from './sink'

export type SinkListeners = {
  onMetrics?(iteration: number, values: Record<string, number>): void
  onProgress?(iteration: number, iterations: number, phase: string): void
  onStarted?(backend: string, notes: string[], kernels: string | null): void
}

export function createStoreSink(
  writer: StoreWriter,
  runId: number,
  listeners: SinkListeners = {}
): TrainingSink {
  return {
    started({ backend, notes, kernels, device, versions }) {
      writer.markRunStarted(runId, backend, notes, kernels ?? null, {
        ...(device !== undefined ? { device } : {}),
        ...(versions ? { versions } : {})
      })
      listeners.onStarted?.(backend, notes, kernels ?? null)
    },
    rollouts(batch) {
      writer.insertRollouts(runId, batch)
    },
    metrics(iteration, values) {
      writer.insertMetrics(runId, iteration, values)
      writer.setRunProgress(runId, iteration + 1)
      listeners.onMetrics?.(iteration, values)
    },
    finalEvaluation(iteration, values) {
      writer.insertMetrics(runId, iteration, values)
      listeners.onMetrics?.(iteration, values)
    },
    progress(iteration, iterations, phase) {
      listeners.onProgress?.(iteration, iterations, phase)
    },
    checkpoint(iteration, { format, bytes, meta, retain }) {
      writer.saveCheckpoint(runId, iteration, format, bytes, meta, retain)
    },
    async pins(iteration) {
      return writer.takePins(runId, iteration)
    }
  }
}
