// The group browser's reads: a run's groups paged and filtered, with per-group aggregates of the
// members' returns and blueprints, and one group with its members side by side (blueprints,
// advantages, and each execution cut by subgoal). Pages are picked first (indexed filters on
// `rollout_groups`), then only the page's groups are aggregated.
import type {
  GroupDetail,
  GroupFacets,
  GroupFilter,
  GroupLevel,
  GroupMember,
  GroupSummary,
  Step
} from '../api/entities'
import type { Db } from './open'
import { subgoalSegments } from './subgoal-segments'

export type GroupQuery = {
  runId: number
  iteration?: number
  level?: GroupLevel
  filter?: GroupFilter
  taskType?: string
  offset: number
  limit: number
}

type SummaryRow = {
  id: number
  run_id: number
  iteration: number
  level: GroupLevel
  task_seed: number
  task: string
  task_type: string | null
  member_count: number
  parent_group_id: number | null
  zstar_id: number | null
  zstar_success: number | null
  child_id: number | null
  pin_id: number | null
  min_return: number | null
  max_return: number | null
  mean_return: number | null
  distinct_blueprints: number
}

type MemberRow = {
  id: number
  member_index: number
  return: number
  success: number
  length: number
  blueprint_json: string | null
  plan_log_prob: number | null
  plan_advantage: number | null
}

/** z*: the group's chosen member, or for a Phase-B group its Phase-A parent's. */
const ZSTAR_JOINS = `
  LEFT JOIN rollout_groups p ON p.id = g.parent_group_id
  LEFT JOIN episodes z ON z.id = COALESCE(g.chosen_episode_id, p.chosen_episode_id)`

/** Both sides are one seek each on `episodes_by_group_return` (group_id, return). */
const ALL_EQUAL = `(SELECT MIN(return) FROM episodes WHERE group_id = g.id)
  = (SELECT MAX(return) FROM episodes WHERE group_id = g.id)`

const FILTER_SQL: Record<GroupFilter, string | null> = {
  all: null,
  'all-equal': ALL_EQUAL,
  'zstar-succeeded': 'z.success = 1',
  'zstar-failed': 'z.success = 0'
}

const SUMMARY_SELECT = `
  SELECT g.id, g.run_id, g.iteration, g.level, g.task_seed, g.task, g.task_type, g.member_count,
    g.parent_group_id, g.pin_id,
    COALESCE(g.chosen_episode_id, p.chosen_episode_id) AS zstar_id,
    z.success AS zstar_success,
    (SELECT MIN(c.id) FROM rollout_groups c WHERE c.parent_group_id = g.id) AS child_id,
    MIN(e.return) AS min_return, MAX(e.return) AS max_return, AVG(e.return) AS mean_return,
    COUNT(DISTINCT e.blueprint_json) AS distinct_blueprints
  FROM rollout_groups g ${ZSTAR_JOINS}
  LEFT JOIN episodes e ON e.group_id = g.id`

const toSummary = (r: SummaryRow): GroupSummary => ({
  id: r.id,
  runId: r.run_id,
  iteration: r.iteration,
  level: r.level,
  taskSeed: r.task_seed,
  task: r.task,
  taskType: r.task_type,
  size: r.member_count,
  zStarEpisodeId: r.zstar_id,
  zStarSuccess: r.zstar_success === null ? null : r.zstar_success === 1,
  allEqual: r.min_return === r.max_return,
  bestReturn: r.max_return ?? 0,
  meanReturn: r.mean_return ?? 0,
  distinctBlueprints: r.distinct_blueprints,
  parentGroupId: r.parent_group_id,
  childGroupId: r.child_id,
  pinId: r.pin_id
})

/** Mean of the action steps' advantages; null when none was stored. */
function meanStepAdvantage(steps: readonly Step[]): number | null {
  let sum = 0
  let n = 0
  for (const s of steps) {
    if (s.action === '' || s.advantage === null) continue
    sum += s.advantage
    n++
  }
  return n === 0 ? null : sum / n
}

