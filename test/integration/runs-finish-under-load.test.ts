// Runs started through the HTTP API (as the UI starts them) must finish on a busy machine, and store
// exactly what the same config stores when `himac train` / `himac eval` runs it in-process.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExperimentConfig } from '../../core/api/config'
import type { Run } from '../../core/api/entities'
import { startWebServer, type WebServer } from '../../core/api/http-server'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { openDatabase } from '../../core/store'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { tempDir } from '../helpers/tmp'

const execFileAsync = promisify(execFile)
const tmp = tempDir()
let service: WorkbenchService
let server: WebServer
let burner: ChildProcess | undefined

type Counts = { status: string; iterationsDone: number; episodes: number; steps: number }

function countsOf(dbFile: string, runId: number): Counts {
  // openDatabase registers the function the `steps` view reads through.
  const db = openDatabase(dbFile, { readonly: true })
  try {
    const run = db.prepare('SELECT status, iterations_done FROM runs WHERE id = ?').get(runId) as {
      status: string
      iterations_done: number
    }
    const episodes = db
      .prepare('SELECT COUNT(*) AS n FROM episodes WHERE run_id = ?')
      .get(runId) as {
      n: number
    }
    const steps = db
      .prepare(
        'SELECT COUNT(*) AS n FROM steps WHERE episode_id IN (SELECT id FROM episodes WHERE run_id = ?)'
      )
      .get(runId) as { n: number }
    return {
      status: run.status,
      iterationsDone: run.iterations_done,
      episodes: episodes.n,
      steps: steps.n
    }
  } finally {
    db.close()
  }
}

/** Runs the CLI on its own database and returns the stored config and counts of its one run. */
async function cliReference(args: string[]): Promise<{ config: ExperimentConfig; counts: Counts }> {
  const file = tmp.file(`cli-${args.join('-').replace(/[^a-z0-9-]/gi, '')}.db`)
  await execFileAsync(process.execPath, ['bin/himac.js', ...args, '--db', file, '--no-progress'], {
    timeout: 300_000
  })
  const db = new Database(file, { readonly: true })
  const row = db.prepare('SELECT id, config_json FROM runs').get() as {
    id: number
    config_json: string
  }
  db.close()
  return { config: JSON.parse(row.config_json) as ExperimentConfig, counts: countsOf(file, row.id) }
}

async function api<T>(name: string, body: unknown): Promise<T> {
  const res = await fetch(`${server.url}api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(body)
  })
  const json = (await res.json()) as { data?: T; error?: { message: string } }
  if (json.error) throw new Error(`${name}: ${json.error.message}`)
  return json.data as T
}

async function waitUntilEnded(runId: number, timeoutMs: number): Promise<Run> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = await api<Run>('runs/get', { runId })
    if (run.status !== 'queued' && run.status !== 'running') return run
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

beforeAll(async () => {
  service = createWorkbenchService({
    dbPath: tmp.file('served.db'),
    launcher: nodeForkLauncher,
    presets: loadPresets()
  })
  server = await startWebServer({ service, staticDir: tmp.dir, port: 0 })
  // A CPU burner beside the runs, so the machine is as busy as a user's with other work running —
  // unless it already is (under `npm test` the learning lane usually keeps every core busy).
  if ((os.loadavg()[0] ?? 0) < os.availableParallelism())
    burner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
})

afterAll(async () => {
  burner?.kill('SIGKILL')
  await server.close()
  await service.close()
  tmp.remove()
})

describe('UI-started runs on a loaded machine', () => {
  it('20 runs in a row all complete and store what himac train stores', async () => {
    const references = [
      await cliReference([
        'train',
        '--env',
        'sokoban',
        '--algo',
        'grpo',
        '--iterations',
        '6',
        '--seed',
        '3',
        '--groups',
        '4',
        '--group-size',
        '4',
        '--eval-every',
        '3'
      ]),
      // More than one batch of 64 episodes (the old failure stored exactly 64).
      await cliReference(['eval', '--env', 'alfworld', '--agent', 'expert', '--episodes', '150']),
      await cliReference(['eval', '--env', 'webshop', '--agent', 'random', '--episodes', '70'])
    ]
    for (const r of references) expect(r.counts.status).toBe('completed')

    const failures: string[] = []
    for (let i = 0; i < 20; i++) {
      const ref = references[i % references.length]!
      const experiment = await api<{ id: number }>('experiments/create', {
        name: `load-${i}`,
        config: ref.config
      })
      const started = await api<Run>('experiments/start', { experimentId: experiment.id })
      const run = await waitUntilEnded(started.id, 240_000)
      const counts = countsOf(tmp.file('served.db'), run.id)
      if (run.status !== 'completed') failures.push(`run ${run.id}: ${run.status} — ${run.error}`)
      expect(counts, `run ${i} (${ref.config.env} ${ref.config.algo})`).toEqual(ref.counts)
    }
    expect(failures).toEqual([])
  }, 1_200_000)
})
