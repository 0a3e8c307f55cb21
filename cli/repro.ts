// `himac repro`: a reproduction study — HiMAC, the flat baselines and the Table-3 ablations on one
// environment, several seeds each, one warm-start recipe and one budget — run one after another in
// this process into the database as one study, then its report written to a folder.
import fs from 'node:fs'
import path from 'node:path'
import { SingleBar, Presets } from 'cli-progress'
import { z } from 'zod'
import { envKindSchema, plannedIterations } from '../core/api/config'
import { openDatabase, type Db } from '../core/store'
import { StudyStore, studyRunIndex } from '../core/store/study-queries'
import { reportCsv, reportMarkdown } from '../core/study/markdown'
import { expectedMinutes, studyPreset, studyTargets } from '../core/study/presets'
import { budgetText, studyReport } from '../core/study/report'
import {
  budgetSeconds,
  claimStudy,
  createStudy,
  readSpec,
  runStudy,
  StudyError
} from '../core/study/runner'
import {
  BUDGET_CLOCKS,
  METHOD_LABELS,
  methodConfig,
  plannedRuns,
  STUDY_METHODS,
  studySpecSchema,
  warmStartKind,
  type StudySpec
} from '../core/study/spec'
import { finalSuccessSvg, learningCurvesSvg } from '../core/study/svg'
import { validateEnvConfig } from '../core/envs/registry'
import {
  modelShapeText,
  readWarmStartConfig,
  warmStartFileProblem,
  withWarmStartShape
} from '../core/train/lm/warm-start'
import { UsageError } from './errors'

export type ReproCliOptions = {
  env?: string
  quick?: boolean
  seeds?: string
  methods?: string
  iterations?: string
  minutes?: string
  clock?: string
  evalEvery?: string
  evalEpisodes?: string
  warmStart?: string
  himacWarmStart?: string
  fixedBudgetWarmStart?: string
  lr?: string
  entropy?: string
  envConfig?: string
  name?: string
  db: string
  out?: string
  resume?: string
  report?: string
  progress: boolean
}

