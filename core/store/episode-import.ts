// `himac import`: episodes from a JSONL file (himac.episode v1 or verl-agent.trajectory v1 lines,
// core/api/episode-jsonl.ts) into a new run, in one pass: each line is checked (and against the
// lines before it: one env, each group's level, seed and parent) and the good ones written in
// batched transactions through StoreWriter, so no episode is ever partly stored. A bad line stops
// the writing, the rest of the file is still checked, and the run is deleted again (one
// transaction) — the database ends as it was — unless `skipBad`: then the good lines stay.
import fs from 'node:fs'
import path from 'node:path'
import { algoSchema, experimentConfigSchema, type ExperimentConfig } from '../api/config'
import { createLineParser, type EpisodeLine, type LineIssue } from '../api/episode-jsonl'
import type { Db } from './open'
import type { EpisodeRecord, StepRecord } from './records'
import type { ImportedEpisode, StoreWriter } from './writer'

export type BadLine = { line: number; issues: LineIssue[] }

export type ImportOptions = {
  /** An experiment to add the run to (created when no experiment has this name). */
  experiment?: string
  skipBad?: boolean
  /** The file's name in notes and the default experiment name (an upload's original name). */
  sourceName?: string
  /** Bytes read so far of the file. */
  onProgress?: (bytes: number, totalBytes: number) => void
}

export type ImportReport = {
  file: string
  lines: number
  badLines: BadLine[]
  /** Null when nothing was written. */
  runId: number | null
  experimentId: number | null
  episodes: number
  steps: number
  seconds: number
}

/** Steps per write transaction: large enough to amortise the commit, small enough to be brief. */
const BATCH_STEPS = 20_000

/**
 * Calls `onLine(text, lineNumber)` for each non-blank line, reading the file in 1 MiB chunks and
 * decoding each line on its own (no string of the whole chunk is built).
 */
async function eachLine(
  file: string,
  onLine: (text: string, line: number) => void,
  onBytes: (bytes: number) => void
): Promise<number> {
  let pending: Buffer[] = []
  let line = 0
  let bytes = 0
  const take = (buf: Buffer, from: number, to: number): void => {
    line++
    let text: string
    if (pending.length > 0) {
      pending.push(buf.subarray(from, to))
      text = Buffer.concat(pending).toString('utf8')
      pending = []
    } else text = buf.toString('utf8', from, to)
    if (text.trim() !== '') onLine(text, line)
  }
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer
    bytes += buf.length
    let from = 0
    for (let nl = buf.indexOf(10, from); nl !== -1; nl = buf.indexOf(10, from)) {
      take(buf, from, nl)
      from = nl + 1
    }
    if (from < buf.length) pending.push(buf.subarray(from))
    onBytes(bytes)
  }
  if (pending.length > 0) take(Buffer.alloc(0), 0, 0)
  return line
}

type GroupSeen = {
  line: number
  level: string
  taskSeed: number
  iteration: number
  parent: string | null
  chosen: number
  task: string
  chosenBlueprint: string[] | null
}

/** What the lines read so far say: the env, iterations, algo, and each group. */
type Survey = {
  env: EpisodeLine['env'] | null
  algo: string | null
  maxIteration: number
  groups: Map<string, GroupSeen>
  bad: Map<number, LineIssue[]>
}

