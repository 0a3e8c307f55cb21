// Reads of annotations and label schemas. A live annotation is a row that no later row supersedes,
// that a resume has not detached, and whose value is not null (null rows clear or delete).
import type {
  Annotation,
  AnnotationHit,
  AnnotationKind,
  AnnotationRevision,
  AnnotationSearch,
  AnnotationTarget,
  AnnotationTargetType,
  LabelSchema,
  LabelType
} from '../api/annotation-entities'
import type { Db } from './open'

type AnnotationRow = {
  id: number
  run_id: number
  target_type: AnnotationTargetType
  target_id: number
  step_t: number | null
  iteration: number | null
  author: string
  kind: AnnotationKind
  label: string | null
  value: string | null
  supersedes: number | null
  created_at: string
}

type LabelRow = {
  id: number
  experiment_id: number
  name: string
  type: LabelType
  options_json: string
  description: string
  created_at: string
}

/** SQL: row `a` is the head of its chain and not detached (its value may be null). */
export const IS_HEAD = `NOT EXISTS (SELECT 1 FROM annotations n WHERE n.supersedes = a.id)
  AND a.id NOT IN (SELECT annotation_id FROM annotation_detachments)`

/** SQL: the `episodes` row has a live value of the label named by the next parameter. */
export const EPISODE_HAS_LABEL = `EXISTS (SELECT 1 FROM annotations a
  WHERE a.target_type = 'episode' AND a.target_id = episodes.id AND a.kind = 'label' AND a.label = ?
    AND a.value IS NOT NULL AND ${IS_HEAD})`

/** Where a target lives: its run, experiment and iteration (null for a run). */
export type TargetPlace = { runId: number; experimentId: number; iteration: number | null }

const toLabel = (r: LabelRow): LabelSchema => ({
  id: r.id,
  experimentId: r.experiment_id,
  name: r.name,
  type: r.type,
  options: JSON.parse(r.options_json) as string[],
  description: r.description,
  createdAt: r.created_at
})

const targetOf = (r: AnnotationRow): AnnotationTarget =>
  r.target_type === 'step'
    ? { type: 'step', id: r.target_id, t: r.step_t ?? 0 }
    : { type: r.target_type, id: r.target_id }

export class AnnotationQueries {
  private readonly stmts

  constructor(private readonly db: Db) {
    this.stmts = {
      labels: db.prepare('SELECT * FROM label_schemas WHERE experiment_id = ? ORDER BY id'),
      label: db.prepare('SELECT * FROM label_schemas WHERE experiment_id = ? AND name = ?'),
      row: db.prepare('SELECT * FROM annotations WHERE id = ?'),
      head: db.prepare(`SELECT * FROM annotations a WHERE a.id = ? AND ${IS_HEAD}`),
      live: db.prepare(
        `SELECT * FROM annotations a
         WHERE a.target_type = ? AND a.target_id = ? AND a.step_t IS ? AND a.value IS NOT NULL
           AND ${IS_HEAD}
         ORDER BY a.kind DESC, a.label, a.id`
      ),
      labelHead: db.prepare(
        `SELECT * FROM annotations a
         WHERE a.target_type = ? AND a.target_id = ? AND a.step_t IS ? AND a.kind = 'label'
           AND a.label = ? AND ${IS_HEAD}`
      ),
      history: db.prepare(
        `WITH RECURSIVE chain(id, supersedes) AS (
           SELECT id, supersedes FROM annotations WHERE id = ?
           UNION ALL SELECT a.id, a.supersedes FROM annotations a JOIN chain c ON a.id = c.supersedes)
         SELECT a.id, a.author, a.value, a.created_at FROM chain c JOIN annotations a ON a.id = c.id
         WHERE a.id != ? ORDER BY a.id DESC`
      ),
      runPlace: db.prepare(
        'SELECT id AS runId, experiment_id AS experimentId, NULL AS iteration FROM runs WHERE id = ?'
      ),
      groupPlace: db.prepare(
        `SELECT g.run_id AS runId, r.experiment_id AS experimentId, g.iteration
         FROM rollout_groups g JOIN runs r ON r.id = g.run_id WHERE g.id = ?`
      ),
      episodePlace: db.prepare(
        `SELECT e.run_id AS runId, r.experiment_id AS experimentId, e.iteration,
           COALESCE((SELECT steps FROM step_packs WHERE episode_id = e.id), 0) AS length,
           e.blueprint_json AS blueprint
         FROM episodes e JOIN runs r ON r.id = e.run_id WHERE e.id = ?`
      )
    }
  }

  labels(experimentId: number): LabelSchema[] {
    return (this.stmts.labels.all(experimentId) as LabelRow[]).map(toLabel)
  }

  label(experimentId: number, name: string): LabelSchema | undefined {
    const row = this.stmts.label.get(experimentId, name) as LabelRow | undefined
    return row && toLabel(row)
  }

