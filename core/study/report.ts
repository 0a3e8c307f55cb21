// A study's report from the store: per run its final evaluation, iterations to each target and
// wall time; per method mean ± Student-t 95 % CI over seeds; learning curves with CI bands; the
// paper's numbers beside them. Pure over the rows it reads (buildStudyReport), so the CLI's files
// and the app's page show the same numbers.
import type {
  CiValue,
  StudyCurve,
  StudyMethodSummary,
  StudyReport,
  StudyRunResult,
  StudySummary
} from '../api/study-entities'
import type { Db } from '../store'
import { StudyStore, studyRunIndex, type StudyRow, type StudyRunRow } from '../store/study-queries'
import {
  ALFWORLD_TASK_COLUMNS,
  PAPER_ALFWORLD_TASKS,
  PAPER_ITERATIONS_TO_TARGET,
  PAPER_RESULTS,
  paperLabel
} from './paper'
import { meanCi } from './stats'
import {
  METHOD_LABELS,
  plannedRuns,
  studySpecSchema,
  type StudyMethod,
  type StudySpec
} from './spec'

type MetricRow = { run_id: number; iteration: number; key: string; value: number }

const TASK_PREFIX = 'eval/success_rate/'

export function budgetText(spec: StudySpec): string {
  return spec.budget.kind === 'iterations'
    ? `${spec.budget.iterations} RL iteration${spec.budget.iterations === 1 ? '' : 's'} per run`
    : `${spec.budget.minutes} minute${spec.budget.minutes === 1 ? '' : 's'} ${spec.budget.clock === 'train' ? 'of training (evaluations not counted)' : 'of wall time'} per run`
}

export function warmStartNote(spec: StudySpec): string {
  const w = spec.base.policy.warmStart
  const cloned = `every run clones its own model from the same ${w.episodes} searching-demonstrator episodes of its seed (${w.epochs} epochs, d${spec.base.policy.lm.dModel} × ${spec.base.policy.lm.layers} layers, the seed's initial weights)`
  const { flat, himac, fixedBudget } = spec.warmStarts
  if (flat === null && himac === null && fixedBudget === null)
    return `Same warm start: ${cloned}; flat methods clone the flat policy, HiMAC variants clone planner and executor on the demonstrators' canonical blueprints.`
  const files = [
    [flat, 'flat methods'],
    [himac, 'HiMAC variants with <sub_done>'],
    [fixedBudget, 'the fixed-budget ablation (cloned at its budget switches)']
  ] as const
  const from = files
    .filter(([file]) => file !== null)
    .map(([file, who]) => `${who} from \`${file}\``)
  const himacNote =
    himac !== null || fixedBudget !== null
      ? "; HiMAC's planner and executor were cloned on the demonstrators' canonical blueprints"
      : ''
  return `Same warm start: every seed starts from saved warm starts (no cloning in the budget): ${from.join('; ')}${himacNote}.`
}

export function studySummary(row: StudyRow, runs: readonly StudyRunRow[]): StudySummary {
  const spec = studySpecSchema.parse(JSON.parse(row.spec_json))
  const index = studyRunIndex(runs)
  const planned = plannedRuns(spec)
  return {
    id: row.id,
    name: row.name,
    env: row.env,
    preset: spec.preset,
    status: row.status,
    methods: spec.methods,
    seeds: spec.seeds,
    budget: budgetText(spec),
    runsPlanned: planned.length,
    runsCompleted: planned.filter((p) => index.get(`${p.method}/${p.seed}`)?.status === 'completed')
      .length,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    error: row.error
  }
}

/** One run's results from its metric rows. */
export function runResult(
  run: StudyRunRow,
  rows: readonly MetricRow[],
  targets: readonly number[],
  env: string
): StudyRunResult {
  const config = JSON.parse(run.config_json) as { iterations: number }
  // Iterations before the first RL one: the cloning epochs.
  const firstRl = run.iterations - config.iterations
  const byIteration = new Map<number, Record<string, number>>()
  let wall = 0
  for (const r of rows) {
    if (r.key === 'perf/iteration_s') wall += r.value
    let values = byIteration.get(r.iteration)
    if (!values) byIteration.set(r.iteration, (values = {}))
    values[r.key] = r.value
  }
  const evals = evalPoints(run, byIteration, firstRl)
  const last = evals[evals.length - 1]
  const values = last?.values ?? {}
  const taskSuccess: Record<string, number> = {}
  for (const [k, v] of Object.entries(values))
    if (k.startsWith(TASK_PREFIX)) taskSuccess[k.slice(TASK_PREFIX.length)] = v
  const meanReturn = values['eval/mean_return'] ?? null
  return {
    runId: run.run_id,
    method: run.method,
    seed: run.seed,
    status: run.status,
    iterationsDone: run.iterations_done,
    iterations: run.iterations,
    rlIterations: Math.max(0, run.iterations_done - firstRl),
    finalSuccess: values['eval/success_rate'] ?? null,
    finalGreedySuccess: values['eval/greedy_success_rate'] ?? null,
    finalScore: env === 'webshop' && meanReturn !== null ? 100 * meanReturn : null,
    finalMeanReturn: meanReturn,
    taskSuccess,
    iterationsToTarget: targets.map(
      (t) => evals.find((e) => (e.values['eval/success_rate'] ?? -1) >= t)?.x ?? null
    ),
    wallTimeS: wall
  }
}

