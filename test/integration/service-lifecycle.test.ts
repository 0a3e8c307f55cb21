// The service's lifecycle with real trainer processes and a real database file: an ordered
// shutdown while a run streams, a stop that stores everything sent, writes by another process, and
// runs another process is training left running when the workbench opens the file.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Run } from '../../core/api/entities'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { openDatabase, StoreReader } from '../../core/store'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { nextEvent } from '../helpers/service-events'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const smoke = loadPresets().find((p) => p.id === 'sokoban-smoke')!

const open = (file: string, watchIntervalMs?: number): WorkbenchService =>
  createWorkbenchService({
    dbPath: file,
    launcher: nodeForkLauncher,
    presets: loadPresets(),
    ...(watchIntervalMs ? { watchIntervalMs } : {})
  })

async function startLongRun(service: WorkbenchService): Promise<Run> {
  const created = await service.invoke('experiments/create', {
    name: 'long',
    config: { ...smoke.config, iterations: 10_000, evalEvery: 0 }
  })
  const started = await service.invoke('experiments/start', {
    experimentId: (created.data as { id: number }).id
  })
  return started.data as Run
}

/** What the file holds for a run: its row, and the iterations and episodes stored. */
function stored(file: string, runId: number) {
  const db = openDatabase(file, { readonly: true })
  const reader = new StoreReader(db)
  const run = reader.getRun(runId)!
  const iterations = reader.getMetrics(runId).length
  const episodes = reader.pageEpisodes(runId, 0, 1).total
  db.close()
  return { run, iterations, episodes }
}

/** `himac train` processes a test started: killed after it, also when an assertion failed. */
const trainers: ChildProcess[] = []
afterEach(() => {
  for (const child of trainers.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('service lifecycle', () => {
  it('closing while a run streams stops it, stores what it sent, and writes nothing after', async () => {
    const file = tmp.file('close.db')
    const service = open(file)
    const run = await startLongRun(service)
    await nextEvent(service, 'run/metrics', (m) => m.runId === run.id)
    await service.close()
    // Messages still in flight after close must not reach the closed store (vitest fails the
    // file on any unhandled error); give them time to arrive.
    await new Promise((r) => setTimeout(r, 500))
    const s = stored(file, run.id)
    expect(s.run.status).toBe('stopped')
    expect(s.run.iterationsDone).toBe(s.iterations)
    expect(s.iterations).toBeGreaterThanOrEqual(1)
    expect(s.episodes).toBe(s.iterations * 16)
    await service.close() // a second close is harmless
  })

  it('a stopped run keeps every iteration it reported, and its checkpoint', async () => {
    const file = tmp.file('stop.db')
    const service = open(file)
    const run = await startLongRun(service)
    await nextEvent(service, 'run/metrics', (m) => m.point.iteration >= 2)
    const done = nextEvent(service, 'run/status', (r) => r.id === run.id && r.status !== 'running')
    expect((await service.invoke('experiments/stop', { runId: run.id })).error).toBeUndefined()
    const final = await done
    await service.close()
    const s = stored(file, run.id)
    expect(final.status).toBe('stopped')
    expect(s.run.iterationsDone).toBe(s.iterations)
    expect(s.episodes).toBe(s.iterations * 16)
    const db = openDatabase(file, { readonly: true })
    const checkpoints = db.prepare('SELECT iteration FROM checkpoints WHERE run_id = ?').all(run.id)
    db.close()
    expect(checkpoints).toEqual([{ iteration: s.iterations }])
  })

  it('a trainer killed from outside: the run fails saying so, and keeps what arrived', async () => {
    const file = tmp.file('killed.db')
    const service = open(file)
    const run = await startLongRun(service)
    await nextEvent(service, 'run/metrics', (m) => m.point.iteration >= 1)
    const done = nextEvent(service, 'run/status', (r) => r.id === run.id && r.status !== 'running')
    const children = execFileSync('pgrep', ['-f', '-P', String(process.pid), 'child-node'])
      .toString()
      .trim()
      .split('\n')
    expect(children).toHaveLength(1)
    process.kill(Number(children[0]), 'SIGKILL')
    const final = await done
    await service.close()
    const s = stored(file, run.id)
    expect(final.status).toBe('failed')
    expect(final.error).toBe(
      `trainer process was killed by SIGKILL without reporting an outcome, after ${s.iterations} ` +
        `of 10000 iterations; what it sent before is stored (${s.iterations} iterations, ${s.episodes} episodes)`
    )
    expect(s.episodes).toBe(s.iterations * 16)
  })

  it('a workbench opened beside a `himac train` leaves its run running; a killed one is marked', async () => {
    const file = tmp.file('beside.db')
    const train = () => {
      const child = spawn(
        process.execPath,
        ['bin/himac.js', 'train', '--env', 'sokoban', '--iterations', '100000', '--db', file],
        { stdio: 'ignore' }
      )
      trainers.push(child)
      return child
    }
    const runningRun = async (): Promise<number> => {
      for (;;) {
        await new Promise((r) => setTimeout(r, 200))
        if (!fs.existsSync(file)) continue
        const db = openDatabase(file, { readonly: true })
        // The trainer creates the file, then migrates it: its tables may not be there yet.
        const migrated = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'runs'").get()
        const row = migrated
          ? (db
              .prepare("SELECT id FROM runs WHERE status = 'running' AND iterations_done >= 1")
              .get() as { id: number } | undefined)
          : undefined
        db.close()
        if (row) return row.id
      }
    }
    const exited = (child: ReturnType<typeof train>) =>
      new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const child = train()
    const runId = await runningRun()
    const service = open(file)
    const statusOf = async (): Promise<string | undefined> =>
      ((await service.invoke('runs/list', {})).data as Run[]).find((r) => r.id === runId)?.status
    expect(await statusOf()).toBe('running')
    // It goes on training into the file the workbench has open.
    const before = stored(file, runId).iterations
    while (stored(file, runId).iterations <= before) await new Promise((r) => setTimeout(r, 200))
    expect(await statusOf()).toBe('running')
    // Ctrl-C in its terminal: it stops after its iteration and says so itself.
    const done = exited(child)
    child.kill('SIGINT')
    await done
    expect(stored(file, runId).run.status).toBe('stopped')
    await service.close()
    // A trainer killed outright leaves its run 'running'; the next workbench marks it.
    const killed = train()
    const second = await runningRun()
    const gone = exited(killed)
    killed.kill('SIGKILL')
    await gone
    const again = open(file)
    expect(stored(file, second).run).toMatchObject({
      status: 'failed',
      error: 'interrupted: the workbench stopped during the run'
    })
    await again.close()
  }, 120_000)

  it('reports runs that another process writes into the served database', async () => {
    const file = tmp.file('shared.db')
    const service = open(file, 100)
    const changed = nextEvent(service, 'store/changed', (c) => c.runIds.length > 0)
    await promisify(execFile)(process.execPath, [
      'bin/himac.js',
      'eval',
      '--env',
      'sokoban',
      '--agent',
      'random',
      '--episodes',
      '8',
      '--db',
      file,
      '--no-progress'
    ])
    const event = await changed
    const runs = (await service.invoke('runs/list', {})).data as Run[]
    expect(runs).toHaveLength(1)
    expect(event.runIds).toContain(runs[0]!.id)
    await service.close()
  })
})