  /** Where the target is, or why it is not there (a step past the episode's end, a plan-less blueprint). */
  place(target: AnnotationTarget): TargetPlace | string {
    switch (target.type) {
      case 'run':
        return (this.stmts.runPlace.get(target.id) as TargetPlace | undefined) ?? `run ${target.id}`
      case 'group':
        return (
          (this.stmts.groupPlace.get(target.id) as TargetPlace | undefined) ?? `group ${target.id}`
        )
      default: {
        const row = this.stmts.episodePlace.get(target.id) as
          (TargetPlace & { length: number; blueprint: string | null }) | undefined
        if (!row) return `episode ${target.id}`
        if (target.type === 'step' && target.t >= row.length)
          return `step ${target.t} of episode ${target.id} (it has ${row.length} steps)`
        if (target.type === 'blueprint' && row.blueprint === null)
          return `a blueprint of episode ${target.id} (it has none)`
        return { runId: row.runId, experimentId: row.experimentId, iteration: row.iteration }
      }
    }
  }

  /** The head row (live or cleared) of a label on a target. */
  labelHead(
    target: AnnotationTarget,
    label: string
  ): { id: number; value: string | null } | undefined {
    const row = this.stmts.labelHead.get(...this.targetParams(target), label) as
      AnnotationRow | undefined
    return row && { id: row.id, value: row.value }
  }

  /** A row that is the head of its chain, or undefined (superseded, detached or unknown). */
  headRow(id: number): AnnotationRow | undefined {
    return this.stmts.head.get(id) as AnnotationRow | undefined
  }

  exists(id: number): boolean {
    return this.stmts.row.get(id) !== undefined
  }

  /** The live annotations on a target: labels first (by name), then comments oldest first. */
  forTarget(target: AnnotationTarget): Annotation[] {
    return (this.stmts.live.all(...this.targetParams(target)) as AnnotationRow[]).map((r) =>
      this.toAnnotation(r)
    )
  }

  get(id: number): Annotation | undefined {
    const row = this.stmts.row.get(id) as AnnotationRow | undefined
    return row && row.value !== null ? this.toAnnotation(row) : undefined
  }

  search(q: AnnotationSearch): { total: number; items: AnnotationHit[] } {
    const where = ['a.value IS NOT NULL', IS_HEAD]
    const params: (string | number)[] = []
    const add = (sql: string, ...values: (string | number)[]): void => {
      where.push(sql)
      params.push(...values)
    }
    if (q.experimentId !== undefined) add('r.experiment_id = ?', q.experimentId)
    if (q.runId !== undefined) add('a.run_id = ?', q.runId)
    if (q.targetType !== undefined) add('a.target_type = ?', q.targetType)
    if (q.kind !== undefined) add('a.kind = ?', q.kind)
    if (q.label !== undefined) add('a.label = ?', q.label)
    if (q.value !== undefined) add('a.value = ?', q.value)
    if (q.text !== undefined && q.text !== '') {
      const like = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      add(
        "(a.value LIKE ? ESCAPE '\\' OR a.author LIKE ? ESCAPE '\\' OR a.label LIKE ? ESCAPE '\\')",
        like,
        like,
        like
      )
    }
    const from = `FROM annotations a JOIN runs r ON r.id = a.run_id
      JOIN experiments x ON x.id = r.experiment_id WHERE ${where.join(' AND ')}`
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...params) as { n: number })
      .n
    const rows = this.db
      .prepare(
        `SELECT a.*, r.experiment_id AS experiment_id, x.name AS experiment_name,
           CASE WHEN a.target_type IN ('episode', 'blueprint', 'step') THEN a.target_id END AS episode_id,
           CASE a.target_type WHEN 'group' THEN a.target_id WHEN 'run' THEN NULL
             ELSE (SELECT group_id FROM episodes WHERE id = a.target_id) END AS group_id,
           CASE a.target_type WHEN 'group' THEN (SELECT task FROM rollout_groups WHERE id = a.target_id)
             WHEN 'run' THEN NULL ELSE (SELECT task FROM episodes WHERE id = a.target_id) END AS task
         ${from} ORDER BY a.id DESC LIMIT ? OFFSET ?`
      )
      .all(...params, q.limit, q.offset) as (AnnotationRow & {
      experiment_id: number
      experiment_name: string
      episode_id: number | null
      group_id: number | null
      task: string | null
    })[]
    return {
      total,
      items: rows.map((r) => ({
        ...this.toAnnotation(r),
        experimentId: r.experiment_id,
        experimentName: r.experiment_name,
        episodeId: r.episode_id,
        groupId: r.group_id,
        iteration: r.iteration,
        task: r.task
      }))
    }
  }

  private targetParams(t: AnnotationTarget): [string, number, number | null] {
    return [t.type, t.id, t.type === 'step' ? t.t : null]
  }

  private toAnnotation(r: AnnotationRow): Annotation {
    return {
      id: r.id,
      runId: r.run_id,
      target: targetOf(r),
      kind: r.kind,
      label: r.label,
      value: r.value ?? '',
      author: r.author,
      createdAt: r.created_at,
      history: (
        this.stmts.history.all(r.id, r.id) as {
          id: number
          author: string
          value: string | null
          created_at: string
        }[]
      ).map((h): AnnotationRevision => ({
        id: h.id,
        author: h.author,
        value: h.value,
        createdAt: h.created_at
      }))
    }
  }
}
