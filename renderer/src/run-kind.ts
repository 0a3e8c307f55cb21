// Training runs count iterations; reference-agent runs (expert, random) only evaluate and count
// episodes. Every place that shows a run's size or progress goes through here.
import { isTrainingAlgo, type ExperimentConfig } from '../../core/api/config'
import type { Run } from '../../core/api/entities'

export const isEvaluation = (config: ExperimentConfig): boolean => !isTrainingAlgo(config.algo)

export type RunCount = {
  /** null when unknown: an unfinished evaluation whose progress this page has not seen. */
  done: number | null
  total: number
  unit: 'iterations' | 'episodes'
}

/** What runCount reads of a run's latest progress event (api/hooks' Progress). */
type ProgressCount = { iteration: number; iterations: number }

export function runCount(run: Run, progress: ProgressCount | undefined): RunCount {
  const finished = run.status === 'completed'
  if (isEvaluation(run.config)) {
    const total = progress?.iterations ?? run.config.evalEpisodes
    return { done: finished ? total : (progress?.iteration ?? null), total, unit: 'episodes' }
  }
  // A study's minutes budget completes a run before its planned iterations: it did what it did.
  if (finished && run.iterationsDone > 0 && run.iterationsDone < run.iterations)
    return { done: run.iterationsDone, total: run.iterationsDone, unit: 'iterations' }
  const total = progress?.iterations ?? run.iterations
  // Progress events carry the 0-based iteration in flight, which equals the number finished.
  const done = finished ? total : Math.max(run.iterationsDone, progress?.iteration ?? 0)
  return { done, total, unit: 'iterations' }
}

/** "sokoban · grpo · 8 iterations · 4 × 4" or "alfworld · expert · 120 episodes". */
export function configSummary(config: ExperimentConfig): string {
  const size = isEvaluation(config)
    ? `${config.evalEpisodes} episodes`
    : `${config.iterations} iterations · ${config.groupsPerIteration} × ${config.groupSize}`
  return `${config.env} · ${config.algo} · ${size}`
}
