// Tensor count and RSS stay flat over many iterations of the MLP GRPO trainer (a leak of one tensor
// per iteration, or of the rollouts kept alive, shows up here). HIMAC_RESOURCE_ITERATIONS=200 runs
// a longer trend.
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase, StoreWriter } from '../../core/store'
import { trainFlatGrpo } from '../../core/train/grpo'
import { createStoreSink } from '../../core/train/store-sink'
import { growth, measureResources } from '../helpers/resource-trend'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir('himac-res-')
afterAll(() => tmp.remove())

const ITERATIONS = Number(process.env.HIMAC_RESOURCE_ITERATIONS ?? 40)
const WARMUP = 3

describe('resources over a run', () => {
  it(`the MLP trainer keeps tensors and RSS flat over ${ITERATIONS} iterations`, async () => {
    const config = experimentConfigSchema.parse({
      env: 'sokoban',
      iterations: ITERATIONS,
      seed: 5,
      groupsPerIteration: 2,
      groupSize: 2,
      evalEvery: 5,
      evalEpisodes: 2,
      checkpointEvery: 5,
      backend: 'cpu',
      policy: { hidden: [32] }
    })
    const db = openDatabase(tmp.file('res.db'))
    const writer = new StoreWriter(db)
    const runId = writer.createRun(writer.createExperiment('res', null, config), config)
    const trend = await measureResources(
      (sink) => trainFlatGrpo(config, sink),
      createStoreSink(writer, runId)
    )
    db.close()
    expect(trend.tensors).toHaveLength(ITERATIONS)
    const steady = trend.tensors.slice(WARMUP)
    expect(Math.max(...steady)).toBe(Math.min(...steady))
    expect(trend.tensorsAfter).toBe(trend.tensorsBefore)
    // Memory samples every 5 iterations; the first one (iteration 0) is still warming up.
    const live = growth(trend.liveMiB, 1)
    const rss = growth(trend.rssMiB, 1)
    console.log(
      `resources: ${ITERATIONS} iterations, tensors ${steady[0]} throughout; after a full GC live ` +
        `heap+buffers ${trend.liveMiB[1]?.toFixed(1)} → ${trend.liveMiB.at(-1)?.toFixed(1)} MiB ` +
        `(median growth ${live.toFixed(2)}; every 5 iterations: ` +
        `${trend.liveMiB.map((x) => x.toFixed(1)).join(' ')}), RSS ${trend.rssMiB[1]?.toFixed(1)} → ` +
        `${trend.rssMiB.at(-1)?.toFixed(1)} MiB (median growth ${rss.toFixed(1)})`
    )
    expect(live).toBeLessThan(4)
    // RSS is not returned to the OS promptly; a loose bound (measured: +5 MiB over 60 iterations).
    expect(rss).toBeLessThan(48)
  }, 120_000)
})
