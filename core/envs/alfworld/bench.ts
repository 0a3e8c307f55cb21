// Throughput benchmark: env steps per second on one core with a seeded random admissible policy
// (10% inadmissible commands), resetting to a new generated task on done (every ≤ 50 steps),
// after an untimed warm-up.
import { createAlfworldEnv } from './env'
import { createRng } from './rng'

export type AlfworldBenchResult = {
  steps: number
  episodes: number
  seconds: number
  /** Steps per wall-clock second. */
  stepsPerSec: number
  /** Steps per second of this process's CPU time (robust on a busy machine); null outside node. */
  cpuStepsPerSec: number | null
}

type CpuClock = {
  cpuUsage?: (since?: { user: number; system: number }) => { user: number; system: number }
}

export function benchAlfworld(steps = 200_000, seed = 0): AlfworldBenchResult {
  const env = createAlfworldEnv({ split: 'train' })
  const rng = createRng(seed)
  // Untimed warm-up on other seeds, so the JIT has compiled the hot paths before timing starts.
  let actions = env.reset(seed + 1_000_000).admissibleActions
  for (let i = 0; i < Math.min(50_000, steps / 4); i++) {
    const r = env.step(rng.pick(actions))
    actions = r.done ? env.reset(seed + 1_000_000 + i).admissibleActions : r.admissibleActions
  }
  actions = env.reset(seed).admissibleActions
  let episodes = 1
  const clock = (globalThis as { process?: CpuClock }).process
  const cpu0 = clock?.cpuUsage?.()
  const t0 = performance.now()
  for (let i = 0; i < steps; i++) {
    const r = env.step(rng.next() < 0.1 ? 'jump around' : rng.pick(actions))
    actions = r.admissibleActions
    if (r.done) {
      actions = env.reset(seed + episodes).admissibleActions
      episodes++
    }
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = cpu0 ? clock?.cpuUsage?.(cpu0) : undefined
  const cpuSeconds = cpu ? (cpu.user + cpu.system) / 1e6 : 0
  return {
    steps,
    episodes,
    seconds,
    stepsPerSec: steps / seconds,
    cpuStepsPerSec: cpuSeconds > 0 ? steps / cpuSeconds : null
  }
}
