// A run's episodes with their steps as `himac.episode` v1 lines (core/api/episode-jsonl.ts), read
// with one streaming statement so that a run of 10^6 episodes never sits in memory. While the
// iterator is open its connection runs nothing else: callers that serve other requests meanwhile
// (the web server) give it a connection of its own.
import { EPISODE_SCHEMA, EPISODE_SCHEMA_VERSION, type EpisodeLineInput } from '../api/episode-jsonl'
import type { Db } from './open'
import { toStep, type EpisodeRow } from './queries'
import { unpackRow } from './step-pack'

/** An episode row with its step pack and its group's columns. */
type Row = EpisodeRow & {
  codec: number | null
  body: Buffer | null
  base_codec: number | null
  base_body: Buffer | null
  level: 'flat' | 'macro' | 'micro' | null
  task_seed: number | null
  chosen_episode_id: number | null
  chosen_blueprint_json: string | null
  parent_group_id: number | null
}

export type ExportFilter = { phase?: 'train' | 'eval'; success?: boolean }

const parseList = (json: string | null): string[] | null =>
  json === null ? null : (JSON.parse(json) as string[])

function lineOf(r: Row, algo: string | null): EpisodeLineInput {
  const rows =
    r.codec === null || r.body === null ? [] : unpackRow({ ...r, codec: r.codec, body: r.body })
  return {
    schema: EPISODE_SCHEMA,
    version: EPISODE_SCHEMA_VERSION,
    env: r.env as EpisodeLineInput['env'],
    task: r.task,
    seed: r.seed,
    iteration: r.iteration,
    phase: r.phase,
    memberIndex: r.member_index,
    return: r.return,
    success: r.success === 1,
    length: r.length,
    blueprint: parseList(r.blueprint_json),
    planLogProb: r.plan_log_prob,
    planAdvantage: r.plan_advantage,
    group:
      r.group_id === null
        ? null
        : {
            key: String(r.group_id),
            level: r.level ?? 'flat',
            taskSeed: r.task_seed ?? r.seed,
            chosen: r.chosen_episode_id === r.id,
            chosenBlueprint: parseList(r.chosen_blueprint_json),
            parent: r.parent_group_id === null ? null : String(r.parent_group_id)
          },
    algo,
    source: { run: r.run_id, episode: r.id },
    steps: rows.map((s) => {
      const { admissibleActions, ...step } = toStep(s)
      return { ...step, admissible: admissibleActions }
    })
  }
}

/** How many episodes (and steps) an export of `runId` will write: for progress bars. */
export function countExport(
  db: Db,
  runId: number,
  filter: ExportFilter = {}
): { episodes: number; steps: number } {
  const { clause, params } = whereOf(runId, filter)
  return db
    .prepare(
      `SELECT COUNT(*) AS episodes, COALESCE(SUM(p.steps), 0) AS steps FROM episodes e
       LEFT JOIN step_packs p ON p.episode_id = e.id WHERE ${clause}`
    )
    .get(...params) as { episodes: number; steps: number }
}

function whereOf(runId: number, filter: ExportFilter): { clause: string; params: number[] } {
  // Counterfactuals are not rollouts of the run: they are left out, as in the episode lists.
  const where = ['e.run_id = ?', 'e.origin_episode_id IS NULL']
  const params = [runId]
  if (filter.phase) where.push(filter.phase === 'eval' ? "e.phase = 'eval'" : "e.phase = 'train'")
  if (filter.success !== undefined) {
    where.push('e.success = ?')
    params.push(filter.success ? 1 : 0)
  }
  return { clause: where.join(' AND '), params }
}

/** The run's episodes in id order as JSONL lines (objects; JSON.stringify each). */
export function* episodeLines(
  db: Db,
  runId: number,
  filter: ExportFilter = {}
): Generator<EpisodeLineInput> {
  const config = db.prepare('SELECT config_json FROM runs WHERE id = ?').pluck().get(runId) as
    string | undefined
  if (config === undefined) throw new Error(`run ${runId} does not exist`)
  const algo = (JSON.parse(config) as { algo?: string }).algo ?? null
  const { clause, params } = whereOf(runId, filter)
  const rows = db
    .prepare(
      `SELECT e.*, p.codec, p.body, b.codec AS base_codec, b.body AS base_body, g.level, g.task_seed, g.chosen_episode_id, g.chosen_blueprint_json,
         g.parent_group_id
       FROM episodes e
       LEFT JOIN step_packs p ON p.episode_id = e.id
       LEFT JOIN step_packs b ON b.episode_id = p.base_episode_id
       LEFT JOIN rollout_groups g ON g.id = e.group_id
       WHERE ${clause} ORDER BY e.id`
    )
    .iterate(...params) as IterableIterator<Row>
  for (const r of rows) yield lineOf(r, algo)
}