function survey(): { state: Survey; check: (line: EpisodeLine, n: number) => LineIssue[] } {
  const state: Survey = {
    env: null,
    algo: null,
    maxIteration: -1,
    groups: new Map(),
    bad: new Map()
  }
  let firstEnvLine = 0
  const check = (e: EpisodeLine, n: number): LineIssue[] => {
    if (state.env !== null && e.env !== state.env)
      return [
        {
          path: 'env',
          message: `${e.env} differs from line ${firstEnvLine}'s ${state.env}: import one env per file`
        }
      ]
    const g = e.group
    if (g) {
      const seen = state.groups.get(g.key)
      if (seen) {
        const differs =
          seen.level !== g.level
            ? 'level'
            : seen.taskSeed !== g.taskSeed
              ? 'taskSeed'
              : seen.iteration !== e.iteration
                ? 'iteration'
                : seen.parent !== g.parent
                  ? 'parent'
                  : null
        if (differs)
          return [
            {
              path: differs === 'iteration' ? 'iteration' : `group.${differs}`,
              message: `group ${g.key}'s ${differs} differs from line ${seen.line}`
            }
          ]
        if (g.chosen && seen.chosen > 0)
          return [{ path: 'group.chosen', message: `group ${g.key} already has a chosen member` }]
        if (g.chosen) seen.chosen++
      } else
        state.groups.set(g.key, {
          line: n,
          level: g.level,
          taskSeed: g.taskSeed,
          iteration: e.iteration,
          parent: g.parent,
          chosen: g.chosen ? 1 : 0,
          task: e.task,
          chosenBlueprint: g.chosenBlueprint
        })
    }
    if (state.env === null) {
      state.env = e.env
      firstEnvLine = n
    }
    state.algo ??= e.algo
    state.maxIteration = Math.max(state.maxIteration, e.iteration)
    return []
  }
  return { state, check }
}

const stepRecordOf = (s: EpisodeLine['steps'][number]): StepRecord => ({
  t: s.t,
  observation: s.observation,
  admissibleActions: s.admissible,
  action: s.action,
  reward: s.reward,
  done: s.done,
  subgoalIndex: s.subgoalIndex,
  subDone: s.subDone,
  logProb: s.logProb,
  advantage: s.advantage,
  ...(s.view === null || s.view === undefined ? {} : { view: s.view }),
  ...(s.candidates ? { candidates: s.candidates } : {}),
  ...(s.invalid ? { invalid: true } : {}),
  ...(s.fallback ? { fallback: true } : {}),
  ...(s.subDoneProb === null ? {} : { subDoneProb: s.subDoneProb }),
  ...(s.subDoneChoices === null ? {} : { subDoneChoices: s.subDoneChoices })
})

const episodeRecordOf = (e: EpisodeLine): EpisodeRecord => ({
  phase: e.phase,
  memberIndex: e.memberIndex,
  env: e.env,
  task: e.task,
  seed: e.seed,
  blueprint: e.blueprint,
  planLogProb: e.planLogProb,
  planAdvantage: e.planAdvantage,
  return: e.return,
  success: e.success,
  length: e.length,
  steps: e.steps.map(stepRecordOf)
})

/** The config of an imported run: the env's defaults, the source's algo when it names one. */
export function importConfig(
  env: EpisodeLine['env'],
  algo: string | null,
  iterations: number
): ExperimentConfig {
  const a = algoSchema.safeParse(algo)
  return experimentConfigSchema.parse({
    env,
    algo: a.success ? a.data : 'grpo',
    iterations: Math.min(100_000, Math.max(1, iterations)),
    evalEvery: 0,
    policy: { warmStart: { episodes: 0 } }
  })
}

export class ImportError extends Error {}

function targetExperiment(
  db: Db,
  writer: StoreWriter,
  name: string,
  config: ExperimentConfig
): { experimentId: number; config: ExperimentConfig; created: boolean } {
  const row = db
    .prepare('SELECT id, config_json FROM experiments WHERE name = ? ORDER BY id DESC LIMIT 1')
    .get(name) as { id: number; config_json: string } | undefined
  if (!row)
    return { experimentId: writer.createExperiment(name, 'import', config), config, created: true }
  const existing = experimentConfigSchema.parse(JSON.parse(row.config_json))
  if (existing.env !== config.env)
    throw new ImportError(
      `experiment '${name}' (${row.id}) is on ${existing.env}, the file on ${config.env}; choose another --experiment`
    )
  return { experimentId: row.id, config: existing, created: false }
}

