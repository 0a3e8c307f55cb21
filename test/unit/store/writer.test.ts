import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { openDatabase, StoreReader, StoreWriter, type EpisodeRecord } from '../../../core/store'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config = experimentConfigSchema.parse({ iterations: 2, seed: 7 })

const episode = (memberIndex: number, success: boolean, length: number): EpisodeRecord => ({
  phase: 'train',
  memberIndex,
  env: 'sokoban',
  task: 'push the box',
  seed: 42,
  return: success ? 10.5 : -1.5,
  success,
  length,
  steps: Array.from({ length }, (_, t) => ({
    t,
    observation: `obs ${t}`,
    admissibleActions: ['up', 'down', 'left', 'right'],
    action: 'left',
    reward: -0.1,
    done: t === length - 1,
    logProb: -1.3,
    advantage: success ? 1 : -1,
    view: { kind: 'sokoban', room: [[0, 5, 4, 2]] }
  }))
})

function setup(name: string) {
  const db = openDatabase(tmp.file(name))
  const writer = new StoreWriter(db)
  const reader = new StoreReader(db)
  const experimentId = writer.createExperiment('exp', 'sokoban-smoke', config)
  const runId = writer.createRun(experimentId, config)
  return { db, writer, reader, experimentId, runId }
}

describe('store writer and reader', () => {
  it('round-trips experiments, runs and run status', () => {
    const { db, writer, reader, experimentId, runId } = setup('runs.db')
    expect(reader.getExperiment(experimentId)?.config).toEqual(config)
    expect(reader.getRun(runId)?.status).toBe('queued')
    writer.markRunStarted(runId, 'wasm', ['note'])
    writer.setRunProgress(runId, 1)
    let run = reader.getRun(runId)!
    expect([run.status, run.backend, run.backendNotes, run.iterationsDone]).toEqual([
      'running',
      'wasm',
      ['note'],
      1
    ])
    writer.finishRun(runId, 'completed')
    run = reader.getRun(runId)!
    expect(run.status).toBe('completed')
    expect(run.endedAt).not.toBeNull()
    expect(reader.listExperiments()[0]?.latestRun?.id).toBe(runId)
    expect([run.backendDevice, run.backendVersions]).toEqual([null, {}])
    const second = writer.createRun(experimentId, config)
    writer.markRunStarted(second, 'webgpu', [], null, {
      device: 'NVIDIA H200 (nvidia, hopper)',
      versions: { 'tfjs-core': '4.22.0', webgpu: '0.6.2' }
    })
    const started = reader.getRun(second)!
    expect([started.backend, started.backendDevice, started.backendVersions]).toEqual([
      'webgpu',
      'NVIDIA H200 (nvidia, hopper)',
      { 'tfjs-core': '4.22.0', webgpu: '0.6.2' }
    ])
    db.close()
  })

  it('stores groups, episodes and steps of an iteration in one batch and pages them', () => {
    const { db, writer, reader, runId } = setup('episodes.db')
    const { episodeIds } = writer.insertRollouts(runId, {
      iteration: 0,
      groups: [
        {
          level: 'flat',
          taskSeed: 42,
          task: 'push',
          chosenMember: 1,
          episodes: [episode(0, false, 3), episode(1, true, 2)]
        }
      ],
      loose: [{ ...episode(0, true, 1), phase: 'eval' }]
    })
    expect(episodeIds).toHaveLength(3)
    const page = reader.pageEpisodes(runId, 0, 2)
    expect(page.total).toBe(3)
    expect(page.items.map((e) => e.length)).toEqual([3, 2])
    expect(reader.pageEpisodes(runId, 2, 2).items).toHaveLength(1)
    expect(reader.pageEpisodes(runId, 0, 10, { phase: 'eval' }).total).toBe(1)
    expect(reader.pageEpisodes(runId, 0, 10, { success: false }).total).toBe(1)
    const steps = reader.getSteps(episodeIds[0]!)
    expect(steps.map((s) => s.t)).toEqual([0, 1, 2])
    expect(steps[2]).toMatchObject({
      done: true,
      action: 'left',
      advantage: -1,
      view: { kind: 'sokoban' }
    })
    const chosen = db.prepare('SELECT chosen_episode_id AS id FROM rollout_groups').get() as {
      id: number
    }
    expect(chosen.id).toBe(episodeIds[1])
    db.close()
  })

  it('browses groups by iteration, filters episodes by iteration and sorts them', () => {
    const { db, writer, reader, runId } = setup('groups.db')
    for (const iteration of [0, 1]) {
      writer.insertRollouts(runId, {
        iteration,
        groups: [0, 1].map((g) => ({
          level: 'flat' as const,
          taskSeed: 10 * iteration + g,
          task: `task ${g}`,
          chosenMember: 0,
          chosenBlueprint: ['a', 'b'],
          episodes: [episode(1, g === 0, 2), episode(0, false, 4)]
        })),
        loose: []
      })
    }
    expect(reader.groupIterations(runId)).toEqual([0, 1])
    const groups = reader.listGroups(runId, 1)
    expect(groups.map((g) => [g.iteration, g.taskSeed, g.memberCount])).toEqual([
      [1, 10, 2],
      [1, 11, 2]
    ])
    const page = reader.getGroup(groups[0]!.id)!
    expect(page.group.chosenBlueprint).toEqual(['a', 'b'])
    expect(page.episodes.map((e) => [e.memberIndex, e.length])).toEqual([
      [0, 4],
      [1, 2]
    ])
    expect(page.group.chosenEpisodeId).toBe(page.episodes[1]!.id)
    expect(reader.getGroup(999)).toBeUndefined()
    const it1 = reader.pageEpisodes(runId, 0, 10, { iteration: 1 })
    expect(it1.total).toBe(4)
    expect(it1.items.every((e) => e.iteration === 1)).toBe(true)
    const byReturn = reader.pageEpisodes(runId, 0, 3, {}, { by: 'return', desc: true })
    expect(byReturn.items.map((e) => e.return)).toEqual([10.5, 10.5, -1.5])
    expect(byReturn.items[0]!.id).toBeGreaterThan(byReturn.items[1]!.id)
    const byLength = reader.pageEpisodes(runId, 0, 8, {}, { by: 'length' })
    expect(byLength.items.map((e) => e.length)).toEqual([2, 2, 2, 2, 4, 4, 4, 4])
    expect(reader.getSteps(page.episodes[0]!.id, 1, 2).map((s) => s.t)).toEqual([1, 2])
    db.close()
  })

  it('a failing batch writes nothing', () => {
    const { db, writer, reader, runId } = setup('atomic.db')
    const bad = episode(0, true, 2)
    bad.steps[1]!.t = 0 // duplicate primary key
    expect(() =>
      writer.insertRollouts(runId, { iteration: 0, groups: [], loose: [episode(0, true, 2), bad] })
    ).toThrow()
    expect(reader.countRows('episodes')).toBe(0)
    expect(reader.countRows('steps')).toBe(0)
    db.close()
  })

  it('task texts: stored once; a text whose row another writer deleted and reused is stored again', () => {
    const { db, writer, reader, runId } = setup('tasks.db')
    const other = new StoreWriter(db)
    const loose = (task: string) => [{ ...episode(0, true, 1), task }]
    writer.insertRollouts(runId, { iteration: 0, groups: [], loose: loose('a') })
    writer.insertRollouts(runId, {
      iteration: 1,
      groups: [],
      loose: [...loose('a'), ...loose('b')]
    })
    expect(db.prepare('SELECT body FROM tasks ORDER BY id').pluck().all()).toEqual(['a', 'b'])
    // As another process might: the rows go, and the id of 'b' comes back holding another text.
    db.exec('DELETE FROM step_packs; DELETE FROM episode_rows; DELETE FROM tasks')
    other.insertRollouts(runId, { iteration: 0, groups: [], loose: [...loose('c'), ...loose('d')] })
    writer.insertRollouts(runId, {
      iteration: 2,
      groups: [],
      loose: [...loose('b'), ...loose('a')]
    })
    const tasks = db.prepare('SELECT task FROM episodes ORDER BY task').pluck().all()
    expect(tasks).toEqual(['a', 'b', 'c', 'd'])
    expect(reader.countRows('episodes')).toBe(4)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('groups metrics by iteration and skips non-finite values', () => {
    const { db, writer, reader, runId } = setup('metrics.db')
    writer.insertMetrics(runId, 0, { 'train/success_rate': 0.25, 'train/loss': Number.NaN })
    writer.insertMetrics(runId, 1, { 'train/success_rate': 0.5 })
    expect(reader.getMetrics(runId)).toEqual([
      { iteration: 0, values: { 'train/success_rate': 0.25 } },
      { iteration: 1, values: { 'train/success_rate': 0.5 } }
    ])
    expect(reader.getMetrics(runId, 0)).toHaveLength(1)
    db.close()
  })

  it('annotations are append-only', () => {
    const { db, writer, runId } = setup('annotations.db')
    const row = {
      runId,
      targetType: 'run' as const,
      targetId: runId,
      iteration: null,
      author: 'me',
      kind: 'label' as const,
      label: 'verdict'
    }
    const first = writer.appendAnnotation({ ...row, value: 'good' })
    writer.appendAnnotation({ ...row, value: 'bad', supersedes: first })
    expect(() => writer.appendAnnotation({ ...row, value: 'fine', supersedes: first })).toThrow(
      /UNIQUE/
    )
    expect(() => db.prepare('UPDATE annotations SET value = ?').run('x')).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM annotations').run()).toThrow(/append-only/)
    db.close()
  })

  it('marks runs left running by a dead process as failed', () => {
    const { db, writer, reader, runId } = setup('interrupted.db')
    writer.markRunStarted(runId, 'wasm', [])
    expect(db.prepare('SELECT owner_pid FROM runs WHERE id = ?').pluck().get(runId)).toBe(
      process.pid
    )
    expect(writer.failInterruptedRuns()).toBe(1)
    expect(reader.getRun(runId)?.status).toBe('failed')
    db.close()
  })

  it('leaves alone runs that another live process is still training', () => {
    const { db, writer, reader, experimentId, runId } = setup('owners.db')
    writer.markRunStarted(runId, 'wasm', [])
    const queued = writer.createRun(experimentId, config)
    const legacy = writer.createRun(experimentId, config)
    const dead = writer.createRun(experimentId, config)
    const own = writer.createRun(experimentId, config)
    const setOwner = db.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?')
    // A `himac train` in another terminal (pid 4242 here) owns the running and the queued run.
    setOwner.run(4242, runId)
    setOwner.run(4242, queued)
    setOwner.run(null, legacy)
    setOwner.run(777, dead)
    const alive = (pid: number): boolean => pid === 4242
    expect(writer.failInterruptedRuns(alive)).toBe(3)
    const status = (id: number) => reader.getRun(id)?.status
    expect([runId, queued].map(status)).toEqual(['running', 'queued'])
    expect([legacy, dead, own].map(status)).toEqual(['failed', 'failed', 'failed'])
    // Once that process is gone, the next workbench to open the file marks them.
    expect(writer.failInterruptedRuns(() => false)).toBe(2)
    expect([runId, queued].map(status)).toEqual(['failed', 'failed'])
    db.close()
  })
})
