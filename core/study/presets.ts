// The study presets per environment. `quick` is sized to finish the whole study (7 methods × 3
// seeds) in under 15 minutes on a 2-core machine: a tiny LM (d32, one layer), a short cloning warm
// start, a few RL iterations with small groups and a small held-out evaluation after every
// iteration. `full` is the workbench's own scale (the `<env>-himac` / `<env>-lm-*` presets: d128 ×
// 2 layers, 200 demonstrations × 3 epochs, 8 groups × 8, 100 iterations) with its measured time.
import {
  experimentConfigSchema,
  type ExperimentConfig,
  type ExperimentConfigInput
} from '../api/config'
import { PAPER_ITERATIONS_TO_TARGET } from './paper'
import type { StudySpec } from './spec'

type Env = StudySpec['env']

export type StudyPreset = {
  base: ExperimentConfig
  iterations: number
  /**
   * Measured seconds of one run's iterations (cloning included) at this preset's size, per method
   * family, on the 2-core development machine (see README, `himac repro`): the stated estimate.
   */
  secondsPerRun: { himac: number; flat: number }
  /** A success rate this scale can reach, for the second iterations-to-target column. */
  scaledTarget: number
}

const splits = (env: Env): Partial<ExperimentConfigInput> =>
  env === 'alfworld'
    ? { envConfig: { split: 'train' }, evalEnvConfig: { split: 'valid_unseen' } }
    : env === 'webshop'
      ? { evalEnvConfig: { split: 'test' } }
      : {}

function quickBase(env: Env): ExperimentConfigInput {
  const small = env !== 'sokoban'
  return {
    env,
    algo: 'himac',
    groupsPerIteration: small ? 2 : 4,
    groupSize: 4,
    learningRate: 0.0001,
    evalEvery: 1,
    evalEpisodes: small ? 8 : 16,
    evalTemperature: 0.4,
    checkpointEvery: 1,
    policy: {
      kind: 'lm',
      lm: { dModel: 32, layers: 1, heads: 2 },
      warmStart: { episodes: small ? 40 : 60, epochs: small ? 1 : 2 }
    },
    ...splits(env)
  }
}

function fullBase(env: Env): ExperimentConfigInput {
  return {
    env,
    algo: 'himac',
    groupsPerIteration: 8,
    groupSize: 8,
    learningRate: 0.0001,
    evalEvery: 5,
    evalEpisodes: 200,
    evalTemperature: 0.4,
    checkpointEvery: 5,
    policy: {
      kind: 'lm',
      lm: { dModel: 128, layers: 2, heads: 4 },
      warmStart: { episodes: 200, epochs: 3 }
    },
    ...splits(env)
  }
}

const QUICK: Record<Env, Omit<StudyPreset, 'base'>> = {
  sokoban: { iterations: 4, secondsPerRun: { himac: 20, flat: 13 }, scaledTarget: 0.3 },
  alfworld: { iterations: 2, secondsPerRun: { himac: 26, flat: 18 }, scaledTarget: 0.1 },
  webshop: { iterations: 2, secondsPerRun: { himac: 20, flat: 11 }, scaledTarget: 0.1 }
}

// Full size, per run: Sokoban measured (two HiMAC iterations of this preset at load average ~10 on
// 2 cores: a 200-demonstration cloning epoch 138 s, an RL iteration 55 s plus 40 s per 100-episode
// evaluation, so 3 epochs + 100 iterations with 20 evaluations ≈ 6600 s; flat ≈ 0.6 × HiMAC as in
// the quick presets); ALFWorld and WebShop scaled from Sokoban by their quick-size ratios (2.8× and
// 3.9×). Rough: the stated time is an order of magnitude, the ETA while running is measured.
const FULL: Record<Env, Omit<StudyPreset, 'base'>> = {
  sokoban: { iterations: 100, secondsPerRun: { himac: 6600, flat: 4000 }, scaledTarget: 0.5 },
  alfworld: { iterations: 100, secondsPerRun: { himac: 18000, flat: 11000 }, scaledTarget: 0.3 },
  webshop: { iterations: 100, secondsPerRun: { himac: 25000, flat: 14000 }, scaledTarget: 0.3 }
}

export function studyPreset(env: Env, preset: 'quick' | 'full'): StudyPreset {
  const p = preset === 'quick' ? QUICK[env] : FULL[env]
  const base = experimentConfigSchema.parse(preset === 'quick' ? quickBase(env) : fullBase(env))
  return { ...p, base }
}

/** The paper's target (its Table 4) and the preset's scaled one. */
export function studyTargets(env: Env, preset: StudyPreset): number[] {
  return [PAPER_ITERATIONS_TO_TARGET[env].target, preset.scaledTarget]
}

/**
 * The stated time of a study in minutes: the preset's measured seconds per run, scaled linearly
 * by the iterations asked for (or the minutes budget per run).
 */
export function expectedMinutes(
  spec: Pick<StudySpec, 'methods' | 'seeds' | 'budget'>,
  p: StudyPreset
): number {
  const himacRuns = spec.methods.filter((m) => m.startsWith('himac')).length * spec.seeds.length
  const flatRuns = spec.methods.length * spec.seeds.length - himacRuns
  if (spec.budget.kind === 'minutes') return (himacRuns + flatRuns) * spec.budget.minutes
  const scale = spec.budget.iterations / p.iterations
  return ((himacRuns * p.secondsPerRun.himac + flatRuns * p.secondsPerRun.flat) * scale) / 60
}
