// Reproduction studies in the store (migration 9): the study rows and which runs belong to which
// study and method. Reads and writes on one connection; the CLI (`himac repro`) is the only writer
// of studies, like `himac train` is of its runs.
import type { StudyStatus } from '../api/study-entities'
import type { Db } from './open'

export type StudyRow = {
  id: number
  name: string
  env: string
  spec_json: string
  status: StudyStatus
  owner_pid: number | null
  error: string | null
  created_at: string
  ended_at: string | null
}

export type StudyRunRow = {
  run_id: number
  experiment_id: number
  method: string
  seed: number
  status: string
  iterations: number
  iterations_done: number
  config_json: string
}

const now = (): string => new Date().toISOString()

export class StudyStore {
  constructor(private readonly db: Db) {}

  create(name: string, env: string, specJson: string, ownerPid: number): number {
    const info = this.db
      .prepare(
        "INSERT INTO studies (name, env, spec_json, status, owner_pid) VALUES (?, ?, ?, 'running', ?)"
      )
      .run(name, env, specJson, ownerPid)
    return Number(info.lastInsertRowid)
  }

  get(id: number): StudyRow | undefined {
    return this.db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as StudyRow | undefined
  }

  list(): StudyRow[] {
    return this.db.prepare('SELECT * FROM studies ORDER BY id DESC').all() as StudyRow[]
  }

  /** Marks the study running in this process (a start or a resume). */
  claim(id: number, ownerPid: number): void {
    this.db
      .prepare(
        "UPDATE studies SET status = 'running', owner_pid = ?, error = NULL, ended_at = NULL WHERE id = ?"
      )
      .run(ownerPid, id)
  }

  finish(id: number, status: Exclude<StudyStatus, 'running'>, error?: string): void {
    this.db
      .prepare(
        'UPDATE studies SET status = ?, error = ?, ended_at = ?, owner_pid = NULL WHERE id = ?'
      )
      .run(status, error ?? null, now(), id)
  }

  attachRun(runId: number, studyId: number, method: string): void {
    this.db
      .prepare('UPDATE runs SET study_id = ?, study_method = ? WHERE id = ?')
      .run(studyId, method, runId)
  }

  /** The study's runs, by method and seed (the newest run where a pair has several). */
  runs(studyId: number): StudyRunRow[] {
    return this.db
      .prepare(
        `SELECT id AS run_id, experiment_id, study_method AS method, seed, status, iterations,
                iterations_done, config_json
         FROM runs WHERE study_id = ? ORDER BY id`
      )
      .all(studyId) as StudyRunRow[]
  }

  /** Every metric value of the given keys (and key prefixes ending in '/') for the study's runs. */
  metrics(studyId: number): { run_id: number; iteration: number; key: string; value: number }[] {
    return this.db
      .prepare(
        `SELECT m.run_id, m.iteration, m.key, m.value FROM metrics m
         JOIN runs r ON r.id = m.run_id
         WHERE r.study_id = ? AND (m.key LIKE 'eval/%' OR m.key = 'perf/iteration_s')
         ORDER BY m.run_id, m.iteration`
      )
      .all(studyId) as { run_id: number; iteration: number; key: string; value: number }[]
  }
}

/** The newest run of each (method, seed) pair of a study, keyed `method/seed`. */
export function studyRunIndex(runs: readonly StudyRunRow[]): Map<string, StudyRunRow> {
  const index = new Map<string, StudyRunRow>()
  for (const r of runs) index.set(`${r.method}/${r.seed}`, r)
  return index
}