const positiveInt = (what: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${what} must be a whole number`)
    .transform(Number)
    .pipe(z.int().min(min, `${what} must be at least ${min}`).max(max, `${what} is at most ${max}`))

const optionsSchema = z
  .object({
    env: envKindSchema.optional(),
    quick: z.boolean().optional(),
    seeds: positiveInt('--seeds', 3, 100).optional(),
    methods: z
      .string()
      .transform((s) => s.split(',').map((m) => m.trim()))
      .pipe(
        z
          .array(
            z.enum(STUDY_METHODS, {
              error: (i) =>
                `unknown method '${String(i.input)}' (have: ${STUDY_METHODS.join(', ')})`
            })
          )
          .min(1)
          .refine((ms) => new Set(ms).size === ms.length, 'a method is listed twice')
      )
      .optional(),
    iterations: positiveInt('--iterations', 1, 100_000).optional(),
    minutes: z
      .string()
      .regex(/^\d+(\.\d+)?$/, '--minutes must be a positive number')
      .transform(Number)
      .pipe(z.number().positive('--minutes must be positive').max(100_000))
      .optional(),
    clock: z.enum(BUDGET_CLOCKS, { error: () => '--clock must be train or wall' }).optional(),
    evalEvery: positiveInt('--eval-every', 1, 100_000).optional(),
    evalEpisodes: positiveInt('--eval-episodes', 1, 1000).optional(),
    warmStart: z.string().min(1).optional(),
    himacWarmStart: z.string().min(1).optional(),
    fixedBudgetWarmStart: z.string().min(1).optional(),
    lr: z
      .string()
      .transform(Number)
      .pipe(z.number('--lr must be a number').positive('--lr must be positive').max(1))
      .optional(),
    entropy: z
      .string()
      .transform(Number)
      .pipe(z.number('--entropy must be a number').min(0, '--entropy must be ≥ 0').max(1))
      .optional(),
    envConfig: z
      .string()
      .transform((s, ctx) => {
        try {
          const v: unknown = JSON.parse(s)
          if (typeof v === 'object' && v !== null && !Array.isArray(v))
            return v as Record<string, unknown>
          ctx.addIssue({ code: 'custom', message: '--env-config must be a JSON object' })
        } catch (err) {
          ctx.addIssue({
            code: 'custom',
            message: `--env-config is not valid JSON: ${(err as Error).message}`
          })
        }
        return z.NEVER
      })
      .optional(),
    name: z.string().trim().min(1, '--name is empty').max(200).optional(),
    db: z.string().min(1),
    out: z.string().min(1).optional(),
    resume: positiveInt('--resume', 1, Number.MAX_SAFE_INTEGER).optional(),
    report: positiveInt('--report', 1, Number.MAX_SAFE_INTEGER).optional(),
    progress: z.boolean()
  })
  .strict()
  .superRefine((o, ctx) => {
    const issue = (message: string): void => ctx.addIssue({ code: 'custom', message })
    const modes = [o.env !== undefined, o.resume !== undefined, o.report !== undefined].filter(
      Boolean
    ).length
    if (modes === 0) issue('repro needs --env (a new study), --resume ID or --report ID')
    else if (modes > 1) issue('choose one of --env, --resume ID and --report ID')
    const shape = [
      ['--quick', o.quick],
      ['--seeds', o.seeds],
      ['--methods', o.methods],
      ['--iterations', o.iterations],
      ['--minutes', o.minutes],
      ['--clock', o.clock],
      ['--eval-every', o.evalEvery],
      ['--eval-episodes', o.evalEpisodes],
      ['--warm-start', o.warmStart],
      ['--himac-warm-start', o.himacWarmStart],
      ['--fixed-budget-warm-start', o.fixedBudgetWarmStart],
      ['--lr', o.lr],
      ['--entropy', o.entropy],
      ['--env-config', o.envConfig],
      ['--name', o.name]
    ] as const
    if (o.env === undefined)
      for (const [flag, v] of shape)
        if (v !== undefined && v !== false)
          issue(`${flag} shapes a new study; --resume and --report take the stored one`)
    if (o.iterations !== undefined && o.minutes !== undefined)
      issue('choose one budget: --iterations or --minutes')
    if (o.clock !== undefined && o.minutes === undefined)
      issue('--clock goes with a --minutes budget')
  })

type ParsedOptions = z.infer<typeof optionsSchema>

function parseOptions(o: ReproCliOptions): ParsedOptions {
  const parsed = optionsSchema.safeParse(o)
  if (!parsed.success) {
    const first = parsed.error.issues[0]!
    const field = first.path.length > 0 ? `--${String(first.path[0])}: ` : ''
    const message = first.message.startsWith('--') ? first.message : `${field}${first.message}`
    throw new UsageError(message)
  }
  return parsed.data
}

/** The spec of a new study from the options (no file written; saved warm starts are read and checked). */
export function specFromOptions(o: ParsedOptions): StudySpec {
  const env = o.env!
  const presetName = o.quick ? 'quick' : 'full'
  const preset = studyPreset(env, presetName)
  const methods = o.methods ?? [...STUDY_METHODS]
  const seeds = Array.from({ length: o.seeds ?? 3 }, (_, i) => i)
  const budget =
    o.minutes !== undefined
      ? ({ kind: 'minutes', minutes: o.minutes, clock: o.clock ?? 'train' } as const)
      : ({ kind: 'iterations', iterations: o.iterations ?? preset.iterations } as const)
  const spec: StudySpec = {
    env,
    preset: presetName,
    methods,
    seeds,
    budget,
    // A short minutes budget may end a run before the preset's next evaluation: --eval-every.
    base: {
      ...preset.base,
      ...(o.evalEvery !== undefined ? { evalEvery: o.evalEvery } : {}),
      ...(o.evalEpisodes !== undefined ? { evalEpisodes: o.evalEpisodes } : {}),
      ...(o.lr !== undefined ? { learningRate: o.lr } : {}),
      ...(o.entropy !== undefined ? { entropyCoef: o.entropy } : {}),
      // Training and held-out episodes both (the held-out split overlays it).
      ...(o.envConfig !== undefined
        ? { envConfig: { ...preset.base.envConfig, ...o.envConfig } }
        : {})
    },
    targets: studyTargets(env, preset),
    expectedMinutes: null,
    warmStarts: {
      flat: o.warmStart !== undefined ? path.resolve(o.warmStart) : null,
      himac: o.himacWarmStart !== undefined ? path.resolve(o.himacWarmStart) : null,
      fixedBudget:
        o.fixedBudgetWarmStart !== undefined ? path.resolve(o.fixedBudgetWarmStart) : null
    }
  }
  spec.expectedMinutes = Math.round(expectedMinutes(spec, preset) * 10) / 10
  const parsed = studySpecSchema.parse(spec)
  try {
    validateEnvConfig(parsed.base)
  } catch (err) {
    const issue = err instanceof z.ZodError ? err.issues[0] : undefined
    throw new UsageError(
      `--env-config: ${issue ? `${issue.path.slice(1).join('.') || 'options'}: ${issue.message}` : String(err)}`
    )
  }
  checkStudyWarmStarts(parsed)
  return withSavedModelShape(parsed)
}

/**
 * The study's model shape from its saved warm starts (their weights fix it), so that its runs'
 * stored configs and its report name the model trained; refused when they differ (one comparison,
 * one model).
 */
function withSavedModelShape(spec: StudySpec): StudySpec {
  const saved = Object.values(spec.warmStarts).filter((f): f is string => f !== null)
  if (saved.length === 0) return spec
  const shaped = saved.map((f) => withWarmStartShape(spec.base, readWarmStartConfig(f)))
  const texts = shaped.map(modelShapeText)
  if (new Set(texts).size > 1)
    throw new UsageError(
      `the saved warm starts hold different models (${saved.map((f, i) => `${f}: ${texts[i]}`).join('; ')}): clone them alike`
    )
  return { ...spec, base: shaped[0]! }
}

const WARM_START_FLAGS = {
  flat: ['--warm-start', 'himac warmstart'],
  himac: ['--himac-warm-start', 'himac warmstart --algo himac'],
  fixedBudget: ['--fixed-budget-warm-start', 'himac warmstart --algo himac --no-sub-done']
} as const

/**
 * Refuses saved warm starts that cannot start the runs they are given to (no such method in the
 * study, a missing or damaged file, another env, the other kind of policy, with or without
 * `<sub_done>`, another WebShop click or Sokoban view), and a study where some methods would start
 * from saved warm starts and others clone their own (two recipes in one comparison), before
 * anything is written.
 */
export function checkStudyWarmStarts(spec: StudySpec): void {
  const kinds = ['flat', 'himac', 'fixedBudget'] as const
  const anySaved = kinds.some((k) => spec.warmStarts[k] !== null)
  for (const kind of kinds) {
    const [flag, command] = WARM_START_FLAGS[kind]
    const file = spec.warmStarts[kind]
    const methods = spec.methods.filter((m) => warmStartKind(m) === kind)
    if (file === null) {
      if (anySaved && methods.length > 0)
        throw new UsageError(
          `${flag}: the study's ${methods.join(', ')} runs need a saved warm start too (\`${command}\`): give every method one, or none`
        )
      continue
    }
    if (methods.length === 0)
      throw new UsageError(
        `${flag}: no method of this study starts from it (--methods ${spec.methods.join(',')})`
      )
    const why = warmStartFileProblem(file, methodConfig(spec, methods[0]!, spec.seeds[0] ?? 0))
    if (why !== null) throw new UsageError(`${flag}: ${why}`)
  }
}