/**
 * The run's evaluations in order, each at x = RL updates applied before it: an evaluation runs
 * before its iteration's update, except the last planned iteration's, which measures the final
 * policy (a run its budget stopped records that one at the index after its last iteration).
 */
export function evalPoints(
  run: Pick<StudyRunRow, 'iterations' | 'iterations_done'>,
  byIteration: ReadonlyMap<number, Record<string, number>>,
  firstRl: number
): { iteration: number; x: number; values: Record<string, number> }[] {
  return [...byIteration.entries()]
    .filter(([, v]) => v['eval/success_rate'] !== undefined)
    .sort((a, b) => a[0] - b[0])
    .map(([iteration, values]) => ({
      iteration,
      x:
        iteration -
        firstRl +
        (iteration === run.iterations - 1 && run.iterations_done === run.iterations ? 1 : 0),
      values
    }))
}

const ciOf = (xs: readonly (number | null)[]): CiValue => meanCi(xs)

/**
 * A method's learning curve: the mean and CI of its runs at each x, over the completed runs (as
 * the final table; all runs while none has completed), and only where every one of those runs has
 * an evaluation — under a minutes budget seeds reach different update counts, and a mean of
 * whichever seeds got that far would change its meaning along the curve.
 */
function curveOf(
  method: string,
  runs: readonly StudyRunRow[],
  metricsByRun: ReadonlyMap<number, MetricRow[]>
): StudyCurve {
  const completed = runs.filter((r) => r.status === 'completed')
  const byX = new Map<number, number[]>()
  let evaluated = 0
  for (const run of completed.length > 0 ? completed : runs) {
    const config = JSON.parse(run.config_json) as { iterations: number }
    const byIteration = new Map<number, Record<string, number>>()
    for (const r of metricsByRun.get(run.run_id) ?? []) {
      if (r.key !== 'eval/success_rate') continue
      byIteration.set(r.iteration, { [r.key]: r.value })
    }
    if (byIteration.size > 0) evaluated++
    for (const p of evalPoints(run, byIteration, run.iterations - config.iterations)) {
      const list = byX.get(p.x) ?? []
      list.push(p.values['eval/success_rate'] as number)
      byX.set(p.x, list)
    }
  }
  const points = [...byX.entries()]
    .filter(([, ys]) => ys.length === evaluated)
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const ci = meanCi(ys)
      const mean = ci.mean ?? 0
      const half = ci.half ?? 0
      return { x, mean, lo: mean - half, hi: mean + half, n: ci.n }
    })
  return { method, label: METHOD_LABELS[method as StudyMethod] ?? method, points }
}

