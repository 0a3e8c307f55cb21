// The same seed gives the same stored LM run (cloning, rollouts, advantages, updates, evaluations)
// on the cpu backend.
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase, StoreWriter } from '../../core/store'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { comparableRun } from '../helpers/run-consistency'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config = experimentConfigSchema.parse({
  env: 'sokoban',
  algo: 'grpo',
  iterations: 2,
  seed: 3,
  groupsPerIteration: 2,
  groupSize: 2,
  evalEvery: 1,
  evalEpisodes: 3,
  backend: 'cpu',
  nativeKernels: 'off',
  policy: {
    kind: 'lm',
    lm: { dModel: 16, layers: 1, heads: 2 },
    warmStart: { episodes: 4, epochs: 2, batchDecisions: 32 }
  }
})

async function train(file: string): Promise<number> {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment('lm', null, config), config)
  const outcome = await runExperiment(config, createStoreSink(writer, runId))
  writer.finishRun(runId, outcome.status)
  db.close()
  return runId
}

describe('LM training', () => {
  it('the same seed stores the same numbers', async () => {
    const a = tmp.file('a.db')
    const b = tmp.file('b.db')
    const runA = await train(a)
    const runB = await train(b)
    const stored = comparableRun(a, runA)
    expect(stored.episodes.length).toBeGreaterThan(0)
    expect(comparableRun(b, runB)).toEqual(stored)
  }, 180_000)
})
