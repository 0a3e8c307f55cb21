// A training sink that keeps every iteration's metrics (for the learning tests and their child).
import type { TrainingSink } from '../../core/train/sink'

export type Point = { iteration: number; values: Record<string, number> }

/** A sink that keeps every iteration's metrics in `points` and drops the rest. */
export function metricsSink(points: Point[]): TrainingSink {
  return {
    started: () => undefined,
    rollouts: () => undefined,
    metrics: (iteration, values) => points.push({ iteration, values }),
    progress: () => undefined,
    checkpoint: () => undefined
  }
}