const fmtDuration = (s: number): string => {
  if (!Number.isFinite(s)) return '?'
  // Whole seconds first: 179.6 s is 3m00s, not 2m60s.
  const t = Math.round(s)
  const m = Math.floor(t / 60)
  const h = Math.floor(m / 60)
  return h > 0
    ? `${h}h${String(m % 60).padStart(2, '0')}m`
    : `${m}m${String(t % 60).padStart(2, '0')}s`
}

/** Writes report.md, results.csv and the two SVG plots; returns the folder. */
export function writeReport(db: Db, studyId: number, out: string): string {
  const report = studyReport(db, studyId)
  if (!report) throw new UsageError(`study ${studyId} does not exist`)
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(path.join(out, 'report.md'), reportMarkdown(report))
  fs.writeFileSync(path.join(out, 'results.csv'), reportCsv(report))
  fs.writeFileSync(path.join(out, 'learning-curves.svg'), learningCurvesSvg(report))
  fs.writeFileSync(path.join(out, 'final-success.svg'), finalSuccessSvg(report))
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(report, null, 2))
  return out
}

/**
 * The default report folder, `repro-<env>-<id>` in the working directory. Study ids restart at 1 in
 * every database, so a folder that already holds another study's report (another database, or the
 * same id created at another time) is refused rather than overwritten.
 */
function defaultOut(db: Db, studyId: number): string {
  const study = new StudyStore(db).get(studyId)
  if (!study) throw new UsageError(`study ${studyId} does not exist`)
  const out = `repro-${study.env}-${studyId}`
  const previous = path.join(out, 'report.json')
  if (fs.existsSync(previous)) {
    const theirs = (
      JSON.parse(fs.readFileSync(previous, 'utf8')) as { study?: { createdAt?: string } }
    ).study?.createdAt
    if (theirs !== study.created_at)
      throw new UsageError(
        `${out}/ holds the report of another study (created ${theirs ?? 'at an unknown time'}); ` +
          'give --out for this one'
      )
  }
  return out
}

