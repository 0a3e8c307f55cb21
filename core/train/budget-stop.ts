// A study's minutes budget stops a run after the iteration in progress. Its last evaluation then
// measured the policy before that iteration's update (or several updates earlier), so the trainers
// evaluate once more the policy they end with, reported at the iteration index equal to the
// updates applied — where an evaluation before the next update would have been recorded.
import type { EpisodeRecord } from '../store/records'
import { drainSink, type TrainingSink } from './sink'

/** The abort reason of a spent budget (any other reason is a stop request: no final evaluation). */
export const BUDGET_SPENT = 'budget spent'

export function stoppedByBudget(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason === BUDGET_SPENT
}

export type FinalEvaluation = {
  signal: AbortSignal | undefined
  evalEvery: number
  /** The loop's index when it stopped: the policy version (iterations whose update was applied). */
  iteration: number
  total: number
  /** The policy version the last evaluation measured (-1: none in this process). */
  evaluated: number
  sink: TrainingSink
  /** Runs the held-out evaluation, pushing its episodes into `loose`; returns eval/* metrics. */
  evaluate: (loose: EpisodeRecord[]) => Record<string, number>
}

/**
 * Evaluates and reports the final policy when the budget stopped the run after updates that no
 * evaluation measured. Returns its eval/* metrics, or null when there was nothing to evaluate.
 */
export async function evaluateAfterBudget(
  f: FinalEvaluation
): Promise<Record<string, number> | null> {
  if (!stoppedByBudget(f.signal) || f.evalEvery <= 0 || f.evaluated === f.iteration) return null
  f.sink.progress(f.iteration, f.total, 'eval')
  const t = performance.now()
  const loose: EpisodeRecord[] = []
  const values = f.evaluate(loose)
  const seconds = (performance.now() - t) / 1000
  f.sink.rollouts({ iteration: f.iteration, groups: [], loose })
  const reported = { ...values, 'perf/eval_s': seconds, 'perf/iteration_s': seconds }
  if (f.sink.finalEvaluation) f.sink.finalEvaluation(f.iteration, reported)
  else f.sink.metrics(f.iteration, reported)
  await drainSink(f.sink)
  return values
}
