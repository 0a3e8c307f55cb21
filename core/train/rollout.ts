// Lock-step rollouts of a batch of environments under one action-choosing function.
import type { Env, EnvView } from '../envs/env'
import { finalStateStep, type StepRecord } from '../store/records'

export type Trace = {
  seed: number
  task: string
  steps: StepRecord[]
  /** Encoded observation per counted step (what the policy saw). */
  features: Float32Array[]
  actions: number[]
  return: number
  success: boolean
}

export type ChooseActions = (
  features: Float32Array,
  batch: number
) => { actions: number[]; logProbs: (number | null)[] }

export type Encoder = {
  size: number
  encode(view: EnvView, out: Float32Array, offset: number): void
}

/** Runs every env to done, choosing all active envs' actions in one call per step. */
export function rolloutLockstep(
  envs: Env[],
  seeds: number[],
  encoder: Encoder,
  choose: ChooseActions
): Trace[] {
  const traces: Trace[] = []
  const current = envs.map((env, i) => {
    const seed = seeds[i] as number
    const r = env.reset(seed)
    traces.push({
      seed,
      task: r.task,
      steps: [],
      features: [],
      actions: [],
      return: 0,
      success: false
    })
    return { obs: r.observation, admissible: r.admissibleActions, view: r.view, done: false }
  })
  for (;;) {
    const active = current.flatMap((c, i) => (c.done ? [] : [i]))
    if (active.length === 0) break
    const features = new Float32Array(active.length * encoder.size)
    active.forEach((envIndex, k) =>
      encoder.encode(current[envIndex]!.view, features, k * encoder.size)
    )
    const { actions, logProbs } = choose(features, active.length)
    active.forEach((envIndex, k) => {
      const env = envs[envIndex] as Env
      const cur = current[envIndex]!
      const trace = traces[envIndex] as Trace
      const a = actions[k] as number
      const actionText = cur.admissible[a] ?? ''
      const res = env.step(actionText)
      trace.steps.push({
        t: trace.steps.length,
        observation: cur.obs,
        admissibleActions: cur.admissible,
        action: actionText,
        reward: res.reward,
        done: res.done,
        logProb: logProbs[k] ?? null,
        view: cur.view
      })
      trace.features.push(features.slice(k * encoder.size, (k + 1) * encoder.size))
      trace.actions.push(a)
      trace.return += res.reward
      if (res.done) {
        trace.success = res.info.won
        trace.steps.push(finalStateStep(trace.steps.length, res))
      }
      current[envIndex] = {
        obs: res.observation,
        admissible: res.admissibleActions,
        view: res.view,
        done: res.done
      }
    })
  }
  return traces
}
