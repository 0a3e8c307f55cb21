// `himac repro`: a tiny real study (2 methods × 3 seeds on Sokoban, a d16 LM, 2 RL iterations) is
// stopped with Ctrl-C, then SIGKILLed inside a run, then resumed to the end. Every planned run
// exists once and completed with its planned iterations (each iteration's metrics stored once),
// and the report's numbers equal the metrics table's.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase } from '../../core/store'
import { StudyStore } from '../../core/store/study-queries'
import { meanCi } from '../../core/study/stats'
import { budgetSeconds, createStudy, runStudy } from '../../core/study/runner'
import type { StudySpec } from '../../core/study/spec'
import type { StudyReport } from '../../core/api/study-entities'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const spec: StudySpec = {
  env: 'sokoban',
  preset: 'quick',
  methods: ['himac', 'grpo'],
  seeds: [0, 1, 2],
  budget: { kind: 'iterations', iterations: 2 },
  base: experimentConfigSchema.parse({
    env: 'sokoban',
    algo: 'himac',
    groupsPerIteration: 2,
    groupSize: 2,
    evalEvery: 1,
    evalEpisodes: 4,
    checkpointEvery: 1,
    backend: 'wasm',
    policy: {
      kind: 'lm',
      lm: { dModel: 16, layers: 1, heads: 2 },
      warmStart: { episodes: 8, epochs: 1 }
    }
  }),
  targets: [0.8, 0.25],
  expectedMinutes: null,
  warmStarts: { flat: null, himac: null, fixedBudget: null }
}

/** Whether `next` appears in `out` after `marker`. */
const after = (out: string, marker: string, next: string): boolean => {
  const i = out.indexOf(marker)
  return i >= 0 && out.indexOf(next, i) >= 0
}

type Ended = { code: number | null; signal: string | null; out: string }

/** `himac repro <args>`; `stopWhen` sees stdout so far and returns a signal to send, once. */
function repro(
  args: string[],
  stopWhen?: (out: string) => NodeJS.Signals | null,
  cwd = process.cwd()
): Promise<Ended> {
  const child = spawn(process.execPath, [path.resolve('bin/himac.js'), 'repro', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd
  })
  let out = ''
  let err = ''
  let sent = false
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString()
    const signal = !sent && stopWhen ? stopWhen(out) : null
    if (signal) {
      sent = true
      child.kill(signal)
    }
  })
  child.stderr.on('data', (b: Buffer) => (err += b.toString()))
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out: out + err }))
  )
}