function checkOut(out: string | undefined): void {
  if (out !== undefined && fs.existsSync(out) && !fs.statSync(out).isDirectory())
    throw new UsageError(`--out ${out} is a file; give a folder`)
}

function mustExist(db: string): void {
  if (!fs.existsSync(db)) throw new UsageError(`database ${db} does not exist; nothing was changed`)
}

export async function reproCommand(raw: ReproCliOptions): Promise<number> {
  const o = parseOptions(raw)
  checkOut(o.out)
  if (o.report !== undefined) {
    mustExist(o.db)
    const db = openDatabase(o.db)
    try {
      if (!new StudyStore(db).get(o.report))
        throw new UsageError(`study ${o.report} does not exist in ${o.db}`)
      const out = writeReport(db, o.report, o.out ?? defaultOut(db, o.report))
      console.log(`wrote ${out}/report.md, results.csv, learning-curves.svg, final-success.svg`)
      return 0
    } finally {
      db.close()
    }
  }
  let db: Db
  let studyId: number
  let spec: StudySpec
  if (o.resume !== undefined) {
    mustExist(o.db)
    db = openDatabase(o.db)
    try {
      spec = claimStudy(db, o.resume)
    } catch (err) {
      db.close()
      if (err instanceof StudyError) throw new UsageError(`cannot resume: ${err.message}`)
      throw err
    }
    studyId = o.resume
    console.log(`resuming study ${studyId}`)
  } else {
    spec = specFromOptions(o)
    db = openDatabase(o.db)
    const name =
      o.name ??
      `${spec.env} ${spec.preset}: ${spec.methods.length} methods × ${spec.seeds.length} seeds`
    studyId = createStudy(db, name, spec)
    console.log(`study ${studyId} (${name}) in ${o.db}`)
  }
  let out: string
  try {
    out = o.out ?? defaultOut(db, studyId)
  } catch (err) {
    db.close()
    throw err
  }
  return executeStudy(db, studyId, spec, { ...o, out })
}

