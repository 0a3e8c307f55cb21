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

export type BudgetStopEvaluation = {
  /** The policy after `updates` updates (the loop's iteration index) was just evaluated. */
  measured(updates: number): void
  /**
   * After the loop stopped at `iteration`: when the budget stopped it after updates no evaluation
   * measured, evaluates and reports the final policy; returns `last` with its eval/* metrics.
   */
  finish(
    iteration: number,
    total: number,
    last: Record<string, number>
  ): Promise<Record<string, number>>
}

export function budgetStopEvaluation(
  signal: AbortSignal | undefined,
  evalEvery: number,
  sink: TrainingSink,
  /** Runs the held-out evaluation, pushing its episodes into `loose`; returns eval/* metrics. */
  evaluate: (loose: EpisodeRecord[]) => Record<string, number>
): BudgetStopEvaluation {
  let evaluated = -1
  return {
    measured: (updates) => {
      evaluated = updates
    },
    async finish(iteration, total, last) {
      if (!stoppedByBudget(signal) || evalEvery <= 0 || evaluated === iteration) return last
      sink.progress(iteration, total, 'eval')
      const t = performance.now()
      const loose: EpisodeRecord[] = []
      const values = evaluate(loose)
      const seconds = (performance.now() - t) / 1000
      sink.rollouts({ iteration, groups: [], loose })
      const reported = { ...values, 'perf/eval_s': seconds, 'perf/iteration_s': seconds }
      if (sink.finalEvaluation) sink.finalEvaluation(iteration, reported)
      else sink.metrics(iteration, reported)
      await drainSink(sink)
      return { ...last, ...values }
    }
  }
}
