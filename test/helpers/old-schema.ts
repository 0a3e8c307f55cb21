// Rows as an older schema version holds them, written with plain SQL: the store's writer prepares
// the latest schema's statements, so it cannot write a database left at an older version.
import type Database from 'better-sqlite3'

/** An experiment and its run, as rows of any schema version; returns the run's id. */
export function addRun(
  db: Database.Database,
  config: string,
  run: { status: string; seed: number; iterations: number; backend?: string }
): number {
  const experimentId = db
    .prepare('INSERT INTO experiments (name, config_json) VALUES (?, ?)')
    .run('e', config).lastInsertRowid
  return Number(
    db
      .prepare(
        `INSERT INTO runs (experiment_id, status, seed, config_json, iterations, backend)
         VALUES (?, ?, ?, ?, ?, ?)`
      )
      .run(experimentId, run.status, run.seed, config, run.iterations, run.backend ?? null)
      .lastInsertRowid
  )
}
