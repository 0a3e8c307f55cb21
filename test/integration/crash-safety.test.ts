// Crash safety with real processes: `himac train` and `himac serve` (with a run going) are killed
// with SIGKILL inside each phase (rollout, update, evaluation, the rollouts write, the checkpoint
// write: the trace hook holds the process there), at seeded points. After every kill the file
// must open, pass integrity_check and hold no half-written group or episode; resuming must lose no
// committed episode and end with the numbers of an uninterrupted run of the same config.
// Default counts fit `npm test`; HIMAC_CRASH_KILLS=20 runs the full count.
import { spawn, type ChildProcess } from 'node:child_process'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema, type ExperimentConfig } from '../../core/api/config'
import { openDatabase, StoreWriter } from '../../core/store'
import { createRng } from '../../core/rng'
import { createWorkbenchService } from '../../core/api/service'
import { loadPresets } from '../../core/api/presets'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { runExperiment } from '../../core/train/run'
import { trainCommand } from '../../cli/train'
import { createStoreSink } from '../../core/train/store-sink'
import { checkRunShape, comparableRun } from '../helpers/run-consistency'
import { tempDir } from '../helpers/tmp'

const KILLS = Number(process.env.HIMAC_CRASH_KILLS ?? 5)
const SERVE_KILLS = Math.max(
  1,
  Number(process.env.HIMAC_CRASH_SERVE_KILLS ?? (KILLS >= 20 ? 3 : 1))
)
const PHASES = ['rollout', 'update', 'eval', 'store', 'checkpoint'] as const
type Phase = (typeof PHASES)[number]
/** How long the trainer holds at the traced point; the kill lands inside this window. */
const HOLD_MS = 250

const tmp = tempDir('himac-crash-')
afterAll(() => tmp.remove())

// At most two iterations are committed per killed process, so the run outlasts the kills.
const ITERATIONS = 2 * KILLS + 2
const trainArgs = [
  '--env=sokoban',
  `--iterations=${ITERATIONS}`,
  '--seed=7',
  '--groups=2',
  '--group-size=2',
  '--eval-every=2',
  '--eval-episodes=2',
  '--checkpoint-every=1',
  '--hidden=16',
  '--backend=cpu',
  '--no-progress'
]

type Target = { phase: Phase; occurrence: number; delayMs: number }

type Spawned = {
  child: ChildProcess
  stdout: () => string
  /** Resolves with how the process ended and whether we killed it. */
  ended: Promise<{ code: number | null; signal: string | null; killed: boolean }>
}