export function buildStudyReport(
  row: StudyRow,
  runs: readonly StudyRunRow[],
  metrics: readonly MetricRow[]
): StudyReport {
  const spec = studySpecSchema.parse(JSON.parse(row.spec_json))
  const summary = studySummary(row, runs)
  const env = spec.env
  const metricsByRun = new Map<number, MetricRow[]>()
  for (const m of metrics) {
    const list = metricsByRun.get(m.run_id) ?? []
    list.push(m)
    metricsByRun.set(m.run_id, list)
  }
  // The newest run of each planned pair (a pair has one run; older ones only if recreated).
  const index = studyRunIndex(runs)
  const planned = plannedRuns(spec)
  const studyRuns = planned
    .map((p) => index.get(`${p.method}/${p.seed}`))
    .filter((r): r is StudyRunRow => r !== undefined)
  const results = studyRuns.map((r) =>
    runResult(r, metricsByRun.get(r.run_id) ?? [], spec.targets, env)
  )
  const taskTypes = [...new Set(results.flatMap((r) => Object.keys(r.taskSuccess)))].sort(
    (a, b) =>
      Object.keys(ALFWORLD_TASK_COLUMNS).indexOf(a) - Object.keys(ALFWORLD_TASK_COLUMNS).indexOf(b)
  )
  const methods: StudyMethodSummary[] = spec.methods.map((method) => {
    const all = results.filter((r) => r.method === method)
    const done = all.filter((r) => r.status === 'completed')
    return {
      method,
      label: METHOD_LABELS[method],
      runs: spec.seeds.length,
      completed: done.length,
      finalSuccess: ciOf(done.map((r) => r.finalSuccess)),
      finalGreedySuccess: ciOf(done.map((r) => r.finalGreedySuccess)),
      finalScore: ciOf(done.map((r) => r.finalScore)),
      finalMeanReturn: ciOf(done.map((r) => r.finalMeanReturn)),
      taskSuccess: Object.fromEntries(
        taskTypes.map((t) => [t, ciOf(done.map((r) => r.taskSuccess[t] ?? null))])
      ),
      iterationsToTarget: spec.targets.map((target, i) => {
        const xs = done.map((r) => r.iterationsToTarget[i] ?? null)
        return {
          target,
          value: ciOf(xs),
          reached: xs.filter((x) => x !== null).length,
          of: done.length
        }
      }),
      wallTimeS: ciOf(done.map((r) => r.wallTimeS))
    }
  })
  const doneRuns = studyRuns.filter((r) => r.status === 'completed')
  const curves = spec.methods.map((m) =>
    curveOf(
      m,
      doneRuns.filter((r) => r.method === m),
      metricsByRun
    )
  )
  const paperResults = PAPER_RESULTS[env]
  const paperTargets = PAPER_ITERATIONS_TO_TARGET[env]
  const base = spec.base
  const ablations = [
    { variant: 'HiMAC (full)', method: 'himac' },
    { variant: 'w/o hierarchy (= flat GRPO)', method: 'grpo' },
    { variant: 'w/o iterative co-evolution (simultaneous)', method: 'himac-simultaneous' },
    { variant: 'w/o <sub_done> (fixed budget)', method: 'himac-fixed-budget' },
    { variant: 'random blueprint in Phase B', method: 'himac-random-blueprint' }
  ].filter((a) => (spec.methods as readonly string[]).includes(a.method))
  return {
    study: summary,
    targets: spec.targets,
    taskTypes,
    taskTypeLabels: Object.fromEntries(taskTypes.map((t) => [t, ALFWORLD_TASK_COLUMNS[t] ?? t])),
    methods,
    runs: results,
    curves,
    paper: {
      label: paperLabel(env),
      target: paperTargets.target,
      rows: spec.methods.map((method) => {
        const cell = paperResults[method]
        return {
          method,
          label: METHOD_LABELS[method],
          success: cell?.success ?? null,
          successPm: cell?.successPm ?? null,
          score: cell?.score ?? null,
          scorePm: cell?.scorePm ?? null,
          iterationsToTarget: paperTargets.cells[method] ?? null
        }
      }),
      taskRows:
        env === 'alfworld'
          ? PAPER_ALFWORLD_TASKS.filter((t) =>
              (spec.methods as readonly string[]).includes(t.method)
            ).map((t) => ({ ...t, label: METHOD_LABELS[t.method] }))
          : []
    },
    ablations,
    notes: [
      `Final = each run's last held-out evaluation, after its last update: ${base.evalEpisodes} episodes at temperature ${base.evalTemperature} (greedy alongside); success is a rate in [0, 1].`,
      ...(spec.budget.kind === 'minutes'
        ? [
            `${
              spec.budget.clock === 'train'
                ? `Training-time budget: a run stops after the iteration in which its ${spec.budget.minutes} minutes (cloning, rollouts, updates and storage; held-out evaluations not counted) are spent`
                : `Wall-clock budget: a run stops after the iteration in progress when its ${spec.budget.minutes} minutes are spent`
            }, then evaluates the policy it ends with once more (outside the budget).`
          ]
        : []),
      `Mean ± 95 % CI = Student-t over the completed runs (seeds) of a method: mean ± t(0.975, n−1)·s/√n; n = 1 has no interval.`,
      warmStartNote(spec),
      `Iterations to target = RL updates before the first evaluation at or above the target (cloning epochs not counted); "not reached" runs are left out of the mean and counted.`,
      `Wall time = the sum of a run's stored perf/iteration_s (cloning, rollouts, updates, evaluations); a resumed run counts its kept iterations once.`,
      `"w/o hierarchy" in Table 3 is flat GRPO (the paper's row equals GRPO's), so it reads the GRPO runs.`,
      `The paper's numbers (${paperLabel(env).replace(/^paper \(|\) — different scale$/g, '')}) are a reference from a different scale, not a target for this one.`
    ],
    totalWallTimeS: results.reduce((s, r) => s + r.wallTimeS, 0)
  }
}

/** The report of a stored study, or undefined when there is none with that id. */
export function studyReport(db: Db, studyId: number): StudyReport | undefined {
  const store = new StudyStore(db)
  const row = store.get(studyId)
  if (!row) return undefined
  return buildStudyReport(row, store.runs(studyId), store.metrics(studyId))
}

export function listStudies(db: Db): StudySummary[] {
  const store = new StudyStore(db)
  return store.list().map((row) => studySummary(row, store.runs(row.id)))
}