describe('himac repro', () => {
  it("writes the report to repro-<env>-<id>/ and will not overwrite another database's study 1", async () => {
    const cwd = tmp.file('cwd')
    fs.mkdirSync(cwd)
    const dbs = ['a.db', 'b.db'].map((name) => {
      const file = tmp.file(name)
      const db = openDatabase(file)
      const id = createStudy(db, name, spec)
      new StudyStore(db).finish(id, 'stopped')
      db.close()
      return { file, id }
    })
    expect(dbs.map((d) => d.id)).toEqual([1, 1])
    const first = await repro(['--report', '1', '--db', dbs[0]!.file], undefined, cwd)
    expect(first.code, first.out).toBe(0)
    const report = path.join(cwd, 'repro-sokoban-1', 'report.json')
    const written = fs.readFileSync(report, 'utf8')
    // The same study again: rewritten in place.
    expect((await repro(['--report', '1', '--db', dbs[0]!.file], undefined, cwd)).code).toBe(0)
    const other = await repro(['--report', '1', '--db', dbs[1]!.file], undefined, cwd)
    expect(other.code).toBe(2)
    expect(other.out).toContain('repro-sokoban-1/ holds the report of another study')
    expect(fs.readFileSync(report, 'utf8')).toBe(written)
    const elsewhere = path.join(cwd, 'b-report')
    const given = await repro(
      ['--report', '1', '--db', dbs[1]!.file, '--out', elsewhere],
      undefined,
      cwd
    )
    expect(given.code, given.out).toBe(0)
    expect(fs.existsSync(path.join(elsewhere, 'report.md'))).toBe(true)
  })

  it('stops on Ctrl-C, survives a SIGKILL, resumes, and reports what the metrics table holds', async () => {
    const file = tmp.file('study.db')
    const out = tmp.file('report')
    const setup = openDatabase(file)
    const studyId = createStudy(setup, 'tiny', spec)
    new StudyStore(setup).finish(studyId, 'stopped') // as if its first process had stopped at once
    setup.close()
    const args = ['--resume', String(studyId), '--db', file, '--out', out, '--no-progress']

    // 1. Ctrl-C during the second run (after its cloning epoch): it stops, keeps a checkpoint.
    const first = await repro(args, (o) => (after(o, '[2/6]', '  it 1/') ? 'SIGINT' : null))
    expect(first.code, first.out).toBe(130)
    expect(first.out).toContain(`resume with: himac repro --resume ${studyId}`)
    // 2. SIGKILL inside the fourth run, after its first RL iteration was reported.
    const second = await repro(args, (o) => (after(o, '[4/6]', '  it 2/') ? 'SIGKILL' : null))
    expect(second.signal, second.out).toBe('SIGKILL')
    expect(second.out).toMatch(/skip himac seed 0: run \d+ is completed/)
    expect(second.out).toMatch(/\[2\/6\] GRPO \(flat\) seed 0: run \d+, resumed at iteration [1-9]/)
    const killedRun = /\[4\/6\] GRPO \(flat\) seed 1: run (\d+)/.exec(second.out)?.[1]
    expect(killedRun).toBeDefined()
    // 3. To the end: the killed run continues under its id (from its newest checkpoint, if it
    // wrote one before the kill), the rest start.
    const third = await repro(args)
    expect(third.code, third.out).toBe(0)
    expect(third.out).toContain(`[4/6] GRPO (flat) seed 1: run ${killedRun}`)
    expect(third.out).toContain(`study ${studyId} completed`)

    const db = new Database(file, { readonly: true })
    const runs = db
      .prepare(
        'SELECT id, study_method, seed, status, iterations, iterations_done FROM runs WHERE study_id = ? ORDER BY id'
      )
      .all(studyId) as {
      id: number
      study_method: string
      seed: number
      status: string
      iterations: number
      iterations_done: number
    }[]
    expect(runs.map((r) => `${r.study_method}/${r.seed}`).sort()).toEqual([
      'grpo/0',
      'grpo/1',
      'grpo/2',
      'himac/0',
      'himac/1',
      'himac/2'
    ])
    for (const r of runs) {
      expect(r.status).toBe('completed')
      expect(r.iterations).toBe(1 + 2) // one cloning epoch + 2 RL iterations
      expect(r.iterations_done).toBe(r.iterations)
      const its = db
        .prepare(
          "SELECT iteration FROM metrics WHERE run_id = ? AND key = 'perf/iteration_s' ORDER BY iteration"
        )
        .all(r.id) as { iteration: number }[]
      expect(its.map((x) => x.iteration)).toEqual([0, 1, 2])
    }
    const study = db.prepare('SELECT status FROM studies WHERE id = ?').get(studyId)
    expect(study).toEqual({ status: 'completed' })

    // The report against the metrics table: each run's final = its last iteration's evaluation.
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as StudyReport
    const finalOf = (runId: number, key: string): number =>
      (
        db
          .prepare(
            'SELECT value FROM metrics WHERE run_id = ? AND key = ? ORDER BY iteration DESC LIMIT 1'
          )
          .get(runId, key) as { value: number }
      ).value
    for (const r of report.runs) {
      expect(r.finalSuccess).toBe(finalOf(r.runId, 'eval/success_rate'))
      expect(r.finalGreedySuccess).toBe(finalOf(r.runId, 'eval/greedy_success_rate'))
      expect(r.rlIterations).toBe(2)
    }
    for (const m of report.methods) {
      const ids = runs.filter((r) => r.study_method === m.method).map((r) => r.id)
      expect(m.finalSuccess).toEqual(meanCi(ids.map((id) => finalOf(id, 'eval/success_rate'))))
      expect(m.completed).toBe(3)
    }
    db.close()
    for (const f of ['report.md', 'results.csv', 'learning-curves.svg', 'final-success.svg'])
      expect(fs.existsSync(path.join(out, f))).toBe(true)
    const csv = fs.readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n')
    expect(csv).toHaveLength(1 + 6 + 2)
  }, 240_000)
})

