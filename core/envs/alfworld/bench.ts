// Throughput benchmark: env steps per second on one core with a seeded random admissible policy
// (with a 10% share of inadmissible commands), resetting on done.
import { createAlfworldEnv } from './env'
import { createRng } from './rng'

export type AlfworldBenchResult = { steps: number; seconds: number; stepsPerSec: number; episodes: number }

export function benchAlfworld(steps = 200_000, seed = 0): AlfworldBenchResult {
  const env = createAlfworldEnv({ split: 'train' })
  const rng = createRng(seed)
  let obs = env.reset(seed)
  let actions = obs.admissibleActions
  let episodes = 1
  const t0 = performance.now()
  for (let i = 0; i < steps; i++) {
    const action = rng.next() < 0.1 ? 'jump around' : rng.pick(actions)
    const r = env.step(action)
    actions = r.admissibleActions
    if (r.done) {
      obs = env.reset(seed + episodes)
      actions = obs.admissibleActions
      episodes++
    }
  }
  const seconds = (performance.now() - t0) / 1000
  return { steps, seconds, stepsPerSec: steps / seconds, episodes }
}
