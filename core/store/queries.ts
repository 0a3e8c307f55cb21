// Typed read queries. Safe on a read-only connection (WAL lets readers run beside the writer).
import { experimentConfigSchema } from '../api/config'
import type {
  BlueprintPin,
  Counterfactual,
  Episode,
  Experiment,
  GroupDetail,
  GroupFacets,
  GroupSummary,
  MetricPoint,
  Run,
  RunStatus,
  RunTableRow,
  Step
} from '../api/entities'
import type { Db } from './open'
import { AnnotationQueries, EPISODE_HAS_LABEL } from './annotation-queries'
import { GroupQueries, type GroupQuery } from './group-queries'
import { parseExtraJson } from './step-extras'
import { unpackSteps, type StepRow, type StoredPack } from './step-pack'

type RunRow = {
  id: number
  experiment_id: number
  status: RunStatus
  seed: number
  config_json: string
  backend: string | null
  backend_notes_json: string
  kernels: string | null
  backend_device: string | null
  backend_versions_json: string
  iterations: number
  iterations_done: number
  started_at: string | null
  ended_at: string | null
  error: string | null
}

type ExperimentRow = {
  id: number
  name: string
  preset: string | null
  config_json: string
  created_at: string
  /** Absent before migration 14. */
  tags_json?: string
  notes?: string
  archived_at?: string | null
}

export type EpisodeRow = {
  id: number
  run_id: number
  group_id: number | null
  iteration: number
  phase: 'train' | 'eval'
  member_index: number
  env: string
  task: string
  seed: number
  blueprint_json: string | null
  plan_log_prob: number | null
  plan_advantage: number | null
  return: number
  success: number
  counterfactual_json?: string | null
  length: number
}

const toRun = (r: RunRow): Run => ({
  id: r.id,
  experimentId: r.experiment_id,
  status: r.status,
  seed: r.seed,
  config: experimentConfigSchema.parse(JSON.parse(r.config_json)),
  backend: r.backend,
  backendNotes: JSON.parse(r.backend_notes_json) as string[],
  kernels: r.kernels,
  backendDevice: r.backend_device,
  backendVersions: JSON.parse(r.backend_versions_json) as Record<string, string>,
  iterations: r.iterations,
  iterationsDone: r.iterations_done,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  error: r.error
})

const toEpisode = (r: EpisodeRow): Episode => ({
  id: r.id,
  runId: r.run_id,
  groupId: r.group_id,
  iteration: r.iteration,
  phase: r.phase,
  memberIndex: r.member_index,
  env: r.env,
  task: r.task,
  seed: r.seed,
  blueprint: r.blueprint_json ? (JSON.parse(r.blueprint_json) as string[]) : null,
  planLogProb: r.plan_log_prob ?? null,
  planAdvantage: r.plan_advantage ?? null,
  return: r.return,
  success: r.success === 1,
  length: r.length,
  counterfactual: r.counterfactual_json
    ? (JSON.parse(r.counterfactual_json) as Counterfactual)
    : null
})

/** A stored step row as the API shows it. */
type PinRow = {
  id: number
  run_id: number
  source_episode_id: number
  task_seed: number
  task: string
  blueprint_json: string
  author: string
  created_at: string
  from_iteration: number | null
  removed_at: string | null
  until_iteration: number | null
}

const toPin = (r: PinRow): BlueprintPin => ({
  id: r.id,
  runId: r.run_id,
  sourceEpisodeId: r.source_episode_id,
  taskSeed: r.task_seed,
  task: r.task,
  blueprint: JSON.parse(r.blueprint_json) as string[],
  author: r.author,
  createdAt: r.created_at,
  fromIteration: r.from_iteration,
  removedAt: r.removed_at,
  untilIteration: r.until_iteration
})

export const toStep = (r: StepRow): Step => {
  const extras = parseExtraJson(r.extra_json)
  return {
    t: r.t,
    observation: r.observation,
    admissibleActions: JSON.parse(r.admissible_json) as string[],
    action: r.action,
    reward: r.reward,
    done: r.done === 1,
    subgoalIndex: r.subgoal_index,
    subDone: r.sub_done === 1,
    logProb: r.log_prob,
    advantage: r.advantage,
    view: r.view_json === null ? null : (JSON.parse(r.view_json) as unknown),
    candidates: extras.candidates ?? null,
    invalid: extras.invalid === true,
    fallback: extras.fallback === true,
    subDoneProb: extras.subDoneProb ?? null,
    subDoneChoices: extras.subDoneChoices ?? null
  }
}

