// LM rollouts as the store's episode records (with each acted step's advantage, when trained on).
import type { LmRollout } from '../../agent/lm'
import type { EpisodeRecord } from '../../store/records'

/** The environment steps of a rollout: its steps that took an action (`<sub_done>` is not one). */
export const envStepCount = (r: Pick<LmRollout, 'steps'>): number =>
  r.steps.filter((s) => s.action !== '').length

export function toEpisode(
  r: LmRollout,
  phase: 'train' | 'eval',
  memberIndex: number,
  env: string,
  advantages?: readonly number[]
): EpisodeRecord {
  let acted = 0
  return {
    phase,
    memberIndex,
    env,
    task: r.task || `${env} seed ${r.seed}`,
    seed: r.seed,
    return: r.return,
    success: r.success,
    length: envStepCount(r),
    steps: advantages
      ? r.steps.map((s) => (s.action ? { ...s, advantage: advantages[acted++] ?? null } : s))
      : r.steps
  }
}
