// `himac bench --only env-policies`: each environment through the one Env interface under a
// uniform-random and an expert (oracle) policy: resets (world generation) and steps per second.
import { experimentConfigSchema } from '../api/config'
import { createRng } from '../rng'
import type { Env, EnvKind, EnvObservation } from './env'
import { createEnvForExperiment } from './registry'

export type PolicyBenchRow = {
  env: EnvKind
  policy: 'random' | 'expert'
  episodes: number
  steps: number
  successRate: number
  /** Env steps per second of env time (policy time excluded). */
  stepsPerSec: number
  /** Resets per second: world generation (and the first observation). */
  resetsPerSec: number
  /** Expert plans per second (the oracle's search from the reset state); null for random. */
  plansPerSec: number | null
}

type Clock = { reset: number; step: number; plan: number }

function runEpisodes(env: Env, policy: 'random' | 'expert', episodes: number) {
  const rng = createRng(17)
  const ms: Clock = { reset: 0, step: 0, plan: 0 }
  let steps = 0
  let wins = 0
  for (let e = 0; e < episodes; e++) {
    let t0 = performance.now()
    let obs: EnvObservation = env.reset(100_000 + e)
    ms.reset += performance.now() - t0
    let plan: string[] = []
    if (policy === 'expert') {
      t0 = performance.now()
      plan = (env.expert?.() ?? []).flatMap((s) => s.actions)
      ms.plan += performance.now() - t0
    }
    for (let t = 0; t < env.maxSteps; t++) {
      const action =
        policy === 'expert'
          ? (plan[t] ?? 'look')
          : (obs.admissibleActions[rng.int(obs.admissibleActions.length)] ?? '')
      t0 = performance.now()
      const next = env.step(action)
      ms.step += performance.now() - t0
      steps++
      obs = next
      if (next.done) {
        if (next.info.won) wins++
        break
      }
      if (policy === 'expert' && t + 1 >= plan.length) break
    }
  }
  return { ms, steps, wins }
}

/** `episodes` per env and policy; seeds 100000… so no training task is reused. */
export function benchEnvPolicies(episodes = 300): PolicyBenchRow[] {
  const rows: PolicyBenchRow[] = []
  for (const kind of ['sokoban', 'alfworld', 'webshop'] as const) {
    const env = createEnvForExperiment(experimentConfigSchema.parse({ env: kind }))
    for (const policy of ['random', 'expert'] as const) {
      const { ms, steps, wins } = runEpisodes(env, policy, episodes)
      rows.push({
        env: kind,
        policy,
        episodes,
        steps,
        successRate: +(wins / episodes).toFixed(3),
        stepsPerSec: Math.round((steps * 1000) / ms.step),
        resetsPerSec: Math.round((episodes * 1000) / ms.reset),
        plansPerSec: policy === 'expert' ? Math.round((episodes * 1000) / ms.plan) : null
      })
    }
  }
  return rows
}
