// Metrics recomputed from a run's stored episodes, to check the values the run logged.
import type { StoredEpisode, StoredRun } from './stored-run'

export type Summary = { successRate: number; meanReturn: number; meanLength: number }

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

export function summarize(episodes: readonly StoredEpisode[]): Summary {
  if (episodes.length === 0) throw new Error('no episodes to summarise')
  return {
    successRate: mean(episodes.map((e) => (e.success ? 1 : 0))),
    meanReturn: mean(episodes.map((e) => e.return)),
    meanLength: mean(episodes.map((e) => e.length))
  }
}

const GRPO_KEYS = [
  'train/success_rate',
  'train/mean_return',
  'train/mean_length',
  'train/zero_variance_groups',
  'eval/success_rate',
  'eval/mean_return'
]

/** Share of groups whose members all got the same return. */
function zeroVarianceShare(episodes: readonly StoredEpisode[]): number {
  const returns = new Map<number | null, number[]>()
  for (const e of episodes) returns.set(e.groupId, [...(returns.get(e.groupId) ?? []), e.return])
  const groups = [...returns.values()]
  return groups.filter((r) => Math.max(...r) === Math.min(...r)).length / groups.length
}

/** Per iteration, what a GRPO run must have logged for the train and eval episodes it stored. */
export function expectedGrpoMetrics(run: StoredRun): Map<number, Record<string, number>> {
  const iterations = new Set([...run.metrics.keys(), ...run.episodes.map((e) => e.iteration)])
  const expected = new Map<number, Record<string, number>>()
  for (const it of [...iterations].sort((a, b) => a - b)) {
    const train = run.episodes.filter((e) => e.iteration === it && e.phase === 'train')
    const evals = run.episodes.filter((e) => e.iteration === it && e.phase === 'eval')
    const values: Record<string, number> = {}
    if (train.length > 0) {
      const s = summarize(train)
      values['train/success_rate'] = s.successRate
      values['train/mean_return'] = s.meanReturn
      values['train/mean_length'] = s.meanLength
      values['train/zero_variance_groups'] = zeroVarianceShare(train)
    }
    if (evals.length > 0) {
      const s = summarize(evals)
      values['eval/success_rate'] = s.successRate
      values['eval/mean_return'] = s.meanReturn
    }
    expected.set(it, values)
  }
  return expected
}

export const isGrpoRecomputed = (key: string): boolean => GRPO_KEYS.includes(key)

/**
 * What a reference-agent run must have logged (at iteration 0): success, return and length over its
 * evaluation episodes, and success per task-type key for the episodes `taskKeyOf` knows a type of.
 */
export function expectedReferenceMetrics(
  run: StoredRun,
  taskKeyOf: (e: StoredEpisode) => string | undefined = () => undefined
): Record<string, number> {
  const evals = run.episodes.filter((e) => e.phase === 'eval')
  const s = summarize(evals)
  const values: Record<string, number> = {
    'eval/success_rate': s.successRate,
    'eval/mean_return': s.meanReturn,
    'eval/mean_length': s.meanLength,
    'eval/episodes': evals.length
  }
  const byKey = new Map<string, StoredEpisode[]>()
  for (const e of evals) {
    const key = taskKeyOf(e)
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), e])
  }
  for (const [key, eps] of byKey) values[`eval/success_rate/${key}`] = summarize(eps).successRate
  return values
}

export const isReferenceRecomputed = (key: string): boolean =>
  ['eval/success_rate', 'eval/mean_return', 'eval/mean_length', 'eval/episodes'].includes(key) ||
  key.startsWith('eval/success_rate/')

/**
 * Expected values that were not logged or differ (relative 1e-9), and logged recomputable keys
 * with no expected value (e.g. a per-type rate for a type no episode had).
 */
export function metricMismatches(
  logged: Record<string, number> | undefined,
  expected: Record<string, number>,
  recomputed: (key: string) => boolean
): string[] {
  const out: string[] = []
  const got = logged ?? {}
  for (const [key, want] of Object.entries(expected)) {
    const value = got[key]
    if (value === undefined) out.push(`${key}: not logged (expected ${want})`)
    else if (Math.abs(value - want) > 1e-9 * Math.max(1, Math.abs(want)))
      out.push(`${key}: logged ${value}, recomputed ${want}`)
  }
  for (const key of Object.keys(got)) {
    if (recomputed(key) && !(key in expected)) out.push(`${key}: logged but nothing to compute it`)
  }
  return out
}

/** Episodes whose stored rows disagree: length vs acted steps, one final-state row, Σ rewards. */
export function episodeInconsistencies(episodes: readonly StoredEpisode[]): string[] {
  const out: string[] = []
  for (const e of episodes) {
    const rewards = e.steps.reduce((s, x) => s + x.reward, 0)
    const last = e.steps.at(-1)
    if (e.steps.length !== e.length + 1) out.push(`episode ${e.id}: ${e.steps.length} rows`)
    else if (last?.action !== '' || !last.done) out.push(`episode ${e.id}: no final-state row`)
    if (Math.abs(rewards - e.return) > 1e-9 * Math.max(1, Math.abs(e.return)))
      out.push(`episode ${e.id}: return ${e.return}, rewards sum to ${rewards}`)
  }
  return out
}

/**
 * Iterations whose perf metrics disagree with the stored steps: the rollout, timed at
 * perf/env_steps_per_s, is part of the iteration, so rate × perf/iteration_s ≥ the train steps.
 */
export function perfInconsistencies(run: StoredRun): string[] {
  const out: string[] = []
  for (const [it, values] of run.metrics) {
    const steps = run.episodes
      .filter((e) => e.iteration === it && e.phase === 'train')
      .reduce((s, e) => s + e.length, 0)
    const rate = values['perf/env_steps_per_s']
    const seconds = values['perf/iteration_s']
    if (rate === undefined || seconds === undefined) out.push(`iteration ${it}: no perf metrics`)
    else if (!(rate > 0 && seconds > 0 && rate * seconds >= steps * (1 - 1e-9)))
      out.push(`iteration ${it}: ${rate} steps/s × ${seconds} s < ${steps} steps`)
  }
  return out
}
