// Texts an agent sees in an environment (tasks, observations, admissible actions, expert subgoals),
// collected by playing seeded episodes: mostly the expert, with random admissible detours.
import type { Env } from '../../envs/env'
import { createRng } from '../../rng'

export type EnvTextKind = 'task' | 'observation' | 'action' | 'subgoal'

export type EnvText = { kind: EnvTextKind; text: string }

export type EpisodeTextOptions = {
  /** Probability of a random admissible action instead of the expert's next one. Default 0.3. */
  randomActionRate?: number
  /** Steps per episode; default the env's maxSteps. */
  maxSteps?: number
}

/** The texts of one seeded episode, in the order the agent meets them. */
export function* episodeTexts(
  env: Env,
  seed: number,
  options: EpisodeTextOptions = {}
): Generator<EnvText> {
  const rng = createRng(seed * 7919 + 17)
  const randomRate = options.randomActionRate ?? 0.3
  const maxSteps = options.maxSteps ?? env.maxSteps
  const start = env.reset(seed)
  if (start.task !== '') yield { kind: 'task', text: start.task }
  yield { kind: 'observation', text: start.observation }
  for (const a of start.admissibleActions) yield { kind: 'action', text: a }
  for (const s of env.expert?.() ?? []) yield { kind: 'subgoal', text: s.subgoal }
  let admissible = start.admissibleActions
  for (let step = 0; step < maxSteps && admissible.length > 0; step++) {
    const planned = rng.next() < randomRate ? undefined : env.expert?.()[0]?.actions[0]
    const action = planned ?? rng.pick(admissible)
    const out = env.step(action)
    yield { kind: 'observation', text: out.observation }
    for (const a of out.admissibleActions) yield { kind: 'action', text: a }
    if (out.done) return
    admissible = out.admissibleActions
  }
}

/** episodeTexts for every seed, one episode after the other. */
export function* envTexts(
  env: Env,
  seeds: Iterable<number>,
  options: EpisodeTextOptions = {}
): Generator<EnvText> {
  for (const seed of seeds) yield* episodeTexts(env, seed, options)
}

export function seedRange(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i)
}
