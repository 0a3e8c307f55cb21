// A counterfactual's change in words.
import type { Counterfactual } from '../../../../core/api/entities'

export function editText(c: Counterfactual): string {
  const e = c.edit
  const how =
    e.kind === 'action' ? `step ${e.t}: ${e.action}` : `subgoal ${e.index + 1}: “${e.text}”`
  return `${how} (policy of run #${c.policyRunId}${c.temperature > 0 ? `, T=${c.temperature}` : ', greedy'})`
}
