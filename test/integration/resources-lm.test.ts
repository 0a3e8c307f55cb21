// Tensor count and live memory stay flat over many RL iterations of the flat LM trainer and of
// HiMAC on wasm with the native kernels, as the app runs them (a file of its own: the backend is
// chosen once per process, and the MLP resource test runs on cpu). HIMAC_RESOURCE_ITERATIONS=200
// runs the long trend.
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase, StoreWriter } from '../../core/store'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { growth, measureResources } from '../helpers/resource-trend'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir('himac-res-lm-')
afterAll(() => tmp.remove())

const ITERATIONS = Number(process.env.HIMAC_RESOURCE_ITERATIONS ?? 12)
const CLONING_EPOCHS = 2
const WARMUP = 3

describe('resources over language-model runs', () => {
  for (const algo of ['gigpo', 'himac'] as const) {
    const name = algo === 'himac' ? 'HiMAC' : 'flat LM'
    it(`the ${name} trainer keeps tensors flat over ${ITERATIONS} RL iterations`, async () => {
      const config = experimentConfigSchema.parse({
        env: 'sokoban',
        algo,
        iterations: ITERATIONS,
        seed: 5,
        groupsPerIteration: 2,
        groupSize: 2,
        evalEvery: 4,
        evalEpisodes: 2,
        checkpointEvery: 4,
        policy: {
          kind: 'lm',
          lm: { dModel: 16, layers: 1, heads: 2 },
          warmStart: { episodes: 4, epochs: CLONING_EPOCHS, batchDecisions: 32 }
        }
      })
      const db = openDatabase(tmp.file(`res-${algo}.db`))
      const writer = new StoreWriter(db)
      const runId = writer.createRun(writer.createExperiment('res', null, config), config)
      const reported: number[] = []
      const sink = createStoreSink(writer, runId, {
        onMetrics: (_i, v) => reported.push(v['perf/tensors'] ?? -1)
      })
      const trend = await measureResources((s) => runExperiment(config, s), sink)
      db.close()
      expect(trend.tensors).toHaveLength(CLONING_EPOCHS + ITERATIONS)
      const steady = trend.tensors.slice(CLONING_EPOCHS + WARMUP)
      expect(Math.max(...steady)).toBe(Math.min(...steady))
      expect(trend.tensorsAfter).toBe(trend.tensorsBefore)
      // The trainer reports the same count itself (perf/tensors), for the run's charts.
      expect(reported.slice(CLONING_EPOCHS + WARMUP)).toEqual(steady)
      const live = growth(trend.liveMiB, 1)
      console.log(
        `resources (${name}): ${ITERATIONS} RL iterations, tensors ${steady[0]} throughout; live ` +
          `heap+buffers ${trend.liveMiB[1]?.toFixed(1)} → ${trend.liveMiB.at(-1)?.toFixed(1)} MiB ` +
          `(median growth ${live.toFixed(2)}), RSS ${trend.rssMiB[1]?.toFixed(1)} → ` +
          `${trend.rssMiB.at(-1)?.toFixed(1)} MiB (every 5 iterations: ` +
          `${trend.rssMiB.map((x) => x.toFixed(0)).join(' ')})`
      )
      expect(live).toBeLessThan(8)
    }, 300_000)
  }
})
