// A HiMAC run started through the service (trainer in a child process, the checkpoint's state sent
// over IPC), stopped, then resumed with `runs/resume`, ends with the same stored numbers as the
// same config trained without a break.
import { afterAll, describe, expect, it } from 'vitest'
import type { Run } from '../../core/api/entities'
import {
  experimentConfigSchema,
  type ExperimentConfig,
  type ExperimentConfigInput
} from '../../core/api/config'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService } from '../../core/api/service'
import { openDatabase, StoreWriter } from '../../core/store'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { comparableRun } from '../helpers/run-consistency'
import { nextEvent } from '../helpers/service-events'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config: ExperimentConfig = experimentConfigSchema.parse({
  env: 'sokoban',
  algo: 'himac',
  iterations: 12,
  seed: 13,
  groupsPerIteration: 2,
  groupSize: 2,
  evalEvery: 4,
  evalEpisodes: 2,
  checkpointEvery: 1,
  policy: {
    lm: { dModel: 16, layers: 1, heads: 2 },
    warmStart: { episodes: 4, epochs: 2, batchDecisions: 32 }
  }
} satisfies ExperimentConfigInput)

describe('resuming a HiMAC run through the service', () => {
  it('stop, runs/resume, and the run equals an uninterrupted one', async () => {
    const file = tmp.file('served.db')
    const service = createWorkbenchService({
      dbPath: file,
      launcher: nodeForkLauncher,
      presets: loadPresets()
    })
    try {
      const created = await service.invoke('experiments/create', { name: 'himac', config })
      const experimentId = (created.data as { id: number }).id
      const run = (await service.invoke('experiments/start', { experimentId })).data as Run
      // Stop after the first RL iteration (iterations 0 and 1 are the cloning epochs).
      await nextEvent(service, 'run/metrics', (m) => m.runId === run.id && m.point.iteration >= 2)
      const stopped = nextEvent(
        service,
        'run/status',
        (r) => r.id === run.id && r.status !== 'running'
      )
      expect((await service.invoke('experiments/stop', { runId: run.id })).error).toBeUndefined()
      expect((await stopped).status).toBe('stopped')
      const completed = nextEvent(
        service,
        'run/status',
        (r) => r.id === run.id && r.status !== 'running' && r.status !== 'queued'
      )
      const resumed = await service.invoke('runs/resume', { runId: run.id })
      expect(resumed.error).toBeUndefined()
      const final = await completed
      expect(final.error ?? null).toBeNull()
      expect(final.status).toBe('completed')
    } finally {
      await service.close()
    }

    const whole = tmp.file('whole.db')
    const db = openDatabase(whole)
    const writer = new StoreWriter(db)
    const wholeId = writer.createRun(writer.createExperiment('himac', null, config), config)
    writer.finishRun(
      wholeId,
      (await runExperiment(config, createStoreSink(writer, wholeId))).status
    )
    db.close()
    const servedRun = comparableRun(file, 1)
    expect(servedRun.metrics.length).toBe(2 + config.iterations)
    expect(servedRun).toEqual(comparableRun(whole, wholeId))
  }, 240_000)
})