export type EpisodeFilter = {
  phase?: 'train' | 'eval'
  success?: boolean
  iteration?: number
  /** Only episodes without a live value of this label (the review queue). */
  unlabeled?: string
  /** Counterfactual episodes are left out unless asked for ('only': just them). */
  counterfactuals?: 'exclude' | 'include' | 'only'
}

/** Episode list order; ties broken by id. */
export type EpisodeSort = { by: 'id' | 'return' | 'length'; desc?: boolean }

/** A rollout group (one task at one iteration: the G members compared side by side). */
export type StoredGroup = {
  id: number
  runId: number
  iteration: number
  level: 'flat' | 'macro' | 'micro'
  taskSeed: number
  task: string
  memberCount: number
  chosenEpisodeId: number | null
  chosenBlueprint: string[] | null
  /** HiMAC: the Phase-A macro group whose chosen blueprint this Phase-B micro group executes. */
  parentGroupId: number | null
}

type GroupRow = {
  id: number
  run_id: number
  iteration: number
  level: StoredGroup['level']
  task_seed: number
  task: string
  member_count: number
  chosen_episode_id: number | null
  chosen_blueprint_json: string | null
  parent_group_id: number | null
}

const toGroup = (r: GroupRow): StoredGroup => ({
  id: r.id,
  runId: r.run_id,
  iteration: r.iteration,
  level: r.level,
  taskSeed: r.task_seed,
  task: r.task,
  memberCount: r.member_count,
  chosenEpisodeId: r.chosen_episode_id,
  chosenBlueprint: r.chosen_blueprint_json
    ? (JSON.parse(r.chosen_blueprint_json) as string[])
    : null,
  parentGroupId: r.parent_group_id ?? null
})

const SORT_COLUMNS: Record<EpisodeSort['by'], string> = {
  id: 'id',
  return: 'return',
  length: 'length'
}

export class StoreReader {
  private readonly groups: GroupQueries
  private annotationQueries: AnnotationQueries | undefined

  constructor(private readonly db: Db) {
    this.groups = new GroupQueries(db, (episodeId) => this.getSteps(episodeId))
  }

