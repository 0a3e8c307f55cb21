// The workbench service end to end in Node: real SQLite file, real trainer child process, real env.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Run } from '../../core/api/entities'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import {
  episodeInconsistencies,
  expectedGrpoMetrics,
  isGrpoRecomputed,
  metricMismatches,
  perfInconsistencies
} from '../helpers/recomputed-metrics'
import { readStoredRun } from '../helpers/stored-run'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
let service: WorkbenchService

beforeAll(() => {
  service = createWorkbenchService({
    dbPath: tmp.file('api.db'),
    launcher: nodeForkLauncher,
    presets: loadPresets()
  })
})
afterAll(async () => {
  await service.close()
  tmp.remove()
})

const smoke = () => loadPresets().find((p) => p.id === 'sokoban-smoke')!

function waitForStatus(
  runId: number,
  done: (run: Run) => boolean,
  timeoutMs = 90_000
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`run ${runId} did not finish in time`)),
      timeoutMs
    )
    const off = service.on('run/status', (run) => {
      if (run.id === runId && done(run)) {
        clearTimeout(timer)
        off()
        resolve(run)
      }
    })
  })
}

describe('workbench service', () => {
  it('rejects an invalid config naming the field and writes nothing', async () => {
    const res = await service.invoke('experiments/create', {
      name: 'bad',
      config: { ...smoke().config, iterations: 0 }
    })
    expect(res.error?.type).toBe('ValidationError')
    expect(res.error?.field).toBe('config.iterations')
    expect(res.error?.message).toMatch(/config\.iterations/)
    expect(service.reader.countRows('experiments')).toBe(0)
  })

  it('rejects unknown fields, unknown commands and missing rows as data', async () => {
    const extra = await service.invoke('experiments/create', {
      name: 'x',
      config: { ...smoke().config, lr: 1 }
    })
    expect(extra.error?.type).toBe('ValidationError')
    expect((await service.invoke('experiments/explode', {})).error?.type).toBe('NotFound')
    expect((await service.invoke('runs/get', { runId: 999 })).error).toEqual({
      type: 'NotFound',
      message: 'run 999 not found'
    })
    expect((await service.invoke('episodes/page', { runId: 'one' })).error?.field).toBe('runId')
    expect(service.reader.countRows('experiments')).toBe(0)
  })

  it('creates, trains in a child process, and serves metrics, episodes and steps', async () => {
    const created = await service.invoke('experiments/create', {
      name: 'smoke',
      preset: 'sokoban-smoke',
      config: smoke().config
    })
    const experiment = created.data as { id: number }
    const metricsSeen: number[] = []
    const off = service.on('run/metrics', (m) => metricsSeen.push(m.point.iteration))
    const started = await service.invoke('experiments/start', { experimentId: experiment.id })
    const run = started.data as Run
    expect(run.status).toBe('queued')
    const again = await service.invoke('experiments/start', { experimentId: experiment.id })
    expect(again.error?.type).toBe('Conflict')
    const finished = await waitForStatus(
      run.id,
      (r) => r.status !== 'running' && r.status !== 'queued'
    )
    off()
    expect(finished.status).toBe('completed')
    expect(finished.backend).toMatch(/wasm|cpu|tensorflow/)
    expect(finished.iterationsDone).toBe(8)
    expect(metricsSeen).toEqual([0, 1, 2, 3, 4, 5, 6, 7])

    const metrics = (await service.invoke('metrics/get', { runId: run.id })).data as {
      points: { iteration: number; values: Record<string, number> }[]
    }
    expect(metrics.points).toHaveLength(8)
    // What the service serves equals what the stored episodes give, iteration by iteration.
    const stored = readStoredRun(tmp.file('api.db'), run.id)
    expect(episodeInconsistencies(stored.episodes)).toEqual([])
    expect(perfInconsistencies(stored)).toEqual([])
    const expected = expectedGrpoMetrics(stored)
    expect([...expected.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    for (const point of metrics.points) {
      const mismatches = metricMismatches(
        point.values,
        expected.get(point.iteration) ?? {},
        isGrpoRecomputed
      )
      expect({ iteration: point.iteration, mismatches }).toEqual({
        iteration: point.iteration,
        mismatches: []
      })
    }
    const evaluated = metrics.points.filter((p) => p.values['eval/success_rate'] !== undefined)
    expect(evaluated.map((p) => p.iteration)).toEqual([0, 4, 7])

    const page = (await service.invoke('episodes/page', { runId: run.id, limit: 5 })).data as {
      total: number
      items: { id: number; length: number; phase: string }[]
    }
    // 8 iterations × 4 groups × 4 members of training + 3 evaluations × 16 episodes.
    expect(page.total).toBe(8 * 16 + 3 * 16)
    expect(page.items).toHaveLength(5)
    const first = page.items[0]!
    const replay = (await service.invoke('episodes/steps', { episodeId: first.id })).data as {
      steps: { action: string; view: { kind: string } }[]
    }
    expect(replay.steps.filter((s) => s.action !== '')).toHaveLength(first.length)
    expect(replay.steps[0]?.view.kind).toBe('sokoban')
  })

  it('stops a running run', async () => {
    const created = await service.invoke('experiments/create', {
      name: 'long',
      config: { ...smoke().config, iterations: 10_000 }
    })
    const started = await service.invoke('experiments/start', {
      experimentId: (created.data as { id: number }).id
    })
    const run = started.data as Run
    await waitForStatus(run.id, (r) => r.status === 'running')
    const stop = await service.invoke('experiments/stop', { runId: run.id })
    expect(stop.error).toBeUndefined()
    const stopped = await waitForStatus(run.id, (r) => r.status === 'stopped')
    expect(stopped.iterationsDone).toBeLessThan(10_000)
  })
})
