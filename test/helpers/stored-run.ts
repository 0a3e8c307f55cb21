// A run read back from its SQLite file with plain SQL (not through the store's own queries), so
// tests can recompute what the run reported from what it stored. The connection comes from
// openDatabase only because the `steps` view reads through a function it registers.
import { openDatabase } from '../../core/store'

export type StoredStep = {
  t: number
  action: string
  admissible: string[]
  reward: number
  done: boolean
  subgoalIndex: number | null
  subDone: boolean
  logProb: number | null
  advantage: number | null
  view: unknown
}

export type StoredEpisode = {
  id: number
  groupId: number | null
  iteration: number
  phase: 'train' | 'eval'
  env: string
  seed: number
  task: string
  blueprint: string[] | null
  return: number
  success: boolean
  length: number
  steps: StoredStep[]
}

export type StoredRun = {
  runId: number
  episodes: StoredEpisode[]
  /** Logged metric values by iteration. */
  metrics: Map<number, Record<string, number>>
}

type EpisodeRow = {
  id: number
  group_id: number | null
  iteration: number
  phase: 'train' | 'eval'
  env: string
  seed: number
  task: string
  blueprint_json: string | null
  return: number
  success: number
  length: number
}
type StepRow = {
  episode_id: number
  t: number
  action: string
  admissible_json: string
  reward: number
  done: number
  subgoal_index: number | null
  sub_done: number
  log_prob: number | null
  advantage: number | null
  view_json: string | null
}

/** The run `runId`, or the newest run in the file. */
export function readStoredRun(file: string, runId?: number): StoredRun {
  const db = openDatabase(file, { readonly: true })
  try {
    const id =
      runId ?? (db.prepare('SELECT MAX(id) AS id FROM runs').get() as { id: number | null }).id
    if (id === null) throw new Error(`${file} has no run`)
    const steps = new Map<number, StoredStep[]>()
    const stepRows = db
      .prepare(
        `SELECT s.* FROM steps s JOIN episodes e ON e.id = s.episode_id
         WHERE e.run_id = ? ORDER BY s.episode_id, s.t`
      )
      .all(id) as StepRow[]
    for (const s of stepRows) {
      const list = steps.get(s.episode_id) ?? []
      list.push({
        t: s.t,
        action: s.action,
        admissible: JSON.parse(s.admissible_json) as string[],
        reward: s.reward,
        done: s.done === 1,
        subgoalIndex: s.subgoal_index,
        subDone: s.sub_done === 1,
        logProb: s.log_prob,
        advantage: s.advantage,
        view: s.view_json === null ? null : (JSON.parse(s.view_json) as unknown)
      })
      steps.set(s.episode_id, list)
    }
    const episodes = (
      db.prepare('SELECT * FROM episodes WHERE run_id = ? ORDER BY id').all(id) as EpisodeRow[]
    ).map((e): StoredEpisode => ({
      id: e.id,
      groupId: e.group_id,
      iteration: e.iteration,
      phase: e.phase,
      env: e.env,
      seed: e.seed,
      task: e.task,
      blueprint: e.blueprint_json === null ? null : (JSON.parse(e.blueprint_json) as string[]),
      return: e.return,
      success: e.success === 1,
      length: e.length,
      steps: steps.get(e.id) ?? []
    }))
    const metrics = new Map<number, Record<string, number>>()
    const metricRows = db
      .prepare('SELECT iteration, key, value FROM metrics WHERE run_id = ?')
      .all(id) as { iteration: number; key: string; value: number }[]
    for (const m of metricRows) {
      const values = metrics.get(m.iteration) ?? {}
      values[m.key] = m.value
      metrics.set(m.iteration, values)
    }
    return { runId: id, episodes, metrics }
  } finally {
    db.close()
  }
}
