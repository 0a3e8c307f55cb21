// The report builder over hand-made rows: final values, the x of each evaluation (RL updates before
// it; the last one measures the final policy), iterations to target, per-method CIs, and the
// Markdown / CSV / SVG renderings of the same numbers.
import { describe, expect, it } from 'vitest'
import type { StudyRow, StudyRunRow } from '../../../core/store/study-queries'
import { reportCsv, reportMarkdown } from '../../../core/study/markdown'
import { studyPreset } from '../../../core/study/presets'
import { budgetText, buildStudyReport, evalPoints, warmStartNote } from '../../../core/study/report'
import { methodConfig, type StudySpec } from '../../../core/study/spec'
import { finalSuccessSvg, learningCurvesSvg, niceTicks } from '../../../core/study/svg'

const spec: StudySpec = {
  env: 'alfworld',
  preset: 'quick',
  methods: ['himac', 'grpo'],
  seeds: [0, 1, 2],
  budget: { kind: 'iterations', iterations: 3 },
  base: studyPreset('alfworld', 'quick').base,
  targets: [0.75, 0.5],
  expectedMinutes: 3,
  warmStarts: { flat: null, himac: null, fixedBudget: null }
}
const study: StudyRow = {
  id: 7,
  name: 'unit',
  env: 'alfworld',
  spec_json: JSON.stringify(spec),
  status: 'completed',
  owner_pid: null,
  error: null,
  created_at: '2026-12-01T00:00:00.000Z',
  ended_at: null
}

type M = { run_id: number; iteration: number; key: string; value: number }
const runs: StudyRunRow[] = []
const metrics: M[] = []
/** A run with one cloning epoch (iteration 0) and evaluations at iterations 1, 2, 3. */
function addRun(
  method: 'himac' | 'grpo',
  seed: number,
  evals: number[],
  status = 'completed'
): void {
  const runId = runs.length + 1
  const config = methodConfig(spec, method, seed)
  runs.push({
    run_id: runId,
    experiment_id: method === 'himac' ? 1 : 2,
    method,
    seed,
    status,
    iterations: 4,
    iterations_done: status === 'completed' ? 4 : 1 + evals.length,
    config_json: JSON.stringify(config)
  })
  metrics.push({ run_id: runId, iteration: 0, key: 'perf/iteration_s', value: 2 })
  evals.forEach((v, i) => {
    const iteration = i + 1
    metrics.push({ run_id: runId, iteration, key: 'eval/success_rate', value: v })
    metrics.push({ run_id: runId, iteration, key: 'eval/greedy_success_rate', value: v / 2 })
    metrics.push({ run_id: runId, iteration, key: 'eval/mean_return', value: 10 * v })
    metrics.push({
      run_id: runId,
      iteration,
      key: 'eval/success_rate/pick_and_place',
      value: Math.min(1, v + 0.1)
    })
    metrics.push({ run_id: runId, iteration, key: 'perf/iteration_s', value: 2 })
  })
}
addRun('himac', 0, [0.1, 0.2, 0.5])
addRun('himac', 1, [0.3, 0.5, 0.6])
addRun('himac', 2, [0.5, 0.6, 0.7])
addRun('grpo', 0, [0.1, 0.1, 0.2])
addRun('grpo', 1, [0.2, 0.3, 0.4])
addRun('grpo', 2, [0.9], 'failed')

const report = buildStudyReport(study, runs, metrics)