export async function importEpisodeFile(
  db: Db,
  writer: StoreWriter,
  file: string,
  options: ImportOptions = {}
): Promise<ImportReport> {
  const totalBytes = fs.statSync(file).size
  const source = options.sourceName ?? path.basename(file)
  const report: ImportReport = {
    file,
    lines: 0,
    badLines: [],
    runId: null,
    experimentId: null,
    episodes: 0,
    steps: 0,
    seconds: 0
  }
  const t0 = performance.now()
  const { state, check } = survey()
  const parse = createLineParser()
  // The run is created at the first good line: its config needs the file's env and algo.
  type Target = { runId: number; experimentId: number; created: boolean }
  const run: { target: Target | null } = { target: null }
  const groupIds = new Map<string, number>()
  let batch: ImportedEpisode[] = []
  let batchSteps = 0
  const flush = (): void => {
    if (batch.length === 0 || run.target === null) return
    writer.insertImported(run.target.runId, batch, groupIds)
    batch = []
    batchSteps = 0
  }
  const writing = (): boolean => state.bad.size === 0 || options.skipBad === true
  const start = (e: EpisodeLine): Target => {
    const name = options.experiment ?? `import ${source}`
    const t = targetExperiment(db, writer, name, importConfig(e.env, e.algo, e.iteration + 1))
    const runId = writer.createRun(t.experimentId, t.config)
    writer.markRunStarted(runId, 'import', [
      `imported from ${source} by ${options.sourceName ? 'an upload' : 'himac import'}`
    ])
    return { runId, experimentId: t.experimentId, created: t.created }
  }
  try {
    report.lines = await eachLine(
      file,
      (text, n) => {
        const parsed = parse(text)
        const issues = parsed.ok ? check(parsed.line, n) : parsed.issues
        if (issues.length > 0) state.bad.set(n, issues)
        if (!parsed.ok || issues.length > 0 || !writing()) return
        const e = parsed.line
        run.target ??= start(e)
        const seen = e.group ? state.groups.get(e.group.key) : undefined
        batch.push({
          iteration: e.iteration,
          episode: episodeRecordOf(e),
          group:
            e.group && seen
              ? {
                  key: e.group.key,
                  level: e.group.level,
                  taskSeed: e.group.taskSeed,
                  task: seen.task,
                  chosenBlueprint: seen.chosenBlueprint,
                  chosen: e.group.chosen
                }
              : null
        })
        report.episodes++
        report.steps += e.steps.length
        batchSteps += e.steps.length
        if (batchSteps >= BATCH_STEPS) flush()
      },
      (bytes) => options.onProgress?.(bytes, totalBytes)
    )
    for (const [key, g] of state.groups)
      if (g.parent !== null && !state.groups.has(g.parent) && !state.bad.has(g.line))
        state.bad.set(g.line, [
          {
            path: 'group.parent',
            message: `group ${key}'s parent ${g.parent} is in no line${options.skipBad ? ' (imported without it)' : ''}`
          }
        ])
    report.badLines = [...state.bad]
      .map(([line, issues]) => ({ line, issues }))
      .sort((a, b) => a.line - b.line)
    if (run.target === null) return report
    const { runId, experimentId, created } = run.target
    if (!writing()) {
      // A bad line after good ones: what was written goes again, in one transaction.
      writer.discardRun(runId, created ? experimentId : null)
      report.episodes = 0
      report.steps = 0
      return report
    }
    flush()
    const pairs: [number, number][] = []
    for (const [key, g] of state.groups) {
      const child = groupIds.get(key)
      const parent = g.parent === null ? undefined : groupIds.get(g.parent)
      if (child !== undefined && parent !== undefined) pairs.push([child, parent])
    }
    writer.finishImportedGroups(runId, pairs)
    if (created && state.env !== null)
      writer.setImportedConfig(
        runId,
        experimentId,
        importConfig(state.env, state.algo, state.maxIteration + 1)
      )
    writer.setRunProgress(runId, state.maxIteration + 1)
    writer.appendAnnotation({
      runId,
      targetType: 'run',
      targetId: runId,
      iteration: null,
      author: 'himac import',
      kind: 'comment',
      value: `imported from ${source}: ${report.episodes} episodes, ${report.steps} steps${
        report.badLines.length > 0
          ? `, ${report.badLines.length} bad line${report.badLines.length > 1 ? 's' : ''} skipped`
          : ''
      }`
    })
    writer.finishRun(runId, 'completed')
    report.runId = runId
    report.experimentId = experimentId
    return report
  } catch (err) {
    // Disk full, a damaged file: the episodes stored so far stay, in a failed run.
    if (run.target !== null)
      writer.finishRun(run.target.runId, 'failed', `import stopped: ${(err as Error).message}`)
    throw err
  } finally {
    report.seconds = (performance.now() - t0) / 1000
  }
}
