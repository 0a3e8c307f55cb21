// What crash and resume tests compare and check on a stored run: its numbers without row ids and
// timings, and the shape every committed iteration must have (no half-written group or episode).
import Database from 'better-sqlite3'
import type { ExperimentConfig } from '../../core/api/config'
import { readStoredRun } from './stored-run'

/** Every stored number of a run (returns, advantages, log-probs, losses…), timings left out. */
export function comparableRun(file: string, runId: number) {
  const run = readStoredRun(file, runId)
  const episodes = run.episodes.map(({ id: _id, groupId, ...rest }) => ({
    ...rest,
    grouped: groupId !== null
  }))
  const metrics = [...run.metrics.entries()]
    .sort(([a], [b]) => a - b)
    .map(([iteration, values]) => ({
      iteration,
      values: Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('perf/')))
    }))
  return { episodes, metrics }
}

export type ShapeReport = {
  integrity: string
  problems: string[]
  iterations: number
  episodes: number
}

/**
 * Opens the file as a fresh process would after a crash and checks: integrity_check is ok, every
 * episode has length + 1 steps (the final-state row), every group holds groupSize episodes, every
 * iteration with metrics has all its groups (and its eval episodes when it evaluated).
 */
export function checkRunShape(file: string, runId: number, config: ExperimentConfig): ShapeReport {
  const db = new Database(file)
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? ''
    const problems: string[] = []
    const badEpisodes = db
      .prepare(
        `SELECT e.id, e.length, COUNT(s.t) AS n FROM episodes e
         LEFT JOIN step_records s ON s.episode_id = e.id
         WHERE e.run_id = ? GROUP BY e.id HAVING n != e.length + 1`
      )
      .all(runId) as { id: number; length: number; n: number }[]
    for (const e of badEpisodes)
      problems.push(`episode ${e.id} has ${e.n} steps for length ${e.length}`)
    const badGroups = db
      .prepare(
        `SELECT g.id, COUNT(e.id) AS n FROM rollout_groups g LEFT JOIN episodes e ON e.group_id = g.id
         WHERE g.run_id = ? GROUP BY g.id HAVING n != ?`
      )
      .all(runId, config.groupSize) as { id: number; n: number }[]
    for (const g of badGroups) problems.push(`group ${g.id} has ${g.n} episodes`)
    const perIteration = db
      .prepare(
        `SELECT iteration,
           (SELECT COUNT(*) FROM rollout_groups g WHERE g.run_id = e.run_id AND g.iteration = e.iteration) AS groups,
           SUM(phase = 'eval') AS evals
         FROM episodes e WHERE run_id = ? GROUP BY iteration`
      )
      .all(runId) as { iteration: number; groups: number; evals: number }[]
    for (const it of perIteration) {
      if (it.groups !== config.groupsPerIteration)
        problems.push(`iteration ${it.iteration} has ${it.groups} groups`)
      if (it.evals !== 0 && it.evals !== config.evalEpisodes)
        problems.push(`iteration ${it.iteration} has ${it.evals} eval episodes`)
    }
    const metricIterations = db
      .prepare('SELECT COUNT(DISTINCT iteration) AS n FROM metrics WHERE run_id = ?')
      .get(runId) as { n: number }
    const episodes = db
      .prepare('SELECT COUNT(*) AS n FROM episodes WHERE run_id = ?')
      .get(runId) as { n: number }
    return { integrity, problems, iterations: metricIterations.n, episodes: episodes.n }
  } finally {
    db.close()
  }
}
