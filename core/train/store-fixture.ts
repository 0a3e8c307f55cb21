// A large, realistic database for query benchmarks, written through StoreWriter (the one write
// path): experiments of three seeds each, GRPO-shaped runs (iterations × groups × members, eval
// episodes every 10 iterations, metrics, annotations) whose steps are real ALFWorld, WebShop and
// Sokoban episodes (random agent), cycled to the requested length. Episodes reuse a pool of step
// arrays, so each distinct pack is compressed once (the writer caches by array).
import { experimentConfigSchema, type envKindSchema } from '../api/config'
import type { z } from 'zod'
import { createRng } from '../rng'
import type { Db } from '../store/open'
import type { EpisodeRecord, GroupRecord, RolloutBatch, StepRecord } from '../store/records'
import { StoreWriter } from '../store/writer'
import { runBaseline } from './baselines'
import type { TrainingSink } from './sink'

export type FixtureOptions = {
  episodes: number
  stepsPerEpisode: number
  seed?: number
  /** Distinct step arrays per environment. */
  poolSize?: number
  iterationsPerRun?: number
  groupsPerIteration?: number
  groupSize?: number
  evalEvery?: number
  evalEpisodes?: number
}

export type FixtureProgress = { episodes: number; steps: number; runs: number; seconds: number }

export type FixtureSummary = FixtureProgress & { experiments: number; groups: number }

type EnvKind = z.infer<typeof envKindSchema>

const ENVS: readonly EnvKind[] = ['alfworld', 'webshop', 'sokoban']
const METRIC_KEYS = [
  'train/success_rate',
  'train/mean_return',
  'train/mean_length',
  'loss/policy',
  'loss/kl',
  'loss/entropy',
  'perf/iteration_s',
  'perf/env_steps_per_s'
]

type Template = { task: string; steps: StepRecord[]; success: boolean; return: number }

/** Real episodes of the random agent, cycled (t renumbered) to exactly `length` steps. */
async function templates(env: EnvKind, count: number, length: number, seed: number) {
  const config = experimentConfigSchema.parse({ env, algo: 'random', seed, evalEpisodes: count })
  const episodes: EpisodeRecord[] = []
  const sink: TrainingSink = {
    started: () => undefined,
    rollouts: (b) => episodes.push(...b.loose),
    metrics: () => undefined,
    progress: () => undefined,
    checkpoint: () => undefined
  }
  await runBaseline(config, sink)
  const rng = createRng(seed ^ 0xf1c)
  return episodes.map((ep): Template => {
    const advantage = Math.round((rng.next() * 2 - 1) * 1e6) / 1e6
    const steps = Array.from({ length }, (_, t): StepRecord => {
      const src = ep.steps[t % ep.steps.length]!
      return {
        ...src,
        t,
        done: t === length - 1,
        logProb: t === length - 1 ? null : Math.log(0.05 + 0.95 * rng.next()),
        advantage: t === length - 1 ? null : advantage
      }
    })
    return { task: ep.task, steps, success: ep.success, return: ep.return }
  })
}

export async function buildFixture(
  db: Db,
  options: FixtureOptions,
  onProgress?: (p: FixtureProgress) => void
): Promise<FixtureSummary> {
  const o = {
    seed: 1,
    poolSize: 256,
    iterationsPerRun: 200,
    groupsPerIteration: 16,
    groupSize: 8,
    evalEvery: 10,
    evalEpisodes: 32,
    ...options
  }
  const pools = new Map<EnvKind, Template[]>()
  for (const env of ENVS)
    pools.set(env, await templates(env, o.poolSize, o.stepsPerEpisode, o.seed + ENVS.indexOf(env)))
  const writer = new StoreWriter(db)
  const rng = createRng(o.seed)
  const t0 = performance.now()
  const done = { episodes: 0, steps: 0, runs: 0, experiments: 0, groups: 0 }
  let experimentId = 0
  const episodeOf = (env: EnvKind, pick: number, memberIndex: number, phase: 'train' | 'eval') => {
    const pool = pools.get(env)!
    const tpl = pool[pick % pool.length]!
    const ep: EpisodeRecord = {
      phase,
      memberIndex,
      env,
      task: tpl.task,
      seed: pick,
      blueprint: env === 'alfworld' ? ['find the object', 'take it', 'put it down'] : null,
      return: tpl.return,
      success: tpl.success,
      length: tpl.steps.length - 1,
      steps: tpl.steps
    }
    return ep
  }
  while (done.episodes < o.episodes) {
    const env = ENVS[done.runs % ENVS.length]!
    const config = experimentConfigSchema.parse({
      env,
      algo: env === 'sokoban' ? 'grpo' : 'random',
      seed: done.runs % 3,
      iterations: o.iterationsPerRun,
      groupsPerIteration: o.groupsPerIteration,
      groupSize: o.groupSize,
      learningRate: [0.001, 0.0003, 0.003][Math.floor(done.runs / 3) % 3]
    })
    if (done.runs % 3 === 0) {
      experimentId = writer.createExperiment(`fixture ${env} ${done.runs / 3}`, null, config)
      writer.defineLabel({
        experimentId,
        name: 'outcome',
        type: 'category',
        options: ['good', 'stuck'],
        description: 'fixture labels'
      })
      done.experiments++
    }
    const runId = writer.createRun(experimentId, config)
    writer.markRunStarted(runId, 'wasm', ['fixture'])
    done.runs++
    let iteration = 0
    for (; iteration < o.iterationsPerRun && done.episodes < o.episodes; iteration++) {
      const groups: GroupRecord[] = []
      for (let g = 0; g < o.groupsPerIteration && done.episodes < o.episodes; g++) {
        const task = rng.int(1 << 30)
        const n = Math.min(o.groupSize, o.episodes - done.episodes)
        const episodes = Array.from({ length: n }, (_, m) => episodeOf(env, task + m, m, 'train'))
        groups.push({
          level: 'flat',
          taskSeed: task,
          task: episodes[0]!.task,
          chosenMember: rng.int(n),
          episodes
        })
        done.episodes += n
        done.groups++
      }
      const loose: EpisodeRecord[] = []
      if (o.evalEvery > 0 && (iteration + 1) % o.evalEvery === 0) {
        const n = Math.min(o.evalEpisodes, o.episodes - done.episodes)
        for (let i = 0; i < n; i++) loose.push(episodeOf(env, rng.int(1 << 30), i, 'eval'))
        done.episodes += n
      }
      const batch: RolloutBatch = { iteration, groups, loose }
      const { episodeIds } = writer.insertRollouts(runId, batch)
      done.steps += episodeIds.length * o.stepsPerEpisode
      const values = Object.fromEntries(METRIC_KEYS.map((k) => [k, rng.next()]))
      writer.insertMetrics(runId, iteration, values)
      for (const id of episodeIds)
        if (id % 997 === 0)
          writer.appendAnnotation({
            runId,
            targetType: 'episode',
            targetId: id,
            iteration,
            author: 'fixture',
            kind: 'label',
            label: 'outcome',
            value: rng.next() < 0.5 ? 'good' : 'stuck'
          })
      onProgress?.({ ...done, seconds: (performance.now() - t0) / 1000 })
    }
    writer.setRunProgress(runId, iteration)
    writer.finishRun(runId, 'completed')
  }
  return { ...done, seconds: (performance.now() - t0) / 1000 }
}
