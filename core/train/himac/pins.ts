// Blueprint pins in a HiMAC iteration: each pinned task joins the iteration's tasks (in place of
// the last sampled ones, so the sampling stream is unchanged), and Phase B executes its pinned
// blueprint instead of z*.
import { blueprintTokens } from '../../agent/himac/executor-plan'
import type { PlanSample } from '../../agent/himac/plan-rollout'
import type { Tokenizer } from '../../agent/tokenizer'
import type { PinInForce } from '../../store/records'

/** The iteration's seeds with the pinned tasks in (at most one pin per task, oldest first). */
export function seedsWithPins(
  seeds: readonly number[],
  pins: readonly PinInForce[]
): { seeds: number[]; pinOf: Map<number, PinInForce> } {
  const pinOf = new Map<number, PinInForce>()
  for (const p of pins)
    if (!pinOf.has(p.taskSeed) && pinOf.size < seeds.length) pinOf.set(p.taskSeed, p)
  const missing = [...pinOf.keys()].filter((s) => !seeds.includes(s))
  const out = [...seeds]
  // Replace sampled seeds from the end, skipping ones that are pinned themselves.
  for (let i = out.length - 1; i >= 0 && missing.length > 0; i--)
    if (!pinOf.has(out[i] as number)) out[i] = missing.shift() as number
  return { seeds: out, pinOf }
}

/** A pinned blueprint as the plan Phase B executes (its log-prob as recorded when it was pinned). */
export function pinnedPlan(tokenizer: Tokenizer, pin: PinInForce): PlanSample {
  const tokens = blueprintTokens(tokenizer, pin.blueprint)
  return {
    tokens,
    text: pin.blueprint.join(' | '),
    logProb: pin.planLogProb ?? 0,
    trajectory: { chunks: [], decisions: [] }
  }
}
