// A full disk during a run (a database capped with PRAGMA max_page_count): the run fails with a
// clear "disk full" message, every iteration committed before is intact, the file passes
// integrity_check, and once there is room the run resumes to the uninterrupted run's numbers.
import { afterAll, describe, expect, it } from 'vitest'
import { trainInStore } from '../../cli/train'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase, StoreReader, StoreWriter, type Db } from '../../core/store'
import { DiskFullError } from '../../core/store/db-file'
import { TrainerHost } from '../../core/train/host'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { planResume } from '../../core/train/resume'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { checkRunShape, comparableRun } from '../helpers/run-consistency'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir('himac-full-')
afterAll(() => tmp.remove())

const config = experimentConfigSchema.parse({
  env: 'sokoban',
  iterations: 12,
  seed: 11,
  groupsPerIteration: 2,
  groupSize: 2,
  evalEvery: 0,
  checkpointEvery: 2,
  backend: 'cpu',
  policy: { hidden: [16] }
})

/** Room for a few iterations beyond what the file holds now. */
const capPages = (db: Db, extra: number): void => {
  const pages = db.pragma('page_count', { simple: true }) as number
  db.pragma(`max_page_count = ${pages + extra}`)
}

function newRun(file: string): {
  db: Db
  writer: StoreWriter
  runId: number
  experimentId: number
} {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const experimentId = writer.createExperiment('full', null, config)
  return { db, writer, runId: writer.createRun(experimentId, config), experimentId }
}

async function reference(): Promise<string> {
  const file = tmp.file('reference.db')
  const { db, writer, runId } = newRun(file)
  await runExperiment(config, createStoreSink(writer, runId))
  db.close()
  return file
}

/** The stored numbers of the first `n` iterations. */
function prefix(file: string, runId: number, n: number) {
  const run = comparableRun(file, runId)
  return {
    episodes: run.episodes.filter((e) => e.iteration < n),
    metrics: run.metrics.filter((m) => m.iteration < n)
  }
}

function afterFailure(file: string, runId: number, ref: string): number {
  const db = openDatabase(file, { readonly: true })
  const run = new StoreReader(db).getRun(runId)!
  db.close()
  expect(run.status).toBe('failed')
  expect(run.error).toMatch(/^disk full: database .* cannot grow/)
  expect(run.error).toContain('everything committed before it is kept')
  const done = run.iterationsDone
  console.log(`disk full after ${done} of ${config.iterations} iterations`)
  expect(done).toBeGreaterThanOrEqual(1)
  expect(done).toBeLessThan(config.iterations)
  expect(checkRunShape(file, runId, config)).toMatchObject({ integrity: 'ok', problems: [] })
  expect(prefix(file, runId, done)).toEqual(prefix(ref, 1, done))
  return done
}

describe('disk full', () => {
  it('himac train: the run fails saying so, keeps what it committed, and resumes', async () => {
    const ref = await reference()
    const file = tmp.file('cli.db')
    const { db, writer, runId, experimentId } = newRun(file)
    capPages(db, 24)
    await expect(
      trainInStore({ db: file, progress: false }, db, writer, { runId, experimentId, config })
    ).rejects.toBeInstanceOf(DiskFullError)
    afterFailure(file, runId, ref)
    // With room again (a new connection has no cap), resume finishes the run exactly.
    const again = openDatabase(file)
    const plan = planResume(new StoreReader(again), runId)
    const w = new StoreWriter(again)
    w.rewindRun(runId, plan.from)
    await trainInStore({ db: file, progress: false }, again, w, {
      runId,
      experimentId,
      config,
      ...(plan.state ? { resume: plan.state } : {})
    })
    expect(comparableRun(file, runId)).toEqual(comparableRun(ref, 1))
  }, 60_000)

  it('a trainer process under the host: the run fails saying so, and the host goes on', async () => {
    const ref = tmp.file('reference.db')
    const file = tmp.file('host.db')
    const { db, writer, runId } = newRun(file)
    capPages(db, 24)
    const host = new TrainerHost(writer, nodeForkLauncher, {
      status: () => undefined,
      metrics: () => undefined,
      progress: () => undefined
    })
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!host.isRunning(runId)) {
          clearInterval(poll)
          resolve()
        }
      }, 100)
    })
    host.start(runId, config, config.iterations)
    await exited
    db.close()
    afterFailure(file, runId, ref)
  }, 60_000)
})