async function executeStudy(
  db: Db,
  studyId: number,
  spec: StudySpec,
  o: ParsedOptions & { out: string }
): Promise<number> {
  const plan = plannedRuns(spec)
  const iterationsOf = new Map(
    plan.map((p) => [
      `${p.method}/${p.seed}`,
      plannedIterations(methodConfig(spec, p.method, p.seed))
    ])
  )
  const minutesBudget = spec.budget.kind === 'minutes' ? spec.budget.minutes : null
  const trainClock = spec.budget.kind === 'minutes' && spec.budget.clock === 'train'
  const units = (key: string): number =>
    minutesBudget !== null ? minutesBudget * 60 : (iterationsOf.get(key) ?? 0)
  const total = plan.reduce((s, p) => s + units(`${p.method}/${p.seed}`), 0)
  const store = new StudyStore(db)
  const doneBefore = (): number => {
    const index = studyRunIndex(store.runs(studyId))
    return plan.reduce((s, p) => {
      const key = `${p.method}/${p.seed}`
      return s + (index.get(key)?.status === 'completed' ? units(key) : 0)
    }, 0)
  }
  console.log(
    `${spec.methods.length} methods (${spec.methods.join(', ')}) × seeds ${spec.seeds.join(', ')} on ${spec.env}, ` +
      `${budgetText(spec)}, preset ${spec.preset} (d${spec.base.policy.lm.dModel} × ${spec.base.policy.lm.layers}, ` +
      `${spec.base.groupsPerIteration} groups × ${spec.base.groupSize}, ${spec.base.evalEpisodes} eval episodes)`
  )
  for (const [who, file] of [
    ['flat', spec.warmStarts.flat],
    ['HiMAC', spec.warmStarts.himac],
    ['fixed-budget', spec.warmStarts.fixedBudget]
  ] as const)
    if (file !== null) console.log(`${who} runs start from the saved warm start ${file}`)
  if (spec.expectedMinutes !== null)
    console.log(
      `expected time: about ${fmtDuration(spec.expectedMinutes * 60)} for the whole study on a 2-core machine (measured per run; progress and ETA below)`
    )
  const bar = new SingleBar(
    {
      format:
        'study |{bar}| {percentage}% | run {run}/{runs} {method} seed {seed} it {it} | {phase} | ETA {etaText}',
      hideCursor: true
    },
    Presets.shades_classic
  )
  const t0 = performance.now()
  let base = doneBefore()
  const startDone = base
  let current = 0
  let runStart = 0
  let trainSeconds = 0
  // Under a minutes budget a run's units are its seconds (on the training clock, those of its
  // finished iterations without their evaluations): the iteration count means nothing there.
  const runDone = (iteration: number): number =>
    minutesBudget === null
      ? iteration
      : Math.min(units(''), trainClock ? trainSeconds : (performance.now() - runStart) / 1000)
  const itText = (iteration: number, of: number): string =>
    minutesBudget !== null
      ? `${iteration} (${fmtDuration(runDone(iteration))} of ${minutesBudget} min)`
      : `${iteration}/${of}`
  const eta = (done: number): string => {
    const elapsed = (performance.now() - t0) / 1000
    const rate = (done - startDone) / Math.max(elapsed, 1e-9)
    return done > startDone ? fmtDuration((total - done) / rate) : '?'
  }
  let payload = {
    run: 0,
    runs: plan.length,
    method: '',
    seed: 0,
    it: '',
    phase: 'start',
    etaText: '?'
  }
  if (o.progress) bar.start(total, base, payload)
  const controller = new AbortController()
  const onSigint = (): void => {
    controller.abort()
    if (!o.progress) console.log('stopping after this iteration (the run keeps its checkpoint)')
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)
  let outcome: 'completed' | 'stopped'
  try {
    outcome = await runStudy(db, studyId, {
      signal: controller.signal,
      hooks: {
        skipped: (method, seed, runId) => {
          if (!o.progress) console.log(`skip ${method} seed ${seed}: run ${runId} is completed`)
        },
        runStarted: (info) => {
          base = doneBefore()
          runStart = performance.now()
          trainSeconds = 0
          current = minutesBudget !== null ? 0 : info.from
          payload = {
            ...payload,
            run: info.index + 1,
            method: info.method,
            seed: info.seed,
            it: itText(info.from, info.iterations),
            phase: info.from > 0 ? 'resume' : 'start'
          }
          if (o.progress) bar.update(base + current, payload)
          else
            console.log(
              `[${info.index + 1}/${info.count}] ${METHOD_LABELS[info.method]} seed ${info.seed}: run ${info.runId}` +
                (info.from > 0 ? `, resumed at iteration ${info.from}` : '')
            )
        },
        iteration: (info, iteration, phase) => {
          current = runDone(iteration)
          payload = {
            ...payload,
            it: itText(iteration, info.iterations),
            phase,
            etaText: eta(base + current)
          }
          if (o.progress) bar.update(base + current, payload)
        },
        metrics: (info, iteration, values) => {
          trainSeconds += budgetSeconds(values, 'train')
          if (o.progress) return
          const ev = values['eval/success_rate']
          const done = base + runDone(iteration + 1)
          console.log(
            `  it ${itText(iteration + 1, info.iterations)}` +
              (ev !== undefined ? ` eval success ${ev.toFixed(3)}` : '') +
              ` (${(values['perf/iteration_s'] ?? 0).toFixed(1)} s) | study ${Math.round((100 * done) / total)}%, ETA ${eta(done)}`
          )
        },
        runEnded: (info, status) => {
          if (!o.progress) console.log(`  run ${info.runId} ${status}`)
        }
      }
    })
  } catch (err) {
    if (o.progress) bar.stop()
    console.error(
      `study ${studyId} failed; resume with: himac repro --resume ${studyId} --db ${o.db}`
    )
    throw err
  } finally {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
  }
  if (o.progress) {
    bar.update(outcome === 'completed' ? total : doneBefore(), { ...payload, phase: outcome })
    bar.stop()
  }
  const wall = (performance.now() - t0) / 1000
  try {
    writeReport(db, studyId, o.out)
    const report = studyReport(db, studyId)!
    console.log(`study ${studyId} ${outcome} in ${fmtDuration(wall)} (this process)`)
    for (const m of report.methods) {
      const s = m.finalSuccess
      console.log(
        `  ${m.label.padEnd(40)} success ${s.mean === null ? '—' : s.mean.toFixed(3)}` +
          (s.half !== null ? ` ± ${s.half.toFixed(3)}` : '') +
          ` (${m.completed}/${m.runs} runs)`
      )
    }
    console.log(`report: ${o.out}/report.md`)
    if (outcome === 'stopped')
      console.log(`resume with: himac repro --resume ${studyId} --db ${o.db}`)
  } finally {
    db.close()
  }
  return outcome === 'completed' ? 0 : 130
}

/** For tests: the spec a set of options makes (validated like the command). */
export function reproSpec(o: ReproCliOptions): StudySpec {
  return specFromOptions(parseOptions(o))
}

export { readSpec }
