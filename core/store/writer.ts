// The one writer of a workbench database. Every mutation goes through here; high-frequency rows
// (episodes, steps) are inserted in one transaction per batch.
import { plannedIterations, type ExperimentConfig } from '../api/config'
import type { Counterfactual, RunStatus } from '../api/entities'
import type { AnnotationKind, AnnotationTargetType, LabelType } from '../api/annotation-entities'
import type { Statement } from 'better-sqlite3'
import type { Db } from './open'
import { tracePoint } from '../trace'
import { storageErrorOf } from './db-file'
import { taskTypeOfView } from './group-task-type'
import type {
  CheckpointRetain,
  EpisodeRecord,
  PinInForce,
  RolloutBatch,
  StepRecord
} from './records'
import { PackBases } from './pack-bases'
import { processAlive } from './process-alive'
import { TextInterner } from './text-ids'
import { packSteps, stepRowOf, unpackSteps, type StoredPack } from './step-pack'

const now = (): string => new Date().toISOString()

type Pack = ReturnType<typeof packSteps>
type BaseEntry = NonNullable<ReturnType<PackBases['find']>>

function checkRetain(retain: CheckpointRetain, size: number): void {
  let end = 0
  for (const range of retain.ranges) {
    const [a, b] = range
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < end || b <= a || b > size)
      throw new Error(
        `checkpoint retain range [${String(range)}] is not an ascending, non-overlapping range of the ${size}-byte blob`
      )
    end = b
  }
}

/**
 * A group's `parent` must be the index of another group of the same batch, and following parents
 * must not come back to where it started.
 */
function checkParents(batch: RolloutBatch): void {
  const n = batch.groups.length
  batch.groups.forEach((g, i) => {
    const p = g.parent
    if (p === undefined || p === null) return
    if (!Number.isInteger(p) || p < 0 || p >= n || p === i)
      throw new Error(
        `rollout group ${i} of iteration ${batch.iteration}: parent ${p} is not the index of another group of the batch (0…${n - 1})`
      )
  })
  batch.groups.forEach((_, i) => {
    let at: number | null | undefined = i
    for (let hops = 0; at !== undefined && at !== null; hops++) {
      if (hops > n)
        throw new Error(
          `rollout group ${i} of iteration ${batch.iteration}: its parents form a cycle`
        )
      at = batch.groups[at]?.parent
    }
  })
}

/** The device and versions a run computed with (BackendChoice). */
export type BackendInfo = { device?: string | null; versions?: Record<string, string> }

/** One annotation row; the caller has checked the target, the label and what it supersedes. */
export type AnnotationInput = {
  runId: number
  targetType: AnnotationTargetType
  targetId: number
  stepT?: number | null
  /** The target's iteration (null for a run). */
  iteration: number | null
  author: string
  kind: AnnotationKind
  /** The label's name for kind 'label'. */
  label?: string | null
  /** Null clears a label or deletes a comment. */
  value: string | null
  supersedes?: number | null
}

export type LabelSchemaInput = {
  experimentId: number
  name: string
  type: LabelType
  options: string[]
  description: string
}

