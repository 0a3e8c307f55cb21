// Experiment upkeep through the service on a real SQLite file: rename, tags, notes, archive, a new
// config for the next runs (checked like at creation: a bad one changes nothing), and duplicate.
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import type { Experiment } from '../../core/api/entities'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService } from '../../core/api/service'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
const service = createWorkbenchService({
  dbPath: tmp.file('experiments.db'),
  launcher: nodeForkLauncher,
  presets: loadPresets()
})
afterAll(async () => {
  await service.close()
  tmp.remove()
})

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await service.invoke(name, input)
  if (r.error) throw new Error(`${name}: ${r.error.message}`)
  return r.data as T
}

describe('experiment upkeep', () => {
  it('renames, tags, notes, archives; a bad config is refused with its field and changes nothing', async () => {
    const smoke = loadPresets().find((p) => p.id === 'sokoban-smoke')!
    const e = await call<Experiment>('experiments/create', {
      name: 'first',
      preset: smoke.id,
      config: smoke.config
    })
    expect(e).toMatchObject({ tags: [], notes: '', archivedAt: null })
    const updated = await call<Experiment>('experiments/update', {
      experimentId: e.id,
      name: 'renamed',
      tags: ['baseline', 'sokoban/7x7'],
      notes: 'the smoke preset, kept as a baseline'
    })
    expect(updated).toMatchObject({
      name: 'renamed',
      tags: ['baseline', 'sokoban/7x7'],
      notes: 'the smoke preset, kept as a baseline'
    })
    const archived = await call<Experiment>('experiments/update', {
      experimentId: e.id,
      archived: true
    })
    expect(archived.archivedAt).not.toBeNull()
    expect(
      (await call<Experiment>('experiments/update', { experimentId: e.id, archived: false }))
        .archivedAt
    ).toBeNull()

    const before = await call<Experiment>('experiments/list', {}).then((l) => JSON.stringify(l))
    for (const bad of [
      { experimentId: e.id, config: { ...smoke.config, iterations: 0 } },
      { experimentId: e.id, tags: ['a', 'a'] },
      { experimentId: e.id, tags: ['no spaces'] },
      { experimentId: e.id },
      { experimentId: 999, name: 'x' }
    ]) {
      const r = await service.invoke('experiments/update', bad)
      expect(r.error, JSON.stringify(bad)).toBeDefined()
    }
    const refused = await service.invoke('experiments/update', {
      experimentId: e.id,
      config: { ...smoke.config, iterations: 0 }
    })
    expect(refused.error).toMatchObject({ type: 'ValidationError', field: 'config.iterations' })
    expect(await call<Experiment[]>('experiments/list', {}).then((l) => JSON.stringify(l))).toBe(
      before
    )
  })

  it('a new config applies to the next run; duplicate copies preset, config and tags', async () => {
    const [e] = await call<Experiment[]>('experiments/list', {})
    const config = experimentConfigSchema.parse({ ...e!.config, seed: 77, iterations: 2 })
    await call('experiments/update', { experimentId: e!.id, config })
    const copy = await call<Experiment>('experiments/duplicate', { experimentId: e!.id })
    expect(copy).toMatchObject({
      name: 'renamed (copy)',
      preset: e!.preset,
      tags: e!.tags,
      notes: ''
    })
    expect(copy.config).toEqual(config)
    expect(copy.latestRun).toBeNull()
    const run = await call<{ config: unknown; seed: number }>('experiments/start', {
      experimentId: copy.id
    })
    expect(run.seed).toBe(77)
    expect(run.config).toEqual(config)
    await call('experiments/stop', { runId: (run as unknown as { id: number }).id }).catch(
      () => undefined
    )
  })
})
