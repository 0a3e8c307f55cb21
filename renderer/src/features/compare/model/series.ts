// A run's metric as (x, y) points for the compare chart, and groups of runs as mean ± 95 % CI.
// Metrics carry no timestamps (only the run's start and end are stored), so wall time is the
// cumulative sum of `perf/iteration_s`, and env steps the cumulative sum of each iteration's
// training episodes' steps (`train/mean_length` × groups × group size).
import type { MetricPoint } from '../../../../../core/api/entities'
import { meanCi } from './stats'

export const X_AXES = ['iteration', 'wall', 'steps'] as const
export type XAxisKind = (typeof X_AXES)[number]
export const X_TITLES: Record<XAxisKind, string> = {
  iteration: 'iteration',
  wall: 'wall time (s)',
  steps: 'env steps'
}

export type SeriesPoint = { iteration: number; x: number; y: number }
export type RolloutShape = { groupsPerIteration: number; groupSize: number }

/** Every iteration's x on the chosen axis (the end of that iteration), by iteration. */
export function xByIteration(
  points: MetricPoint[],
  axis: XAxisKind,
  shape: RolloutShape
): Map<number, number> {
  const out = new Map<number, number>()
  let sum = 0
  for (const p of [...points].sort((a, b) => a.iteration - b.iteration)) {
    if (axis === 'iteration') {
      out.set(p.iteration, p.iteration)
      continue
    }
    sum +=
      axis === 'wall'
        ? (p.values['perf/iteration_s'] ?? 0)
        : (p.values['train/mean_length'] ?? 0) * shape.groupsPerIteration * shape.groupSize
    out.set(p.iteration, sum)
  }
  return out
}

/** The iterations that logged `metric`, in order, on the chosen x axis. */
export function runSeries(
  points: MetricPoint[],
  metric: string,
  axis: XAxisKind,
  shape: RolloutShape
): SeriesPoint[] {
  const xs = xByIteration(points, axis, shape)
  const out: SeriesPoint[] = []
  for (const p of [...points].sort((a, b) => a.iteration - b.iteration)) {
    const y = p.values[metric]
    const x = xs.get(p.iteration)
    if (y !== undefined && x !== undefined) out.push({ iteration: p.iteration, x, y })
  }
  return out
}

export type BandPoint = {
  iteration: number
  x: number
  mean: number
  lo: number
  hi: number
  n: number
}

/**
 * Per iteration, the mean and 95 % CI over the runs that logged it; x is the mean of those runs'
 * x (iterations align; wall time and env steps differ a little between seeds).
 */
export function aggregate(series: SeriesPoint[][]): BandPoint[] {
  const byIteration = new Map<number, { xs: number[]; ys: number[] }>()
  for (const s of series) {
    for (const p of s) {
      let slot = byIteration.get(p.iteration)
      if (!slot) byIteration.set(p.iteration, (slot = { xs: [], ys: [] }))
      slot.xs.push(p.x)
      slot.ys.push(p.y)
    }
  }
  return [...byIteration.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([iteration, { xs, ys }]) => ({
      iteration,
      x: xs.reduce((a, b) => a + b, 0) / xs.length,
      ...meanCi(ys)
    }))
}
