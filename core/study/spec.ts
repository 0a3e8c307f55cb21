// What a reproduction study (`himac repro`) runs: methods × seeds on one environment, from one base
// config (the same model, warm-start recipe, groups, evaluation) and one budget (RL iterations, or
// minutes of training per run). Stored with the study (studies.spec_json).
import { z } from 'zod'
import {
  envKindSchema,
  experimentConfigSchema,
  type ExperimentConfig,
  type ExperimentConfigInput
} from '../api/config'

/**
 * The methods: HiMAC, the flat baselines and the ablations of the paper's Table 3. "w/o hierarchy"
 * is flat GRPO (the paper's own reading: its row equals GRPO's), so the report reuses the `grpo`
 * runs for it instead of training them twice.
 */
export const STUDY_METHODS = [
  'himac',
  'grpo',
  'gigpo',
  'rloo',
  'himac-simultaneous',
  'himac-fixed-budget',
  'himac-random-blueprint'
] as const
export const studyMethodSchema = z.enum(STUDY_METHODS)
export type StudyMethod = z.infer<typeof studyMethodSchema>

export const METHOD_LABELS: Record<StudyMethod, string> = {
  himac: 'HiMAC',
  grpo: 'GRPO (flat)',
  gigpo: 'GiGPO',
  rloo: 'RLOO',
  'himac-simultaneous': 'HiMAC w/o co-evolution (simultaneous)',
  'himac-fixed-budget': 'HiMAC w/o <sub_done> (fixed budget)',
  'himac-random-blueprint': 'HiMAC random blueprint in Phase B'
}

/** What a minutes budget counts: training time (evaluations left out) or all the wall time. */
export const BUDGET_CLOCKS = ['train', 'wall'] as const
export type BudgetClock = (typeof BUDGET_CLOCKS)[number]

export const budgetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('iterations'), iterations: z.int().min(1).max(100_000) }).strict(),
  /**
   * Minutes per run; iterations run until the time is spent. `clock: 'train'` counts cloning,
   * rollouts, updates and storage but not the held-out evaluations (`perf/iteration_s` −
   * `perf/eval_s`); `'wall'` counts everything (studies stored before the clock existed).
   */
  z
    .object({
      kind: z.literal('minutes'),
      minutes: z.number().positive().max(100_000),
      clock: z.enum(BUDGET_CLOCKS).default('wall')
    })
    .strict()
])
export type StudyBudget = z.infer<typeof budgetSchema>

export const studySpecSchema = z
  .object({
    env: envKindSchema,
    preset: z.enum(['quick', 'full']),
    methods: z.array(studyMethodSchema).min(1),
    seeds: z.array(z.int().min(0)).min(1),
    budget: budgetSchema,
    /** Every run's config before its method is applied (algo, seed and iterations are set per run). */
    base: experimentConfigSchema,
    /** Success rates whose first crossing the report counts (iterations-to-target). */
    targets: z.array(z.number().min(0).max(1)).min(1),
    /** The preset's stated time for the whole study on this machine (minutes), if known. */
    expectedMinutes: z.number().positive().nullable(),
    /**
     * Saved warm starts (`himac warmstart --out`) every run of a kind starts from instead of cloning
     * its own: `flat` for GRPO / GiGPO / RLOO, `himac` for the HiMAC variants with `<sub_done>`,
     * `fixedBudget` for the fixed-budget ablation (cloned at its budget switches); null = clone per run.
     */
    warmStarts: z
      .object({
        flat: z.string().min(1).nullable(),
        himac: z.string().min(1).nullable(),
        fixedBudget: z.string().min(1).nullable().default(null)
      })
      .strict()
      .default({ flat: null, himac: null, fixedBudget: null })
  })
  .strict()
export type StudySpec = z.infer<typeof studySpecSchema>

/** Iterations a run is given under a wall-clock budget: more than it can reach; time ends it. */
export const MINUTES_BUDGET_ITERATION_CAP = 100_000

/** Which saved warm start a method's runs start from (`StudySpec.warmStarts`). */
export function warmStartKind(method: StudyMethod): 'flat' | 'himac' | 'fixedBudget' {
  if (method === 'grpo' || method === 'gigpo' || method === 'rloo') return 'flat'
  return method === 'himac-fixed-budget' ? 'fixedBudget' : 'himac'
}

/** The config of one run of the study. */
export function methodConfig(spec: StudySpec, method: StudyMethod, seed: number): ExperimentConfig {
  const base = spec.base
  const himac = { ...base.himac }
  let algo: ExperimentConfig['algo'] = 'himac'
  switch (method) {
    case 'himac':
      break
    case 'grpo':
    case 'gigpo':
    case 'rloo':
      algo = method
      break
    case 'himac-simultaneous':
      himac.schedule = 'simultaneous'
      break
    case 'himac-fixed-budget':
      himac.subDone = false
      break
    case 'himac-random-blueprint':
      himac.phaseBBlueprint = 'random'
      break
  }
  const iterations =
    spec.budget.kind === 'iterations' ? spec.budget.iterations : MINUTES_BUDGET_ITERATION_CAP
  const from = spec.warmStarts[warmStartKind(method)]
  const input: ExperimentConfigInput = {
    ...base,
    algo,
    seed,
    iterations,
    policy: {
      ...base.policy,
      kind: 'lm',
      ...(from !== null ? { warmStart: { ...base.policy.warmStart, from } } : {})
    },
    himac: algo === 'himac' ? himac : base.himac
  }
  return experimentConfigSchema.parse(input)
}

/** The planned runs in the order they execute: seed by seed, every method of a seed in turn. */
export function plannedRuns(spec: StudySpec): { method: StudyMethod; seed: number }[] {
  return spec.seeds.flatMap((seed) => spec.methods.map((method) => ({ method, seed })))
}