describe('study report', () => {
  it('per run: the last evaluation, iterations to each target, wall time', () => {
    const r = report.runs.find((x) => x.method === 'himac' && x.seed === 0)!
    expect(r.finalSuccess).toBe(0.5)
    expect(r.finalGreedySuccess).toBe(0.25)
    expect(r.finalMeanReturn).toBe(5)
    expect(r.finalScore).toBeNull() // only WebShop has a score
    expect(r.taskSuccess).toEqual({ pick_and_place: 0.6 })
    expect(r.rlIterations).toBe(3)
    // Evaluations sit at x = 0 and 1 (before those updates) and 3 (after the last update).
    expect(r.iterationsToTarget).toEqual([null, 3])
    expect(
      report.runs.find((x) => x.method === 'himac' && x.seed === 1)!.iterationsToTarget
    ).toEqual([null, 1])
    expect(r.wallTimeS).toBe(8)
    expect(report.runs).toHaveLength(6)
  })

  it('per method: mean ± Student-t CI over the completed runs only', () => {
    const himac = report.methods.find((m) => m.method === 'himac')!
    expect(himac.completed).toBe(3)
    expect(himac.finalSuccess.mean).toBeCloseTo(0.6, 12)
    expect(himac.finalSuccess.half).toBeCloseTo((4.303 * 0.1) / Math.sqrt(3), 9)
    expect(himac.iterationsToTarget[1]).toMatchObject({ reached: 3, of: 3 })
    expect(himac.iterationsToTarget[1]!.value.mean).toBeCloseTo(4 / 3, 12)
    expect(himac.iterationsToTarget[0]).toMatchObject({ reached: 0, of: 3 })
    expect(himac.taskSuccess['pick_and_place']!.mean).toBeCloseTo(0.7, 12)
    const grpo = report.methods.find((m) => m.method === 'grpo')!
    expect(grpo.completed).toBe(2) // the failed run is listed, not averaged
    expect(grpo.finalSuccess.mean).toBeCloseTo(0.3, 12)
    expect(grpo.finalSuccess.half).toBeCloseTo(12.706 * 0.1, 9)
    expect(report.study).toMatchObject({ runsPlanned: 6, runsCompleted: 5 })
  })

  it('curves: mean and band per x over the runs', () => {
    const c = report.curves.find((x) => x.method === 'himac')!
    expect(c.points.map((p) => p.x)).toEqual([0, 1, 3])
    const last = c.points[2]!
    expect(last.mean).toBeCloseTo(0.6, 12)
    expect(last.hi - last.mean).toBeCloseTo((4.303 * 0.1) / Math.sqrt(3), 9)
    expect(last.n).toBe(3)
    // GRPO's failed run (one evaluation) is left out, as in the final table.
    expect(report.curves.find((x) => x.method === 'grpo')!.points.map((p) => p.n)).toEqual([
      2, 2, 2
    ])
  })

  it('curves end where the shortest completed run’s evaluations end (a minutes budget)', () => {
    const himac2 = runs.find((r) => r.method === 'himac' && r.seed === 2)!.run_id
    const shorter = metrics.filter((m) => !(m.run_id === himac2 && m.iteration === 3))
    const c = buildStudyReport(study, runs, shorter).curves.find((x) => x.method === 'himac')!
    expect(c.points.map((p) => [p.x, p.n])).toEqual([
      [0, 3],
      [1, 3]
    ])
  })

  it("the paper's numbers beside ours, labelled as a different scale", () => {
    expect(report.paper.label).toBe('paper (Qwen2.5-7B-Instruct, full scale) — different scale')
    expect(report.paper.rows.find((r) => r.method === 'himac')).toMatchObject({
      success: 92.1,
      iterationsToTarget: 110
    })
    expect(report.ablations.map((a) => a.method)).toEqual(['himac', 'grpo'])
    expect(report.taskTypeLabels).toEqual({ pick_and_place: 'Pick' })
  })

  it('Markdown, CSV and SVG carry the same numbers', () => {
    const md = reportMarkdown(report)
    expect(md).toContain('| HiMAC | 3/3 | 60.0 ± 24.8 | 30.0 ± 12.4 |')
    expect(md).toContain('paper (Qwen2.5-7B-Instruct, full scale) — different scale')
    expect(md).toContain('## ALFWorld success per task type')
    // A WebShop study's per-task table holds product categories under its own title.
    const shop = reportMarkdown({ ...report, study: { ...report.study, env: 'webshop' } })
    expect(shop).toContain('## WebShop success per product category, in %')
    expect(shop).not.toContain('ALFWorld success')
    expect(md).toContain('not reached (0/3)')
    const csv = reportCsv(report).trim().split('\n')
    expect(csv).toHaveLength(1 + 6 + 2)
    const head = csv[0]!.split(',')
    const himacRow = csv.find((l) => l.startsWith('method,7,alfworld,himac,'))!.split(',')
    expect(Number(himacRow[head.indexOf('success')])).toBeCloseTo(0.6, 5)
    expect(Number(himacRow[head.indexOf('success_ci')])).toBeCloseTo(0.248434, 5)
    const curves = learningCurvesSvg(report)
    expect(curves.startsWith('<svg')).toBe(true)
    expect(curves.match(/<polygon /g)).toHaveLength(2)
    expect(curves).toContain('HiMAC (n=3)')
    const bars = finalSuccessSvg(report)
    expect(bars.match(/<rect x=/g)!.length).toBeGreaterThanOrEqual(2 + 2) // bars + legend keys
    expect(bars).toContain('60.0%')
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
  })
})

describe('study notes', () => {
  it('names the budget’s clock and mentions HiMAC’s cloning only for HiMAC warm starts', () => {
    const minutes = (clock: 'train' | 'wall'): StudySpec => ({
      ...spec,
      budget: { kind: 'minutes', minutes: 30, clock }
    })
    expect(budgetText(minutes('train'))).toBe(
      '30 minutes of training (evaluations not counted) per run'
    )
    expect(budgetText(minutes('wall'))).toBe('30 minutes of wall time per run')
    expect(budgetText(spec)).toBe('3 RL iterations per run')
    const flatOnly = warmStartNote({
      ...spec,
      methods: ['grpo'],
      warmStarts: { flat: '/w/flat.json', himac: null, fixedBudget: null }
    })
    expect(flatOnly).toContain('flat methods from `/w/flat.json`')
    expect(flatOnly).not.toContain('HiMAC')
    const both = warmStartNote({
      ...spec,
      warmStarts: { flat: '/w/flat.json', himac: '/w/himac.json', fixedBudget: null }
    })
    expect(both).toContain("HiMAC's planner and executor were cloned")
  })

  it('says the final evaluation follows the last update under either budget', () => {
    const final = (r: typeof report) => r.notes.find((n) => n.startsWith('Final = ')) ?? ''
    expect(final(report)).toContain('after its last update')
    const timed = buildStudyReport(
      {
        ...study,
        spec_json: JSON.stringify({
          ...spec,
          budget: { kind: 'minutes', minutes: 30, clock: 'train' }
        })
      },
      runs,
      metrics
    )
    expect(final(timed)).toContain('after its last update')
    expect(timed.notes.some((n) => n.includes('then evaluates the policy it ends with'))).toBe(true)
  })

  it('places a budget-stopped run’s final evaluation at the updates it follows', () => {
    const evals = new Map([
      [2, { 'eval/success_rate': 0.1 }],
      [4, { 'eval/success_rate': 0.2 }],
      [5, { 'eval/success_rate': 0.3 }]
    ])
    // Two cloning epochs, then 4 RL iterations planned: x = updates applied before each evaluation.
    const xs = (done: number) =>
      evalPoints({ iterations: 6, iterations_done: done }, evals, 2).map((p) => p.x)
    // Completed: the last planned iteration evaluates after its update.
    expect(xs(6)).toEqual([0, 2, 4])
    // Stopped by its budget after iteration 4: the final evaluation, recorded at 5, follows 3 updates.
    expect(xs(5)).toEqual([0, 2, 3])
  })
})