describe('himac repro with a minutes budget', () => {
  it('prints each iteration with the time spent of the budget, not of a planned iteration count', async () => {
    const file = tmp.file('minutes.db')
    const db = openDatabase(file)
    const studyId = createStudy(db, 'minutes', {
      ...spec,
      methods: ['grpo'],
      budget: { kind: 'minutes', minutes: 0.05, clock: 'wall' }
    })
    new StudyStore(db).finish(studyId, 'stopped')
    db.close()
    const r = await repro([
      '--resume',
      String(studyId),
      '--db',
      file,
      '--out',
      tmp.file('minutes-report'),
      '--no-progress'
    ])
    expect(r.code, r.out).toBe(0)
    const its = r.out.split('\n').filter((l) => l.startsWith('  it '))
    expect(its.length, r.out).toBeGreaterThanOrEqual(3)
    for (const line of its) expect(line).toMatch(/^ {2}it \d+ \(\d+m\d\ds of 0\.05 min\)/)
    expect(r.out).not.toMatch(/it \d+\/\d+/)
  }, 180_000)

  it('on the training clock stops after the iteration that spends the minutes, evaluations not counted, and evaluates the final policy', async () => {
    const db = openDatabase(tmp.file('train-clock.db'))
    try {
      const minutes = 0.1
      const studyId = createStudy(db, 'train clock', {
        ...spec,
        methods: ['grpo'],
        seeds: [0],
        budget: { kind: 'minutes', minutes, clock: 'train' }
      })
      expect(await runStudy(db, studyId)).toBe('completed')
      const rows = db
        .prepare(
          "SELECT m.iteration, m.key, m.value FROM metrics m JOIN runs r ON r.id = m.run_id WHERE r.study_id = ? AND m.key IN ('perf/iteration_s', 'perf/eval_s') ORDER BY m.iteration"
        )
        .all(studyId) as { iteration: number; key: string; value: number }[]
      const byIteration = new Map<number, Record<string, number>>()
      for (const r of rows)
        byIteration.set(r.iteration, { ...byIteration.get(r.iteration), [r.key]: r.value })
      const its = [...byIteration.values()]
      const train = its.map((v) => budgetSeconds(v, 'train'))
      const wall = its.map((v) => budgetSeconds(v, 'wall'))
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
      // Every RL iteration evaluates (evalEvery 1), and the evaluations are left out of the budget.
      expect(its.filter((v) => (v['perf/eval_s'] ?? 0) > 0).length).toBeGreaterThanOrEqual(3)
      // The last row is the evaluation after the budget: nothing of it counts on this clock.
      expect(train.at(-1)).toBe(0)
      expect(its.at(-1)!['perf/eval_s']).toBeGreaterThan(0)
      expect(sum(train.slice(0, -2))).toBeLessThan(minutes * 60)
      expect(sum(train)).toBeGreaterThanOrEqual(minutes * 60)
      expect(sum(wall)).toBeGreaterThan(sum(train))
      // It measures the policy after the last update: recorded at the updates' count, holding
      // evaluation metrics only, and the report's final point is that evaluation.
      const run = db
        .prepare('SELECT id, iterations_done FROM runs WHERE study_id = ?')
        .get(studyId) as { id: number; iterations_done: number }
      const last = [...byIteration.keys()].at(-1)!
      expect(last).toBe(run.iterations_done)
      const keys = (
        db
          .prepare('SELECT key FROM metrics WHERE run_id = ? AND iteration = ?')
          .all(run.id, last) as { key: string }[]
      ).map((r) => r.key)
      expect(keys).toContain('eval/success_rate')
      expect(keys.filter((k) => k.startsWith('train/'))).toEqual([])
      const episodes = db
        .prepare(
          "SELECT COUNT(*) AS n FROM episodes WHERE run_id = ? AND iteration = ? AND phase = 'eval'"
        )
        .get(run.id, last) as { n: number }
      expect(episodes.n).toBe(spec.base.evalEpisodes)
    } finally {
      db.close()
    }
  }, 180_000)
})

describe('himac repro refuses bad input in one line, writing nothing', () => {
  it.concurrent.each([
    [['--env', 'sokobn'], '--env'],
    [['--env', 'sokoban', '--seeds', '2'], '--seeds must be at least 3'],
    [['--env', 'sokoban', '--methods', 'himac,ppo'], "unknown method 'ppo'"],
    [['--env', 'sokoban', '--iterations', '5', '--minutes', '2'], 'choose one budget'],
    [['--env', 'sokoban', '--clock', 'wall'], '--clock goes with a --minutes budget'],
    [['--env', 'sokoban', '--minutes', '2', '--clock', 'cpu'], '--clock must be train or wall'],
    [['--env', 'sokoban', '--iterations', '0'], '--iterations must be at least 1'],
    [['--env', 'sokoban', '--eval-every', '0'], '--eval-every must be at least 1'],
    [['--resume', '1', '--eval-every', '2'], '--eval-every shapes a new study'],
    [['--env', 'sokoban', '--eval-episodes', '1001'], '--eval-episodes is at most 1000'],
    [['--resume', '1', '--seeds', '3'], '--seeds shapes a new study'],
    [
      ['--env', 'alfworld', '--env-config', '{"bogus":1}'],
      '--env-config: options: Unrecognized key'
    ],
    [['--env', 'alfworld', '--env-config', '{no'], '--env-config is not valid JSON'],
    [['--report', '1'], 'does not exist; nothing was changed'],
    [[], 'repro needs --env']
  ])('%j', async (args, phrase) => {
    const file = tmp.file(`bad-${args.join('_').replace(/[^a-z0-9_-]/gi, '')}.db`)
    const r = await repro([...args, '--db', file, '--no-progress'])
    expect(r.code, r.out).toBe(2)
    const lines = r.out.trim().split('\n')
    expect(lines, r.out).toHaveLength(1)
    expect(r.out).toContain(phrase)
    expect(fs.existsSync(file)).toBe(false)
  })
})
