// The language-model agent trained end to end on each environment into a real SQLite store:
// behaviour-cloning epochs first (bc/* metrics, the demonstrations stored), then GRPO / GiGPO /
// RLOO iterations with a greedy and a tempered held-out evaluation, and a checkpoint that loads
// back into the same model (wasm backend with the native kernels, as the app runs).
import { afterAll, describe, expect, it } from 'vitest'
import {
  experimentConfigSchema,
  plannedIterations,
  type ExperimentConfigInput
} from '../../core/api/config'
import { openDatabase, StoreReader, StoreWriter } from '../../core/store'
import { runPolicy } from '../../core/train/lm/run-policy'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { comparableRun } from '../helpers/run-consistency'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const tiny = (env: 'sokoban' | 'alfworld' | 'webshop', algo: 'grpo' | 'gigpo' | 'rloo') =>
  experimentConfigSchema.parse({
    env,
    algo,
    iterations: 2,
    seed: 3,
    groupsPerIteration: 2,
    groupSize: 2,
    evalEvery: 1,
    evalEpisodes: 3,
    policy: {
      kind: 'lm',
      lm: { dModel: 16, layers: 1, heads: 2 },
      warmStart: { episodes: 4, epochs: 2, batchDecisions: 32 }
    }
  } satisfies ExperimentConfigInput)

async function train(file: string, config: ReturnType<typeof tiny>): Promise<number> {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment('lm', null, config), config)
  const outcome = await runExperiment(config, createStoreSink(writer, runId))
  writer.finishRun(runId, outcome.status)
  db.close()
  return runId
}

describe('LM training end to end', () => {
  for (const [env, algo] of [
    ['sokoban', 'gigpo'],
    ['alfworld', 'grpo'],
    ['webshop', 'rloo']
  ] as const) {
    it(`${env} · ${algo}: cloning epochs, RL iterations, evaluations and a loadable checkpoint`, async () => {
      const config = tiny(env, algo)
      const file = tmp.file(`${env}.db`)
      const runId = await train(file, config)
      const db = openDatabase(file)
      const reader = new StoreReader(db)
      const run = reader.getRun(runId)
      expect(run?.status).toBe('completed')
      expect(run?.iterations).toBe(plannedIterations(config))
      expect(plannedIterations(config)).toBe(4)
      const { metrics, episodes } = comparableRun(file, runId)
      expect(metrics.map((m) => m.iteration)).toEqual([0, 1, 2, 3])
      for (const m of metrics.slice(0, 2)) expect(m.values['bc/loss']).toBeGreaterThan(0)
      for (const m of metrics.slice(2)) {
        expect(m.values['eval/success_rate']).toBeGreaterThanOrEqual(0)
        expect(m.values['eval/greedy_success_rate']).toBeGreaterThanOrEqual(0)
        expect(m.values['train/first_ratio_deviation']).toBeLessThan(1e-4)
        expect(Number.isFinite(m.values['train/kl'])).toBe(true)
      }
      // 4 demonstrations, 2 × 2 train episodes per RL iteration, 3 eval episodes per evaluation.
      const count = (phase: string, iteration: number) =>
        episodes.filter((e) => e.phase === phase && e.iteration === iteration).length
      expect(count('train', 0)).toBe(4)
      expect([count('train', 2), count('train', 3)]).toEqual([4, 4])
      expect([count('eval', 2), count('eval', 3)]).toEqual([3, 3])
      // Every trained step carries its sampling-time log-prob and an advantage.
      const trained = episodes.filter((e) => e.phase === 'train' && e.iteration >= 2)
      expect(trained.every((e) => e.grouped)).toBe(true)
      const stored = runPolicy(reader, runId)
      expect(stored?.iteration).toBe(4)
      const loaded = stored!.load()
      expect(loaded.planner).toBeNull()
      expect(loaded.model.config.dModel).toBe(16)
      expect(loaded.model.config.vocab).toBe(loaded.tokenizer.size)
      expect(loaded.config).toEqual(config)
      loaded.model.dispose()
      db.close()
    }, 180_000)
  }
})
