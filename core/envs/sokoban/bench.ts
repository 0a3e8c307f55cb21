// Throughput of the Sokoban env (wired into `himac bench`): room generation and stepping.
import { DIRECTIONS } from './dynamics'
import { createSokobanEnv, type SokobanEnv } from './env'
import { createSokobanRng } from './rng'

export type SokobanBench = { resetsPerSec: number; stepsPerSec: number }

const ROUNDS = 3

function measureResets(env: SokobanEnv, firstSeed: number, count: number): number {
  const t0 = performance.now()
  for (let i = 0; i < count; i++) env.reset(firstSeed + i)
  return count / ((performance.now() - t0) / 1000)
}

/** `steps` random actions, resetting on done; the time spent in those resets is not counted. */
function measureSteps(env: SokobanEnv, firstSeed: number, steps: number): number {
  const rng = createSokobanRng(firstSeed)
  let seed = firstSeed
  let resetTime = 0
  env.reset(seed++)
  const t0 = performance.now()
  for (let i = 0; i < steps; i++) {
    if (env.step(DIRECTIONS[rng.int(4)] as string).done) {
      const r0 = performance.now()
      env.reset(seed++)
      resetTime += performance.now() - r0
    }
  }
  return steps / Math.max((performance.now() - t0 - resetTime) / 1000, 1e-9)
}

/**
 * Default (verl-agent) config: after a short warm-up, max(50, steps / 20) resets on consecutive
 * seeds and `steps` random-action steps, repeated ROUNDS times; the best round is reported so that
 * load from other processes on the machine disturbs the figure less.
 */
export function benchSokoban(steps: number): SokobanBench {
  const env = createSokobanEnv()
  const resets = Math.max(50, Math.floor(steps / 20))
  measureResets(env, 1_000_000, 200)
  measureSteps(env, 2_000_000, 3000)
  let resetsPerSec = 0
  let stepsPerSec = 0
  for (let round = 0; round < ROUNDS; round++) {
    resetsPerSec = Math.max(resetsPerSec, measureResets(env, round * resets, resets))
    stepsPerSec = Math.max(stepsPerSec, measureSteps(env, 3_000_000 + round * steps, steps))
  }
  return { resetsPerSec: Math.round(resetsPerSec), stepsPerSec: Math.round(stepsPerSec) }
}
