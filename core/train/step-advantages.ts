// Per-step advantages of one group of episodes for each training algorithm: GRPO and RLOO give every
// step its episode's advantage; GiGPO adds the anchor-state (same observation) step-level term.
import type { ExperimentConfig, TrainingAlgo } from '../api/config'
import type { StepRecord } from '../store/records'
import { gigpoAdvantages, groupAdvantages, rlooAdvantages } from './advantages'

/** verl-agent's GiGPO defaults (envs.md §4.2): γ for step returns, ω for the step term. */
export const GIGPO_GAMMA = 0.95
export const GIGPO_OMEGA = 1

export type GroupMember = { return: number; steps: readonly StepRecord[] }

export function stepAdvantages(
  config: Pick<ExperimentConfig, 'advantageNorm'> & { algo: TrainingAlgo | string },
  members: readonly GroupMember[]
): { perStep: number[][]; zeroVariance: boolean } {
  const returns = members.map((m) => m.return)
  const zeroVariance = Math.max(...returns) === Math.min(...returns)
  const acted = members.map((m) => m.steps.filter((s) => s.action !== ''))
  if (config.algo === 'gigpo') {
    const perStep = gigpoAdvantages({
      episodes: acted.map((steps, i) => ({
        rewards: steps.map((s) => s.reward),
        anchors: steps.map((s) => s.observation),
        episodeReturn: returns[i] as number
      })),
      gamma: GIGPO_GAMMA,
      omega: GIGPO_OMEGA,
      norm: config.advantageNorm
    })
    return { perStep, zeroVariance }
  }
  const episode =
    config.algo === 'rloo'
      ? rlooAdvantages(returns)
      : groupAdvantages(returns, config.advantageNorm)
  return {
    perStep: acted.map((steps, i) => steps.map(() => episode[i] as number)),
    zeroVariance
  }
}
