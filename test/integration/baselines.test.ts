// Reference agents through the same run path as training: real environments, episodes as stored.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase, StoreWriter } from '../../core/store'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import {
  episodeInconsistencies,
  expectedReferenceMetrics,
  isReferenceRecomputed,
  metricMismatches
} from '../helpers/recomputed-metrics'
import { readStoredRun } from '../helpers/stored-run'
import { storedTaskKey } from '../helpers/task-type'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

let dbCount = 0

/** Runs a reference agent into a fresh SQLite file and reads the run back from it. */
async function collect(input: Record<string, unknown>) {
  const config = experimentConfigSchema.parse(input)
  const file = tmp.file(`baseline-${dbCount++}.db`)
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment('baseline', null, config), config)
  const outcome = await runExperiment(config, createStoreSink(writer, runId))
  db.close()
  const stored = readStoredRun(file, runId)
  const metrics = stored.metrics.get(0) ?? {}
  return { config, outcome, stored, episodes: stored.episodes, metrics }
}

/** Logged values that differ from those recomputed from the stored episodes (per task type too). */
function mismatches(run: Awaited<ReturnType<typeof collect>>): string[] {
  const expected = expectedReferenceMetrics(run.stored, storedTaskKey(run.config))
  return [
    ...episodeInconsistencies(run.episodes),
    ...metricMismatches(run.metrics, expected, isReferenceRecomputed)
  ]
}

describe('reference agents', () => {
  it.each(['sokoban', 'alfworld', 'webshop'] as const)(
    'the %s expert beats the random agent',
    async (env) => {
      const expert = await collect({ env, algo: 'expert', evalEpisodes: 24, seed: 2 })
      const random = await collect({ env, algo: 'random', evalEpisodes: 24, seed: 2 })
      expect(expert.outcome.status).toBe('completed')
      expect(expert.episodes).toHaveLength(24)
      expect(expert.metrics['eval/success_rate']).toBeGreaterThanOrEqual(0.9)
      expect(random.metrics['eval/success_rate']).toBeLessThan(expert.metrics['eval/success_rate']!)
      expect(mismatches(expert)).toEqual([])
      expect(mismatches(random)).toEqual([])
      // Expert steps carry the subgoal they serve and mark the last step of each subgoal.
      const ep = expert.episodes.find((e) => e.success)!
      expect(ep.blueprint?.length).toBeGreaterThan(0)
      const acted = ep.steps.filter((s) => s.action !== '')
      expect(acted.every((s) => s.subgoalIndex !== null && s.subgoalIndex !== undefined)).toBe(true)
      expect(acted.filter((s) => s.subDone).length).toBe(ep.blueprint!.length)
      expect(ep.steps.at(-1)?.done).toBe(true)
    }
  )

  it.each(['sokoban', 'alfworld', 'webshop'] as const)(
    "the %s searcher acts on observations only: it succeeds, takes at least the oracle's steps, and logs true metrics",
    async (env) => {
      const searcher = await collect({ env, algo: 'searcher', evalEpisodes: 24, seed: 2 })
      const expert = await collect({ env, algo: 'expert', evalEpisodes: 24, seed: 2 })
      expect(searcher.outcome.status).toBe('completed')
      expect(searcher.episodes).toHaveLength(24)
      expect(searcher.metrics['eval/success_rate']).toBeGreaterThanOrEqual(0.75)
      expect(searcher.metrics['eval/mean_length']).toBeGreaterThanOrEqual(
        expert.metrics['eval/mean_length']! - 1e-9
      )
      expect(mismatches(searcher)).toEqual([])
      const ep = searcher.episodes.find((e) => e.success)!
      const acted = ep.steps.filter((s) => s.action !== '')
      expect(acted.filter((s) => s.subDone).length).toBe(ep.blueprint!.length)
    }
  )

  it('reports ALFWorld success per task type', async () => {
    const expert = await collect({ env: 'alfworld', algo: 'expert', evalEpisodes: 30, seed: 5 })
    const random = await collect({ env: 'alfworld', algo: 'random', evalEpisodes: 60, seed: 5 })
    for (const run of [expert, random]) {
      const perType = Object.keys(run.metrics).filter((k) => k.startsWith('eval/success_rate/'))
      expect(perType.length).toBeGreaterThanOrEqual(3)
      expect(mismatches(run)).toEqual([])
    }
    // Rates that differ between types, so that wins counted under the wrong type would show.
    const randomRates = Object.entries(random.metrics)
      .filter(([k]) => k.startsWith('eval/success_rate/'))
      .map(([, v]) => v)
    expect(new Set(randomRates).size).toBeGreaterThan(1)
  })

  it('runs the real ALFWorld game files from a data folder', async () => {
    const fixtures = path.resolve(__dirname, '../../../shared/fixtures/alfworld-real')
    const split = path.join(tmp.dir, 'json_2.1.1', 'valid_seen')
    for (const name of fs.readdirSync(fixtures).filter((n) => n.includes('__'))) {
      const [task, trial] = name.split('__') as [string, string]
      fs.mkdirSync(path.join(split, task, trial), { recursive: true })
      fs.copyFileSync(
        path.join(fixtures, name, 'game.tw-pddl'),
        path.join(split, task, trial, 'game.tw-pddl')
      )
    }
    const run = await collect({
      env: 'alfworld',
      algo: 'expert',
      evalEpisodes: 12,
      envConfig: { source: 'files', dataDir: tmp.dir, split: 'valid_seen' }
    })
    expect(run.metrics['eval/success_rate']).toBe(1)
    expect(run.episodes[0]?.task).toMatch(/^(put|look|examine|clean|heat|cool|find)/)
    expect(mismatches(run)).toEqual([])
  })

  it('refuses to train the Sokoban-only MLP policy on a text environment', () => {
    const res = experimentConfigSchema.safeParse({
      env: 'alfworld',
      algo: 'grpo',
      policy: { kind: 'mlp' }
    })
    expect(res.success).toBe(false)
    expect(res.error?.issues[0]?.path).toEqual(['policy', 'kind'])
    expect(experimentConfigSchema.safeParse({ env: 'alfworld', algo: 'grpo' }).success).toBe(true)
  })
})