  getRun(runId: number): Run | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined
    return row && toRun(row)
  }

  listRuns(experimentId?: number): Run[] {
    const rows = (
      experimentId === undefined
        ? this.db.prepare('SELECT * FROM runs ORDER BY id DESC').all()
        : this.db
            .prepare('SELECT * FROM runs WHERE experiment_id = ? ORDER BY id DESC')
            .all(experimentId)
    ) as RunRow[]
    return rows.map(toRun)
  }

  /** Every run with its experiment's name and the last logged value of each metric key. */
  listRunTable(): RunTableRow[] {
    const rows = this.db
      .prepare(
        `SELECT r.*, e.name AS experiment_name FROM runs r
         JOIN experiments e ON e.id = r.experiment_id ORDER BY r.id DESC`
      )
      .all() as (RunRow & { experiment_name: string })[]
    // Kept by triggers on `metrics` (migration 10).
    const last = this.db.prepare('SELECT run_id, key, value FROM run_last_metrics').all() as {
      run_id: number
      key: string
      value: number
    }[]
    const byRun = new Map<number, Record<string, number>>()
    for (const m of last) {
      let values = byRun.get(m.run_id)
      if (!values) byRun.set(m.run_id, (values = {}))
      values[m.key] = m.value
    }
    return rows.map((r) => ({
      run: toRun(r),
      experimentName: r.experiment_name,
      lastMetrics: byRun.get(r.id) ?? {}
    }))
  }

  getExperiment(id: number): Experiment | undefined {
    const row = this.db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as
      ExperimentRow | undefined
    return row && this.toExperiment(row)
  }

  listExperiments(): Experiment[] {
    const rows = this.db
      .prepare('SELECT * FROM experiments ORDER BY id DESC')
      .all() as ExperimentRow[]
    return rows.map((r) => this.toExperiment(r))
  }

  private toExperiment(r: ExperimentRow): Experiment {
    const latest = this.db
      .prepare('SELECT * FROM runs WHERE experiment_id = ? ORDER BY id DESC LIMIT 1')
      .get(r.id) as RunRow | undefined
    return {
      id: r.id,
      name: r.name,
      preset: r.preset,
      config: experimentConfigSchema.parse(JSON.parse(r.config_json)),
      createdAt: r.created_at,
      latestRun: latest ? toRun(latest) : null,
      tags: r.tags_json ? (JSON.parse(r.tags_json) as string[]) : [],
      notes: r.notes ?? '',
      archivedAt: r.archived_at ?? null
    }
  }

  /** Metric points after `sinceIteration`, one point per iteration with all its keys. */
  getMetrics(runId: number, sinceIteration = -1): MetricPoint[] {
    const rows = this.db
      .prepare(
        'SELECT iteration, key, value FROM metrics WHERE run_id = ? AND iteration > ? ORDER BY iteration'
      )
      .all(runId, sinceIteration) as { iteration: number; key: string; value: number }[]
    const points: MetricPoint[] = []
    for (const r of rows) {
      let last = points[points.length - 1]
      if (!last || last.iteration !== r.iteration) {
        last = { iteration: r.iteration, values: {} }
        points.push(last)
      }
      last.values[r.key] = r.value
    }
    return points
  }

  /** Made on first use: a reader may open a database of an older schema (migration tests). */
  get annotations(): AnnotationQueries {
    this.annotationQueries ??= new AnnotationQueries(this.db)
    return this.annotationQueries
  }

  pageEpisodes(
    runId: number,
    offset: number,
    limit: number,
    filter: EpisodeFilter = {},
    sort: EpisodeSort = { by: 'id' }
  ): { total: number; items: Episode[] } {
    const where = ['run_id = ?']
    const params: (number | string)[] = [runId]
    // A literal, not a parameter, so that the partial index of eval episodes applies.
    if (filter.phase) where.push(filter.phase === 'eval' ? "phase = 'eval'" : "phase = 'train'")
    if (filter.success !== undefined) {
      where.push('success = ?')
      params.push(filter.success ? 1 : 0)
    }
    if (filter.iteration !== undefined) {
      where.push('iteration = ?')
      params.push(filter.iteration)
    }
    const cf = filter.counterfactuals ?? 'exclude'
    if (cf !== 'include') where.push(`origin_episode_id IS ${cf === 'only' ? 'NOT ' : ''}NULL`)
    if (filter.unlabeled !== undefined) {
      where.push(`NOT ${EPISODE_HAS_LABEL}`)
      params.push(filter.unlabeled)
    }
    const clause = where.join(' AND ')
    const dir = sort.desc ? 'DESC' : 'ASC'
    const order = sort.by === 'id' ? `id ${dir}` : `${SORT_COLUMNS[sort.by]} ${dir}, id ${dir}`
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM episodes WHERE ${clause}`).get(...params) as {
        n: number
      }
    ).n
    const rows = this.db
      .prepare(`SELECT * FROM episodes WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as EpisodeRow[]
    return { total, items: rows.map(toEpisode) }
  }

  /** A run's blueprint pins, oldest first. */
  listPins(runId: number): BlueprintPin[] {
    return (
      this.db
        .prepare('SELECT * FROM blueprint_pins WHERE run_id = ? ORDER BY id')
        .all(runId) as PinRow[]
    ).map(toPin)
  }

  getPin(id: number): BlueprintPin | undefined {
    const row = this.db.prepare('SELECT * FROM blueprint_pins WHERE id = ?').get(id) as
      PinRow | undefined
    return row && toPin(row)
  }

  /** Counterfactuals made from an episode, oldest first. */
  counterfactualsOf(originId: number): Episode[] {
    return (
      this.db
        .prepare('SELECT * FROM episodes WHERE origin_episode_id = ? ORDER BY id')
        .all(originId) as EpisodeRow[]
    ).map(toEpisode)
  }

  getEpisode(id: number): Episode | undefined {
    const row = this.db.prepare('SELECT * FROM episodes WHERE id = ?').get(id) as
      EpisodeRow | undefined
    return row && toEpisode(row)
  }

  /** The iterations of a run that have groups, in order (group browsing). */
  groupIterations(runId: number): number[] {
    return this.db
      .prepare('SELECT DISTINCT iteration FROM rollout_groups WHERE run_id = ? ORDER BY iteration')
      .pluck()
      .all(runId) as number[]
  }

  listGroups(runId: number, iteration: number): StoredGroup[] {
    const rows = this.db
      .prepare('SELECT * FROM rollout_groups WHERE run_id = ? AND iteration = ? ORDER BY id')
      .all(runId, iteration) as GroupRow[]
    return rows.map(toGroup)
  }

  /** One group with its members in member order. */
  getGroup(groupId: number): { group: StoredGroup; episodes: Episode[] } | undefined {
    const row = this.db.prepare('SELECT * FROM rollout_groups WHERE id = ?').get(groupId) as
      GroupRow | undefined
    if (!row) return undefined
    const episodes = this.db
      .prepare('SELECT * FROM episodes WHERE group_id = ? ORDER BY member_index, id')
      .all(groupId) as EpisodeRow[]
    return { group: toGroup(row), episodes: episodes.map(toEpisode) }
  }

  /** A run's groups, filtered, in id order, with their members' aggregates (the group browser). */
  pageGroups(q: GroupQuery): { total: number; items: GroupSummary[] } {
    return this.groups.page(q)
  }

  groupFacets(runId: number): GroupFacets {
    return this.groups.facets(runId)
  }

  /** One group with its members side by side, its parent and its Phase-B children. */
  groupDetail(groupId: number): GroupDetail | undefined {
    return this.groups.detail(groupId)
  }

  /** An episode's steps in order; `offset`/`limit` page through long episodes. */
  getSteps(episodeId: number, offset = 0, limit = Infinity): Step[] {
    // `*`: databases before migration 16 have no base_episode_id (migration tests read them).
    const read = this.db.prepare('SELECT * FROM step_packs WHERE episode_id = ?')
    const pack = read.get(episodeId) as
      (StoredPack & { base_episode_id?: number | null }) | undefined
    if (!pack) return []
    const base =
      pack.base_episode_id === undefined || pack.base_episode_id === null
        ? null
        : (read.get(pack.base_episode_id) as StoredPack | undefined)
    if (base === undefined) throw new Error(`episode ${episodeId}: its base pack is missing`)
    return unpackSteps(pack.codec, pack.body, base)
      .slice(offset, offset + limit)
      .map(toStep)
  }

  countRows(
    table: 'experiments' | 'runs' | 'episodes' | 'steps' | 'metrics' | 'annotations'
  ): number {
    const sql =
      table === 'steps'
        ? 'SELECT COALESCE(SUM(steps), 0) AS n FROM step_packs'
        : `SELECT COUNT(*) AS n FROM ${table}`
    return (this.db.prepare(sql).get() as { n: number }).n
  }

  /** The newest checkpoint of a run in `format` (blob and parsed metadata), if any. */
  latestCheckpoint(
    runId: number,
    format: string,
    /** The newest at or before this iteration (default: the newest). */
    atMost: number = Number.MAX_SAFE_INTEGER
  ): { iteration: number; weights: Uint8Array; meta: unknown } | undefined {
    const row = this.db
      .prepare(
        `SELECT iteration, weights, meta_json FROM checkpoints
         WHERE run_id = ? AND format = ? AND iteration <= ?
         ORDER BY iteration DESC, id DESC LIMIT 1`
      )
      .get(runId, format, atMost) as
      { iteration: number; weights: Buffer; meta_json: string } | undefined
    return (
      row && { iteration: row.iteration, weights: row.weights, meta: JSON.parse(row.meta_json) }
    )
  }

  /** The iterations at which a run stored checkpoints of `format`, oldest first. */
  checkpointIterations(runId: number, format: string): number[] {
    return this.db
      .prepare(
        'SELECT DISTINCT iteration FROM checkpoints WHERE run_id = ? AND format = ? ORDER BY iteration'
      )
      .pluck()
      .all(runId, format) as number[]
  }

  /** Changes whenever another connection commits to the database file (not for our own writes). */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number
  }

  /** A fingerprint of each run's state: status, progress and its newest episode. */
  runFingerprints(): Map<number, string> {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.status, r.iterations_done AS done,
           (SELECT MAX(e.id) FROM episodes e WHERE e.run_id = r.id) AS last
         FROM runs r`
      )
      .all() as { id: number; status: string; done: number; last: number | null }[]
    return new Map(rows.map((r) => [r.id, `${r.status}:${r.done}:${r.last ?? 0}`]))
  }
}