export class GroupQueries {
  constructor(
    private readonly db: Db,
    private readonly stepsOf: (episodeId: number) => Step[]
  ) {}

  page(q: GroupQuery): { total: number; items: GroupSummary[] } {
    const where = ['g.run_id = ?']
    const params: (number | string)[] = [q.runId]
    if (q.iteration !== undefined) {
      where.push('g.iteration = ?')
      params.push(q.iteration)
    }
    if (q.level !== undefined) {
      where.push('g.level = ?')
      params.push(q.level)
    }
    if (q.taskType !== undefined) {
      where.push('g.task_type = ?')
      params.push(q.taskType)
    }
    const filter = FILTER_SQL[q.filter ?? 'all']
    if (filter !== null) where.push(filter)
    const from = `FROM rollout_groups g ${filter === null || filter === ALL_EQUAL ? '' : ZSTAR_JOINS} WHERE ${where.join(' AND ')}`
    const total = this.db
      .prepare(`SELECT COUNT(*) ${from}`)
      .pluck()
      .get(...params) as number
    const rows = this.db
      .prepare(
        `${SUMMARY_SELECT}
         WHERE g.id IN (SELECT g.id ${from} ORDER BY g.id LIMIT ? OFFSET ?)
         GROUP BY g.id ORDER BY g.id`
      )
      .all(...params, q.limit, q.offset) as SummaryRow[]
    return { total, items: rows.map(toSummary) }
  }

  summary(groupId: number): GroupSummary | undefined {
    const row = this.db.prepare(`${SUMMARY_SELECT} WHERE g.id = ? GROUP BY g.id`).get(groupId) as
      SummaryRow | undefined
    return row && toSummary(row)
  }

  facets(runId: number): GroupFacets {
    const distinct = (column: string, extra = ''): unknown[] =>
      this.db
        .prepare(
          `SELECT DISTINCT ${column} FROM rollout_groups WHERE run_id = ? ${extra} ORDER BY 1`
        )
        .pluck()
        .all(runId)
    return {
      iterations: distinct('iteration') as number[],
      levels: distinct('level') as GroupLevel[],
      taskTypes: distinct('task_type', 'AND task_type IS NOT NULL') as string[]
    }
  }

  detail(groupId: number): GroupDetail | undefined {
    const group = this.summary(groupId)
    if (!group) return undefined
    const rows = this.db
      .prepare(
        `SELECT id, member_index, return, success, length, blueprint_json, plan_log_prob,
           plan_advantage
         FROM episodes WHERE group_id = ? ORDER BY member_index, id`
      )
      .all(groupId) as MemberRow[]
    const env = this.db
      .prepare('SELECT env FROM episodes WHERE group_id = ? LIMIT 1')
      .pluck()
      .get(groupId) as string | undefined
    const members = rows.map((r): GroupMember => {
      const blueprint = r.blueprint_json ? (JSON.parse(r.blueprint_json) as string[]) : []
      const steps = this.stepsOf(r.id)
      return {
        episodeId: r.id,
        memberIndex: r.member_index,
        return: r.return,
        success: r.success === 1,
        length: r.length,
        advantage: group.level === 'macro' ? r.plan_advantage : meanStepAdvantage(steps),
        planLogProb: r.plan_log_prob,
        blueprint,
        isZStar: r.id === group.zStarEpisodeId,
        ...subgoalSegments(steps, blueprint.length)
      }
    })
    const childIds = this.db
      .prepare('SELECT id FROM rollout_groups WHERE parent_group_id = ? ORDER BY id')
      .pluck()
      .all(groupId) as number[]
    const parent = group.parentGroupId === null ? undefined : this.summary(group.parentGroupId)
    return {
      group,
      env: env ?? '',
      members,
      parent: parent ?? null,
      children: childIds.flatMap((id) => this.summary(id) ?? [])
    }
  }
}
