// Phase B's advantages for one group (the N executions of a task's blueprint), per executor
// decision. 'episode' (the paper's): the group-relative return, broadcast to every decision.
// 'gigpo' (ours, a flag): GiGPO's per-step advantages (episode term plus the anchor-state step term,
// envs.md §4.2) among the group's env steps. A `<sub_done>` decision is no env step: it takes the
// advantage of the env step that follows it (chosen at the same state), or the episode term where
// no step follows.
import { SUB_DONE } from '../../agent/lm'
import type { StepRecord } from '../../store/records'
import { groupAdvantages, type AdvantageNorm } from '../advantages'
import { stepAdvantages } from '../step-advantages'

export type MicroAdvantage = 'episode' | 'gigpo'

export type MicroMember = {
  return: number
  steps: readonly StepRecord[]
  decisions: readonly { action: string }[]
}

export function microAdvantages(
  mode: MicroAdvantage,
  norm: AdvantageNorm,
  members: readonly MicroMember[]
): { perStep: number[][]; perDecision: number[][]; zeroVariance: boolean } {
  const algo = mode === 'gigpo' ? 'gigpo' : 'grpo'
  const { perStep, zeroVariance } = stepAdvantages({ algo, advantageNorm: norm }, members)
  const episode = groupAdvantages(
    members.map((m) => m.return),
    norm
  )
  const perDecision = members.map((m, i) => {
    const steps = perStep[i] as number[]
    let k = 0
    const advantages = m.decisions.map((d) =>
      d.action === SUB_DONE ? (steps[k] ?? (episode[i] as number)) : (steps[k++] as number)
    )
    if (k !== steps.length)
      throw new Error(`execution ${i}: ${k} env-step decisions for ${steps.length} env steps`)
    return advantages
  })
  return { perStep, perDecision, zeroVariance }
}
