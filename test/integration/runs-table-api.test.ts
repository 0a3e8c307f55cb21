// `runs/table` and `metrics/many` through the service, over a real SQLite file written by a second
// connection (as `himac train --db` on the served file does). No trainer runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import type { MetricPoint, RunTableRow } from '../../core/api/entities'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { openDatabase, StoreWriter, type Db } from '../../core/store'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
let service: WorkbenchService
let db: Db
const ids = { a: 0, b: 0, c: 0 }

beforeAll(() => {
  service = createWorkbenchService({
    dbPath: tmp.file('table.db'),
    launcher: nodeForkLauncher,
    presets: loadPresets(),
    watchIntervalMs: 60_000
  })
  db = openDatabase(tmp.file('table.db'))
  const writer = new StoreWriter(db)
  const config = (lr: number, seed: number) =>
    experimentConfigSchema.parse({ learningRate: lr, seed, iterations: 3 })
  const e1 = writer.createExperiment('lr small', null, config(0.001, 0))
  const e2 = writer.createExperiment('lr big', null, config(0.01, 1))
  ids.a = writer.createRun(e1, config(0.001, 0))
  ids.b = writer.createRun(e2, config(0.01, 1))
  ids.c = writer.createRun(e2, config(0.01, 1))
  writer.insertMetrics(ids.a, 0, { 'train/loss': 3, 'eval/success_rate': 0.25 })
  writer.insertMetrics(ids.a, 1, { 'train/loss': 2 })
  writer.insertMetrics(ids.a, 2, { 'train/loss': 1.5, 'perf/iteration_s': 0.5 })
  writer.insertMetrics(ids.b, 0, { 'train/loss': 7 })
  writer.finishRun(ids.a, 'completed')
})
afterAll(async () => {
  db.close()
  await service.close()
  tmp.remove()
})

describe('runs/table', () => {
  it('lists every run newest first with its experiment name and last metric values', async () => {
    const res = await service.invoke('runs/table', {})
    expect(res.error).toBeUndefined()
    const rows = res.data as RunTableRow[]
    expect(rows.map((r) => r.run.id)).toEqual([ids.c, ids.b, ids.a])
    expect(rows.map((r) => r.experimentName)).toEqual(['lr big', 'lr big', 'lr small'])
    const a = rows.find((r) => r.run.id === ids.a)
    // A key's last value is the one at its own last iteration, not the run's.
    expect(a?.lastMetrics).toEqual({
      'train/loss': 1.5,
      'eval/success_rate': 0.25,
      'perf/iteration_s': 0.5
    })
    expect(a?.run.status).toBe('completed')
    expect(a?.run.config.learningRate).toBe(0.001)
    expect(rows.find((r) => r.run.id === ids.c)?.lastMetrics).toEqual({})
  })

  it('rejects unknown input fields', async () => {
    expect((await service.invoke('runs/table', { all: true })).error?.type).toBe('ValidationError')
  })
})

describe('metrics/many', () => {
  it('returns each asked run’s series in the order asked', async () => {
    const res = await service.invoke('metrics/many', { runIds: [ids.b, ids.a] })
    const series = res.data as { runId: number; points: MetricPoint[] }[]
    expect(series.map((s) => s.runId)).toEqual([ids.b, ids.a])
    expect(series[0]?.points).toEqual([{ iteration: 0, values: { 'train/loss': 7 } }])
    expect(series[1]?.points.map((p) => p.values['train/loss'])).toEqual([3, 2, 1.5])
  })

  it('names a missing run and refuses an empty list', async () => {
    expect((await service.invoke('metrics/many', { runIds: [ids.a, 999] })).error).toEqual({
      type: 'NotFound',
      message: 'run 999 not found'
    })
    expect((await service.invoke('metrics/many', { runIds: [] })).error?.field).toBe('runIds')
  })
})
