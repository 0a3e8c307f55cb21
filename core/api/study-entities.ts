// Reproduction studies (`himac repro`) as the API returns them: the list, and one study's report
// (computed from the metrics table by core/study/report.ts; the CLI writes the same report as
// Markdown, CSV and SVG). Plain JSON: missing values are null, never NaN.

export type StudyStatus = 'running' | 'stopped' | 'completed' | 'failed'

/** A mean with its Student-t 95 % interval over seeds (half-width; null for n < 2). */
export type CiValue = { n: number; mean: number | null; half: number | null; sd: number | null }

export type StudySummary = {
  id: number
  name: string
  env: string
  preset: string
  status: StudyStatus
  methods: string[]
  seeds: number[]
  /** "60 iterations" or "5 minutes per run". */
  budget: string
  runsPlanned: number
  runsCompleted: number
  createdAt: string
  endedAt: string | null
  error: string | null
}

export type StudyRunResult = {
  runId: number
  method: string
  seed: number
  status: string
  iterationsDone: number
  iterations: number
  /** RL updates done (iterations after the cloning epochs). */
  rlIterations: number
  /** The last evaluation (the final policy's, for a completed run). */
  finalSuccess: number | null
  finalGreedySuccess: number | null
  /** WebShop: 100 × the last evaluation's mean return. */
  finalScore: number | null
  finalMeanReturn: number | null
  /** ALFWorld: success per task type (verl-agent's keys) at the last evaluation. */
  taskSuccess: Record<string, number>
  /** Per target (same order as the report's targets): RL updates before it was first reached. */
  iterationsToTarget: (number | null)[]
  /** Sum of the stored iterations' perf/iteration_s (cloning included), in seconds. */
  wallTimeS: number
}

export type StudyMethodSummary = {
  method: string
  label: string
  runs: number
  completed: number
  finalSuccess: CiValue
  finalGreedySuccess: CiValue
  finalScore: CiValue
  finalMeanReturn: CiValue
  taskSuccess: Record<string, CiValue>
  /** Per target: mean ± CI over the runs that reached it, and how many did. */
  iterationsToTarget: { target: number; value: CiValue; reached: number; of: number }[]
  wallTimeS: CiValue
}

/** One learning curve: evaluation success over RL updates, mean ± CI over the method's runs. */
export type StudyCurve = {
  method: string
  label: string
  points: { x: number; mean: number; lo: number; hi: number; n: number }[]
}

export type PaperRow = {
  method: string
  label: string
  success: number | null
  successPm: number | null
  score: number | null
  scorePm: number | null
  iterationsToTarget: number | null
}

export type StudyReport = {
  study: StudySummary
  /** Success-rate targets of the iterations-to-target table (first: the paper's). */
  targets: number[]
  /** ALFWorld task-type keys present in the runs' evaluations (else empty). */
  taskTypes: string[]
  /** The paper's column name per task type (Pick, Look …). */
  taskTypeLabels: Record<string, string>
  methods: StudyMethodSummary[]
  runs: StudyRunResult[]
  curves: StudyCurve[]
  paper: {
    label: string
    /** The paper's target of its Table 4 for this env. */
    target: number
    rows: PaperRow[]
    /** ALFWorld per task type (%) for the baselines that have it. */
    taskRows: { method: string; label: string; cells: Record<string, number> }[]
  }
  /** The Table-3 ablations: each variant and the runs it reads ("w/o hierarchy" = GRPO's). */
  ablations: { variant: string; method: string }[]
  notes: string[]
  /** Total training wall time of the study's stored iterations, seconds. */
  totalWallTimeS: number
}

/** One colour per study method, the same in the report's SVG plots and in the app's charts. */
export const METHOD_COLORS: Readonly<Record<string, string>> = {
  himac: '#2563eb',
  grpo: '#dc2626',
  gigpo: '#16a34a',
  rloo: '#9333ea',
  'himac-simultaneous': '#ea580c',
  'himac-fixed-budget': '#0891b2',
  'himac-random-blueprint': '#a16207'
}
export const methodColor = (method: string): string => METHOD_COLORS[method] ?? '#4b5563'

/** The per-task table's title: ALFWorld's task types, WebShop's product categories. */
export function taskTableTitle(env: string): string {
  return env === 'webshop'
    ? 'WebShop success per product category'
    : 'ALFWorld success per task type'
}