// Prepared on first use, so a writer can be made on a database of an older schema (migration tests).
const ANNOTATION_SQL = `INSERT INTO annotations (run_id, target_type, target_id, step_t, iteration,
  author, kind, label, value, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
const LABEL_SCHEMA_SQL = `INSERT INTO label_schemas (experiment_id, name, type, options_json, description)
  VALUES (?, ?, ?, ?, ?)`
const GROUP_SQL = `INSERT INTO group_rows (run_id, iteration, level, task_seed, task_id, task_type,
  member_count, chosen_blueprint_json, pin_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
const EPISODE_SQL = `INSERT INTO episode_rows (run_id, group_id, iteration, phase, member_index,
  env, task_id, seed, blueprint_json, plan_log_prob, plan_advantage, return, success, length)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
// Prepared on first use, like every statement on tables a migration renames: a writer may be made
// on a database before its migrations reach them.
const GROUP_CHOSEN_SQL = 'UPDATE group_rows SET chosen_episode_id = ? WHERE id = ?'
const GROUP_PARENT_SQL = 'UPDATE group_rows SET parent_group_id = ? WHERE id = ?'
const STEPS_SQL = `INSERT INTO step_packs (episode_id, steps, codec, body, base_episode_id)
  VALUES (?, ?, ?, ?, ?)`
const COUNTERFACTUAL_SQL =
  'UPDATE episode_rows SET origin_episode_id = ?, counterfactual_json = ? WHERE id = ?'
const REWIND_SQL = [
  `INSERT OR IGNORE INTO annotation_detachments (annotation_id, reason)
           SELECT id, 'a resume from iteration ' || @from || ' deleted its target' FROM annotations
           WHERE run_id = @runId AND iteration >= @from`,
  `DELETE FROM step_packs WHERE episode_id IN
           (SELECT id FROM episodes WHERE run_id = @runId AND iteration >= @from)`,
  'DELETE FROM episode_rows WHERE run_id = @runId AND iteration >= @from',
  'DELETE FROM group_rows WHERE run_id = @runId AND iteration >= @from',
  'DELETE FROM metrics WHERE run_id = @runId AND iteration >= @from',
  'DELETE FROM checkpoints WHERE run_id = @runId AND iteration > @from',
  `UPDATE runs SET status = 'queued', iterations_done = @from, error = NULL, ended_at = NULL
         WHERE id = @runId`
]
/** A group as an imported episode names it (`himac import`): the file's key and what it holds. */
export type ImportedGroup = {
  key: string
  level: 'flat' | 'macro' | 'micro'
  taskSeed: number
  task: string
  chosenBlueprint: string[] | null
  /** This episode is the group's chosen member (z*). */
  chosen: boolean
}

/** Imports favour speed: see packSteps. */
const IMPORT_DEFLATE_LEVEL = 6

export type ImportedEpisode = {
  iteration: number
  group: ImportedGroup | null
  episode: EpisodeRecord
}

export class StoreWriter {
  private readonly stmts
  private readonly late = new Map<string, Statement>()
  /**
   * Episodes that share one steps array (fixtures) are compressed once per base; callers do not
   * change a steps array after writing it.
   */
  private readonly packs = new WeakMap<
    readonly StepRecord[],
    // Keyed by the base entry itself: an episode id may name another base after a rewind.
    { env: string; alone?: Pack; byBase: WeakMap<object, Pack> }
  >()
  private readonly bases: PackBases
  private readonly tasks: TextInterner

  constructor(private readonly db: Db) {
    this.bases = new PackBases(db)
    this.tasks = new TextInterner(db, 'tasks')
    this.stmts = {
      experiment: db.prepare(
        'INSERT INTO experiments (name, preset, config_json) VALUES (?, ?, ?)'
      ),
      run: db.prepare(
        `INSERT INTO runs (experiment_id, status, seed, config_json, iterations, owner_pid)
         VALUES (?, 'queued', ?, ?, ?, ?)`
      ),
      runStarted: db.prepare(
        `UPDATE runs SET status = 'running', backend = ?, backend_notes_json = ?, kernels = ?, backend_device = ?,
          backend_versions_json = ?, started_at = ?, owner_pid = ?
         WHERE id = ?`
      ),
      runProgress: db.prepare('UPDATE runs SET iterations_done = ? WHERE id = ?'),
      runFinished: db.prepare('UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?'),
      unfinished: db.prepare(
        "SELECT id, owner_pid FROM runs WHERE status IN ('queued', 'running')"
      ),
      interrupted: db.prepare(
        `UPDATE runs SET status = 'failed', error = 'interrupted: the workbench stopped during the run',
         ended_at = ? WHERE id = ? AND status IN ('queued', 'running')`
      ),
      metric: db.prepare(
        'INSERT OR REPLACE INTO metrics (run_id, iteration, key, value) VALUES (?, ?, ?, ?)'
      ),
      checkpoint: db.prepare(
        `INSERT INTO checkpoints (run_id, iteration, format, weights, meta_json, retain_json)
         VALUES (?, ?, ?, ?, ?, ?)`
      ),
      checkpointsToThin: db.prepare(
        'SELECT id, weights, retain_json FROM checkpoints WHERE run_id = ? AND retain_json IS NOT NULL'
      ),
      thinCheckpoint: db.prepare(
        'UPDATE checkpoints SET weights = ?, meta_json = ?, retain_json = NULL WHERE id = ?'
      )
    }
  }

  createExperiment(name: string, preset: string | null, config: ExperimentConfig): number {
    return Number(this.stmts.experiment.run(name, preset, JSON.stringify(config)).lastInsertRowid)
  }

  /** Changes what is given of an experiment's name, config (for its next runs), tags, notes, archive. */
  updateExperiment(
    id: number,
    change: {
      name?: string
      config?: ExperimentConfig
      tags?: string[]
      notes?: string
      archived?: boolean
    }
  ): void {
    const sets: string[] = []
    const values: (string | null)[] = []
    const set = (column: string, value: string | null): void => {
      sets.push(`${column} = ?`)
      values.push(value)
    }
    if (change.name !== undefined) set('name', change.name)
    if (change.config !== undefined) set('config_json', JSON.stringify(change.config))
    if (change.tags !== undefined) set('tags_json', JSON.stringify(change.tags))
    if (change.notes !== undefined) set('notes', change.notes)
    if (change.archived !== undefined)
      set('archived_at', change.archived ? new Date().toISOString() : null)
    if (sets.length === 0) return
    this.guard(() =>
      this.db.prepare(`UPDATE experiments SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
    )
  }

  createRun(experimentId: number, config: ExperimentConfig): number {
    const info = this.stmts.run.run(
      experimentId,
      config.seed,
      JSON.stringify(config),
      plannedIterations(config),
      process.pid
    )
    return Number(info.lastInsertRowid)
  }

  markRunStarted(
    runId: number,
    backend: string,
    notes: string[],
    kernels: string | null = null,
    info: BackendInfo = {}
  ): void {
    this.stmts.runStarted.run(
      backend,
      JSON.stringify(notes),
      kernels,
      info.device ?? null,
      JSON.stringify(info.versions ?? {}),
      now(),
      process.pid,
      runId
    )
  }

  setRunProgress(runId: number, iterationsDone: number): void {
    this.stmts.runProgress.run(iterationsDone, runId)
  }

  finishRun(runId: number, status: Exclude<RunStatus, 'queued' | 'running'>, error?: string): void {
    this.stmts.runFinished.run(status, error ?? null, now(), runId)
  }

  /**
   * Runs left 'queued'/'running' by a crashed or killed process are marked failed on open. A run
   * whose writer is another live process (a `himac train` or `repro` beside this workbench) is
   * still being trained and is left alone; one of this process was left by an earlier writer here.
   * Runs stored before owners were recorded count as interrupted.
   */
  failInterruptedRuns(alive: (pid: number) => boolean = processAlive): number {
    const at = now()
    return this.immediate(() => {
      let failed = 0
      for (const r of this.stmts.unfinished.all() as { id: number; owner_pid: number | null }[]) {
        const elsewhere = r.owner_pid !== null && r.owner_pid !== process.pid && alive(r.owner_pid)
        if (!elsewhere) failed += this.stmts.interrupted.run(at, r.id).changes
      }
      return failed
    })()
  }

  insertMetrics(runId: number, iteration: number, values: Record<string, number>): void {
    this.guard(() =>
      this.immediate(() => {
        for (const [key, value] of Object.entries(values)) {
          if (Number.isFinite(value)) this.stmts.metric.run(runId, iteration, key, value)
        }
      })()
    )
  }

  /**
   * Before resuming a run from its checkpoint at `from` (iterations done): deletes, in one
   * transaction, everything stored for iterations from `from` on (partly stored ones included) and
   * later checkpoints, and sets the run back to queued with `from` iterations done.
   */
  rewindRun(runId: number, from: number): void {
    this.guard(() =>
      this.immediate(() => {
        for (const sql of REWIND_SQL) this.prepared(sql).run({ runId, from })
      })()
    )
  }

  private prepared(sql: string): Statement {
    let stmt = this.late.get(sql)
    if (!stmt) {
      stmt = this.db.prepare(sql)
      this.late.set(sql, stmt)
    }
    return stmt
  }

  /**
   * A transaction that takes the write lock when it begins (BEGIN IMMEDIATE), waiting up to the
   * busy timeout while another process writes. A deferred one that reads before it writes (the
   * task interner does) fails at once with "database is locked" when another process has written
   * since its read began: SQLite cannot upgrade its stale snapshot.
   */
  private immediate<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    const tx = this.db.transaction(fn)
    return (...args: A) => tx.immediate(...args)
  }

  /** Runs a write; a full disk becomes a DiskFullError (the transaction was rolled back). */
  private guard<T>(write: () => T): T {
    try {
      return write()
    } catch (err) {
      this.tasks.reset()
      throw storageErrorOf(this.db.name, err)
    }
  }

  /**
   * All groups, episodes and steps of one iteration in one transaction. A batch whose group
   * `parent` indices are bad (see checkParents) is refused before anything is written.
   */
  insertRollouts(runId: number, batch: RolloutBatch): { episodeIds: number[] } {
    checkParents(batch)
    const episodeIds: number[] = []
    const groupIds: number[] = []
    const write = this.immediate(() => {
      for (const g of batch.groups) {
        const groupId = Number(
          this.prepared(GROUP_SQL).run(
            runId,
            batch.iteration,
            g.level,
            g.taskSeed,
            this.tasks.id(g.task),
            taskTypeOfView(g.episodes[0]?.steps[0]?.view),
            g.episodes.length,
            g.chosenBlueprint ? JSON.stringify(g.chosenBlueprint) : null,
            g.pinId ?? null
          ).lastInsertRowid
        )
        groupIds.push(groupId)
        g.episodes.forEach((ep, i) => {
          const id = this.insertEpisode(runId, groupId, batch.iteration, ep)
          episodeIds.push(id)
          if (g.chosenMember === i) this.prepared(GROUP_CHOSEN_SQL).run(id, groupId)
        })
      }
      batch.groups.forEach((g, i) => {
        if (g.parent !== undefined && g.parent !== null)
          this.prepared(GROUP_PARENT_SQL).run(groupIds[g.parent], groupIds[i])
      })
      for (const ep of batch.loose)
        episodeIds.push(this.insertEpisode(runId, null, batch.iteration, ep))
      tracePoint('store', batch.iteration)
    })
    this.guard(write)
    return { episodeIds }
  }

  /** A blueprint pin of a run (see migration 13); the trainer takes it at its next iteration. */
  pinBlueprint(p: {
    runId: number
    sourceEpisodeId: number
    taskSeed: number
    task: string
    blueprint: string[]
    planLogProb: number | null
    author: string
  }): number {
    return this.guard(() =>
      Number(
        this.prepared(
          `INSERT INTO blueprint_pins (run_id, source_episode_id, task_seed, task, blueprint_json,
             plan_log_prob, author) VALUES (?, ?, ?, ?, ?, ?, ?)`
        ).run(
          p.runId,
          p.sourceEpisodeId,
          p.taskSeed,
          p.task,
          JSON.stringify(p.blueprint),
          p.planLogProb,
          p.author
        ).lastInsertRowid
      )
    )
  }

  /** Asks for a pin's removal: the trainer stops applying it at its next iteration. */
  removePin(pinId: number): void {
    this.guard(() =>
      this.prepared(
        `UPDATE blueprint_pins SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ? AND removed_at IS NULL`
      ).run(pinId)
    )
  }

  /**
   * The pins in force at `iteration` of a run, recording the iteration at which new pins start and
   * removed ones stop (a resumed run re-reads the same history). A pin removed before any
   * iteration took it never applies.
   */
  takePins(runId: number, iteration: number): PinInForce[] {
    return this.guard(() =>
      this.immediate(() => {
        this.prepared(
          `UPDATE blueprint_pins SET from_iteration = @iteration
           WHERE run_id = @runId AND from_iteration IS NULL AND removed_at IS NULL`
        ).run({ runId, iteration })
        this.prepared(
          `UPDATE blueprint_pins SET until_iteration = @iteration
           WHERE run_id = @runId AND removed_at IS NOT NULL AND until_iteration IS NULL
             AND from_iteration IS NOT NULL AND from_iteration < @iteration`
        ).run({ runId, iteration })
        const rows = this.prepared(
          `SELECT id, task_seed, blueprint_json, plan_log_prob FROM blueprint_pins
           WHERE run_id = @runId AND from_iteration <= @iteration
             AND (until_iteration IS NULL OR until_iteration > @iteration)
           ORDER BY id`
        ).all({ runId, iteration }) as {
          id: number
          task_seed: number
          blueprint_json: string
          plan_log_prob: number | null
        }[]
        return rows.map((r) => ({
          id: r.id,
          taskSeed: r.task_seed,
          blueprint: JSON.parse(r.blueprint_json) as string[],
          planLogProb: r.plan_log_prob
        }))
      })()
    )
  }

  /** A counterfactual episode, stored in its origin's run and iteration and linked to it. */
  insertCounterfactual(
    origin: { runId: number; iteration: number },
    ep: EpisodeRecord,
    meta: Counterfactual
  ): number {
    return this.guard(() =>
      this.immediate(() => {
        const id = this.insertEpisode(origin.runId, null, origin.iteration, ep)
        this.prepared(COUNTERFACTUAL_SQL).run(meta.originEpisodeId, JSON.stringify(meta), id)
        return id
      })()
    )
  }

  /**
   * Imported episodes in one transaction. `groups` maps the file's group keys to stored group ids;
   * a group is created when its first member comes and added to the map.
   */
  insertImported(
    runId: number,
    items: readonly ImportedEpisode[],
    groups: Map<string, number>
  ): void {
    this.guard(
      this.immediate(() => {
        for (const { iteration, group, episode } of items) {
          let groupId: number | null = null
          if (group) {
            groupId = groups.get(group.key) ?? null
            if (groupId === null) {
              groupId = Number(
                this.prepared(GROUP_SQL).run(
                  runId,
                  iteration,
                  group.level,
                  group.taskSeed,
                  this.tasks.id(group.task),
                  taskTypeOfView(episode.steps[0]?.view),
                  0,
                  group.chosenBlueprint ? JSON.stringify(group.chosenBlueprint) : null,
                  null
                ).lastInsertRowid
              )
              groups.set(group.key, groupId)
            }
          }
          const id = this.insertEpisode(runId, groupId, iteration, episode, IMPORT_DEFLATE_LEVEL)
          if (group?.chosen && groupId !== null) this.prepared(GROUP_CHOSEN_SQL).run(id, groupId)
        }
      })
    )
  }

  /**
   * After the last imported episode: each group's member count, and the parents
   * ([child group id, parent group id] pairs), in one transaction.
   */
  finishImportedGroups(runId: number, parents: readonly (readonly [number, number])[]): void {
    this.guard(
      this.immediate(() => {
        this.db
          .prepare(
            `UPDATE group_rows SET member_count =
               (SELECT COUNT(*) FROM episode_rows e WHERE e.group_id = group_rows.id)
             WHERE run_id = ?`
          )
          .run(runId)
        for (const [child, parent] of parents) this.prepared(GROUP_PARENT_SQL).run(parent, child)
      })
    )
  }

  /**
   * An imported run's config once the whole file was read (its iterations are known only then),
   * and its experiment's when the import created that experiment.
   */
  setImportedConfig(runId: number, experimentId: number | null, config: ExperimentConfig): void {
    this.guard(
      this.immediate(() => {
        this.db
          .prepare('UPDATE runs SET config_json = ?, iterations = ? WHERE id = ?')
          .run(JSON.stringify(config), plannedIterations(config), runId)
        if (experimentId !== null)
          this.db
            .prepare('UPDATE experiments SET config_json = ? WHERE id = ?')
            .run(JSON.stringify(config), experimentId)
      })
    )
  }

  /**
   * Deletes a run with its episodes, steps and groups (an import that found a bad line), and its
   * experiment when `experimentId` is given; one transaction. Not for runs with metrics,
   * checkpoints or annotations.
   */
  discardRun(runId: number, experimentId: number | null): void {
    const sql = [
      'DELETE FROM step_packs WHERE episode_id IN (SELECT id FROM episodes WHERE run_id = @runId)',
      'UPDATE group_rows SET chosen_episode_id = NULL, parent_group_id = NULL WHERE run_id = @runId',
      'DELETE FROM episode_rows WHERE run_id = @runId',
      'DELETE FROM group_rows WHERE run_id = @runId',
      `DELETE FROM tasks WHERE id NOT IN
         (SELECT task_id FROM episode_rows UNION ALL SELECT task_id FROM group_rows)`,
      'DELETE FROM runs WHERE id = @runId'
    ]
    this.guard(
      this.immediate(() => {
        for (const q of sql) this.db.prepare(q).run({ runId })
        if (experimentId !== null)
          this.db.prepare('DELETE FROM experiments WHERE id = ?').run(experimentId)
      })
    )
    this.tasks.reset() // the run's tasks no other run has are gone
  }

  private insertEpisode(
    runId: number,
    groupId: number | null,
    iteration: number,
    ep: EpisodeRecord,
    level?: number
  ): number {
    const id = Number(
      this.prepared(EPISODE_SQL).run(
        runId,
        groupId,
        iteration,
        ep.phase,
        ep.memberIndex,
        ep.env,
        this.tasks.id(ep.task),
        ep.seed,
        ep.blueprint ? JSON.stringify(ep.blueprint) : null,
        ep.planLogProb ?? null,
        ep.planAdvantage ?? null,
        ep.return,
        ep.success ? 1 : 0,
        ep.length
      ).lastInsertRowid
    )
    if (ep.steps.length > 0) {
      let cached = this.packs.get(ep.steps)
      if (cached?.env !== ep.env) {
        cached = { env: ep.env, byBase: new WeakMap() }
        this.packs.set(ep.steps, cached)
      }
      const byBase = cached
      const { pack, baseId } = this.packAgainstBase(
        { runId, env: ep.env, task: ep.task, iteration, episodeId: id },
        (base) => {
          let pack = base ? byBase.byBase.get(base) : byBase.alone
          if (!pack) {
            pack = packSteps(ep.env, ep.steps.map(stepRowOf), level, base)
            if (base) byBase.byBase.set(base, pack)
            else byBase.alone = pack
          }
          return pack
        }
      )
      this.prepared(STEPS_SQL).run(id, ep.steps.length, pack.codec, pack.body, baseId)
    }
    return id
  }

  /**
   * Packs an episode's steps against its task's base (pack-bases.ts) when that is smaller, and
   * offers a pack stored without a base as the base of later episodes of the task. `admit` may
   * refuse the base found.
   */
  private packAgainstBase(
    e: { runId: number; env: string; task: string; iteration: number; episodeId: number },
    pack: (base: BaseEntry | undefined) => Pack,
    admit: (base: BaseEntry) => boolean = () => true
  ): { pack: Pack; base: BaseEntry | undefined; baseId: number | null } {
    const found = this.bases.find(e.runId, e.env, e.task, e.iteration)
    const candidate = found && admit(found) ? found : undefined
    const packed = pack(candidate)
    const base = packed.based ? candidate : undefined
    if (!base)
      this.bases.offer(e.runId, e.env, e.task, {
        episodeId: e.episodeId,
        iteration: e.iteration,
        ...packed
      })
    return { pack: packed, base, baseId: base ? base.episodeId : null }
  }

  appendAnnotation(a: AnnotationInput): number {
    return this.guard(() =>
      Number(
        this.prepared(ANNOTATION_SQL).run(
          a.runId,
          a.targetType,
          a.targetId,
          a.stepT ?? null,
          a.iteration,
          a.author,
          a.kind,
          a.label ?? null,
          a.value,
          a.supersedes ?? null
        ).lastInsertRowid
      )
    )
  }

  defineLabel(l: LabelSchemaInput): number {
    return this.guard(() =>
      Number(
        this.prepared(LABEL_SCHEMA_SQL).run(
          l.experimentId,
          l.name,
          l.type,
          JSON.stringify(l.options),
          l.description
        ).lastInsertRowid
      )
    )
  }

  /** Cuts the run's checkpoints that say what they retain (but `keep`) down to that. */
  private thinCheckpoints(runId: number, keep?: number): number {
    const rows = this.stmts.checkpointsToThin.all(runId) as {
      id: number
      weights: Buffer
      retain_json: string
    }[]
    let cut = 0
    for (const row of rows) {
      if (row.id === keep) continue
      const kept = JSON.parse(row.retain_json) as CheckpointRetain
      checkRetain(kept, row.weights.byteLength)
      const blob = Buffer.concat(kept.ranges.map(([a, b]) => row.weights.subarray(a, b)))
      this.stmts.thinCheckpoint.run(blob, JSON.stringify(kept.meta), row.id)
      cut++
    }
    return cut
  }

  /**
   * For checkpoints stored before migration 15 (`himac db thin`): records what each of a run's
   * checkpoints retains and cuts all but `keep` (its newest) down to that, in one transaction.
   * Returns how many were cut.
   */
  retainCheckpoints(runId: number, keep: number, retains: Map<number, CheckpointRetain>): number {
    return this.guard(() =>
      this.immediate(() => {
        const set = this.db.prepare(
          'UPDATE checkpoints SET retain_json = ? WHERE id = ? AND run_id = ?'
        )
        const sizeOf = this.db
          .prepare('SELECT length(weights) FROM checkpoints WHERE id = ? AND run_id = ?')
          .pluck()
        for (const [id, retain] of retains) {
          const size = sizeOf.get(id, runId) as number | undefined
          if (size === undefined) throw new Error(`run ${runId} has no checkpoint ${id}`)
          checkRetain(retain, size)
          set.run(JSON.stringify(retain), id, runId)
        }
        return this.thinCheckpoints(runId, keep)
      })()
    )
  }

  /**
   * Packs a run's steps again with the newest codec and bases (`himac db repack`), in one
   * transaction: readers see the old packs or the new ones, never a mix. Each new pack is read back
   * and compared with the rows before it is written. Returns the pack bytes before and after.
   */
  repackRun(runId: number): { episodes: number; before: number; after: number } {
    const list = this.db.prepare(
      `SELECT e.id, e.env, e.task, e.iteration, p.codec, p.body, p.base_episode_id
       FROM episodes e JOIN step_packs p ON p.episode_id = e.id WHERE e.run_id = ? ORDER BY e.id`
    )
    const update = this.db.prepare(
      'UPDATE step_packs SET codec = ?, body = ?, base_episode_id = ? WHERE episode_id = ?'
    )
    type Row = StoredPack & {
      id: number
      env: string
      task: string
      iteration: number
      base_episode_id: number | null
    }
    return this.guard(() =>
      this.immediate(() => {
        const rows = list.all(runId) as Row[]
        // A base comes before the episodes packed against it; keep its old pack for them.
        const bases = new Set(rows.map((r) => r.base_episode_id).filter((b) => b !== null))
        const old = new Map<number, StoredPack>()
        let before = 0
        let after = 0
        for (const r of rows) {
          const oldBase = r.base_episode_id === null ? null : old.get(r.base_episode_id)
          if (oldBase === undefined)
            throw new Error(`episode ${r.id}: its base ${r.base_episode_id} is not of run ${runId}`)
          const steps = unpackSteps(r.codec, r.body, oldBase)
          if (bases.has(r.id)) old.set(r.id, { codec: r.codec, body: r.body })
          const { pack, base, baseId } = this.packAgainstBase(
            { runId, env: r.env, task: r.task, iteration: r.iteration, episodeId: r.id },
            (b) => packSteps(r.env, steps, 9, b),
            (b) => b.episodeId < r.id
          )
          const back = unpackSteps(pack.codec, pack.body, base ?? null)
          if (JSON.stringify(back) !== JSON.stringify(steps))
            throw new Error(`episode ${r.id}: the repacked steps do not read back as they were`)
          update.run(pack.codec, pack.body, baseId, r.id)
          before += r.body.length
          after += pack.body.length
        }
        return { episodes: rows.length, before, after }
      })()
    )
  }

  /**
   * Stores a checkpoint and, in the same transaction, cuts the run's older checkpoints down to what
   * they said they retain (`retain`; a checkpoint without one stays whole).
   */
  saveCheckpoint(
    runId: number,
    iteration: number,
    format: string,
    weights: Uint8Array,
    meta: object,
    retain?: CheckpointRetain
  ): number {
    if (retain) checkRetain(retain, weights.byteLength)
    return this.guard(() =>
      this.immediate(() => {
        this.thinCheckpoints(runId)
        const id = Number(
          this.stmts.checkpoint.run(
            runId,
            iteration,
            format,
            Buffer.from(weights),
            JSON.stringify(meta),
            retain ? JSON.stringify(retain) : null
          ).lastInsertRowid
        )
        tracePoint('checkpoint', iteration)
        return id
      })()
    )
  }
}