/** Runs `himac <args>`; with a target, SIGKILLs it inside that phase's n-th occurrence. */
function himac(args: string[], target?: Target): Spawned {
  const child = spawn(process.execPath, ['bin/himac.js', ...args], {
    env: {
      ...process.env,
      HIMAC_TRACE: '1',
      ...(target ? { HIMAC_TRACE_HOLD: `${target.phase}:${HOLD_MS}` } : {})
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  let seen = 0
  let killed = false
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr?.on('data', (b: Buffer) => {
    const before = err.length
    err += b.toString()
    if (!target || killed) return
    const fresh = err.slice(err.lastIndexOf('\n', before - 1) + 1)
    for (const line of fresh.split('\n')) {
      if (!line.startsWith(`trace ${target.phase} `)) continue
      seen += 1
      if (seen === target.occurrence) {
        killed = true
        setTimeout(() => child.kill('SIGKILL'), target.delayMs)
        return
      }
    }
  })
  const ended = new Promise<{ code: number | null; signal: string | null; killed: boolean }>(
    (resolve) =>
      child.on('close', (code, signal) => {
        if (code !== 0 && !killed) console.error(err.slice(-2000))
        resolve({ code, signal, killed })
      })
  )
  return { child, stdout: () => out, ended }
}

function runRow(file: string, runId: number): { status: string; error: string | null } {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare('SELECT status, error FROM runs WHERE id = ?').get(runId) as {
      status: string
      error: string | null
    }
  } finally {
    db.close()
  }
}

function configOf(file: string, runId: number): ExperimentConfig {
  const db = new Database(file, { readonly: true })
  const row = db.prepare('SELECT config_json FROM runs WHERE id = ?').get(runId) as {
    config_json: string
  }
  db.close()
  return experimentConfigSchema.parse(JSON.parse(row.config_json))
}

/** Everything committed for the run, as comparable texts (to find each one again at the end). */
const committedEpisodes = (file: string, runId: number): string[] =>
  comparableRun(file, runId).episodes.map((e) => JSON.stringify(e))

/** The same config trained in this process without interruption. */
async function uninterrupted(config: ExperimentConfig): Promise<string> {
  const file = tmp.file('reference.db')
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment('reference', null, config), config)
  const outcome = await runExperiment(config, createStoreSink(writer, runId))
  writer.finishRun(runId, outcome.status)
  db.close()
  expect(runId).toBe(1)
  return file
}

function checkAfterKill(file: string, runId: number, config: ExperimentConfig): void {
  const shape = checkRunShape(file, runId, config)
  expect(shape.integrity).toBe('ok')
  expect(shape.problems).toEqual([])
}

/** A serve process's URL and how to authenticate to it (a token in the URL, when it prints one). */
async function serveUrl(s: Spawned): Promise<{ base: string; headers: Record<string, string> }> {
  for (let i = 0; i < 600; i++) {
    const m = /(http:\/\/127\.0\.0\.1:\d+)\/(\S*)/.exec(s.stdout())
    if (m) {
      const token = new URLSearchParams((m[2] ?? '').replace(/^\?/, '')).get('token')
      return {
        base: m[1] as string,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {})
        }
      }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('himac serve printed no URL')
}

async function call<T>(
  server: { base: string; headers: Record<string, string> },
  name: string,
  input: unknown
): Promise<T> {
  const res = await fetch(`${server.base}/api/${name}`, {
    method: 'POST',
    headers: server.headers,
    body: JSON.stringify(input)
  })
  const body = (await res.json()) as { data?: T; error?: { message: string } }
  if (body.error) throw new Error(`${name}: ${body.error.message}`)
  return body.data as T
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs of himac train and ${SERVE_KILLS} of himac serve`, async () => {
    const rng = createRng(2026)
    const perPhase: Record<Phase, number> = {
      rollout: 0,
      update: 0,
      eval: 0,
      store: 0,
      checkpoint: 0
    }
    const target = (k: number): Target => {
      const phase = PHASES[k % PHASES.length] as Phase
      // Evaluations come every second iteration: the first one keeps the progress per kill ≤ 2.
      return {
        phase,
        occurrence: phase === 'eval' ? 1 : 1 + rng.int(2),
        delayMs: rng.int(HOLD_MS - 100)
      }
    }
    const committed = new Set<string>()
    let resumes = 0

    // himac train, killed and resumed.
    const file = tmp.file('train.db')
    const runId = 1
    for (let k = 0; k < KILLS; k++) {
      const t = target(k)
      const args =
        k === 0
          ? ['train', `--db=${file}`, ...trainArgs]
          : ['train', `--db=${file}`, `--resume=${runId}`, '--force', '--no-progress']
      if (k > 0) resumes++
      const end = await himac(args, t).ended
      expect(end, `kill ${k} (${t.phase} #${t.occurrence})`).toMatchObject({
        signal: 'SIGKILL',
        killed: true
      })
      perPhase[t.phase]++
      const config = configOf(file, runId)
      checkAfterKill(file, runId, config)
      // Nothing noticed the kill: the run is still marked running (hence --force on resume).
      expect(runRow(file, runId).status).toBe('running')
      for (const e of committedEpisodes(file, runId)) committed.add(e)
    }
    // The last resume runs the same command in this process (a process start less for npm test).
    expect(await trainCommand({ db: file, resume: runId, progress: false })).toBe(2)
    resumes++
    expect(await trainCommand({ db: file, resume: runId, force: true, progress: false })).toBe(0)
    expect(runRow(file, runId)).toEqual({ status: 'completed', error: null })
    const config = configOf(file, runId)
    const reference = await uninterrupted(config)
    const final = comparableRun(file, runId)
    expect(final).toEqual(comparableRun(reference, 1))
    const finalEpisodes = new Set(final.episodes.map((e) => JSON.stringify(e)))
    const lost = [...committed].filter((e) => !finalEpisodes.has(e)).length
    expect(lost).toBe(0)

    // himac serve with a run going, killed; the next server marks the run failed and resumes it.
    const served = tmp.file('serve.db')
    let serveRun = 0
    const serveCommitted = new Set<string>()
    for (let k = 0; k < SERVE_KILLS; k++) {
      const t = { ...target(k + KILLS), occurrence: 1 }
      const s = himac(['serve', `--db=${served}`, '--port=0'], t)
      const server = await serveUrl(s)
      if (k === 0) {
        const experiment = await call<{ id: number }>(server, 'experiments/create', {
          name: 'crash',
          config
        })
        const run = await call<{ id: number }>(server, 'experiments/start', {
          experimentId: experiment.id
        })
        serveRun = run.id
      } else {
        const before = await call<{ status: string; error: string }>(server, 'runs/get', {
          runId: serveRun
        })
        expect(before).toMatchObject({
          status: 'failed',
          error: expect.stringMatching(/^interrupted: /)
        })
        await call(server, 'runs/resume', { runId: serveRun })
        resumes++
      }
      const end = await s.ended
      expect(end).toMatchObject({ signal: 'SIGKILL', killed: true })
      perPhase[t.phase]++
      checkAfterKill(served, serveRun, config)
      for (const e of committedEpisodes(served, serveRun)) serveCommitted.add(e)
    }
    // The last server runs in this process (same service code as `himac serve`).
    const service = createWorkbenchService({
      dbPath: served,
      launcher: nodeForkLauncher,
      presets: loadPresets()
    })
    expect(service.reader.getRun(serveRun)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^interrupted: /)
    })
    const finished = new Promise<void>((resolve) =>
      service.on('run/status', (r) => {
        if (r.id === serveRun && r.status !== 'running' && r.status !== 'queued') resolve()
      })
    )
    expect((await service.invoke('runs/resume', { runId: serveRun })).error).toBeUndefined()
    resumes++
    await finished
    await service.close()
    expect(runRow(served, serveRun)).toEqual({ status: 'completed', error: null })
    const serveFinal = comparableRun(served, serveRun)
    expect(serveFinal).toEqual(comparableRun(reference, 1))
    const serveEpisodes = new Set(serveFinal.episodes.map((e) => JSON.stringify(e)))
    const serveLost = [...serveCommitted].filter((e) => !serveEpisodes.has(e)).length
    expect(serveLost).toBe(0)

    const kills = KILLS + SERVE_KILLS
    console.log(
      `crash-safety: ${kills} kills (train ${KILLS}, serve ${SERVE_KILLS}; ` +
        PHASES.map((p) => `${p} ${perPhase[p]}`).join(', ') +
        `), ${resumes} resumes, episodes lost ${lost + serveLost}, ` +
        `${final.episodes.length} episodes equal to the uninterrupted run`
    )
  }, 600_000)
})
