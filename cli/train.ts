// `himac train`: one training run in this process, written to the database, with a progress bar.
import { SingleBar, Presets } from 'cli-progress'
import {
  experimentConfigSchema,
  plannedIterations,
  type ExperimentConfig,
  type ExperimentConfigInput
} from '../core/api/config'
import { validationError } from '../core/api/errors'
import { formatNumber } from '../core/format'
import { loadPresets } from '../core/api/presets'
import type { ZodError } from 'zod'
import { validateEnvConfig } from '../core/envs/registry'
import { openDatabase, StoreReader, StoreWriter, type Db } from '../core/store'
import { databaseFileErrorOf, DiskFullError } from '../core/store/db-file'
import { planResume, ResumeError, type ResumePlan } from '../core/train/resume'
import type { ResumeState } from '../core/train/trainer-state'
import { runExperiment } from '../core/train/run'
import { createStoreSink } from '../core/train/store-sink'
import { lmShapeInput, type LmShapeCliOptions } from './lm-options'
import {
  modelShapeText,
  readWarmStartConfig,
  warmStartFileProblem,
  withWarmStartRecipe,
  withWarmStartShape
} from '../core/train/lm/warm-start'

const FLAG_OF = {
  dModel: '--d-model',
  layers: '--layers',
  heads: '--heads',
  tiedHead: '--tied-head',
  markTaskWords: '--mark-task-words',
  markSubgoalWords: '--mark-subgoal-words',
  markActionWords: '--mark-action-words'
} as const

export type TrainCliOptions = LmShapeCliOptions & {
  db: string
  preset?: string
  name?: string
  env?: string
  algo?: string
  iterations?: number
  seed?: number
  groups?: number
  groupSize?: number
  lr?: number
  backend?: string
  evalEvery?: number
  evalEpisodes?: number
  checkpointEvery?: number
  hidden?: number[]
  evalTemperature?: number
  temperature?: number
  ppoEpochs?: number
  minibatches?: number
  clip?: number
  kl?: number
  entropy?: number
  advantageNorm?: string
  zeroVariance?: string
  policy?: string
  decoding?: string
  bcEpisodes?: number
  bcEpochs?: number
  warmStart?: string
  maxSubgoals?: number
  subgoalBudget?: number
  carrySteps?: number
  /** commander's --no-sub-done: false when given. */
  subDone?: boolean
  schedule?: string
  phaseBBlueprint?: string
  microAdvantage?: string
  webshopSubgoals?: string
  zStarTies?: string
  phaseA?: number
  phaseB?: number
  separateWeights?: boolean
  envConfig?: string
  alfworldData?: string
  webshopData?: string
  progress: boolean
  /** Continue this run from its newest checkpoint instead of starting a new one. */
  resume?: number
  /** With resume: the run is marked running but its process is known to be gone. */
  force?: boolean
}

export async function trainCommand(o: TrainCliOptions): Promise<number> {
  if (o.resume !== undefined) return resumeCommand(o, o.resume)
  const preset = o.preset ? loadPresets().find((p) => p.id === o.preset) : undefined
  if (o.preset && !preset) {
    console.error(
      `error: unknown preset '${o.preset}' (have: ${loadPresets()
        .map((p) => p.id)
        .join(', ')})`
    )
    return 2
  }
  const input: ExperimentConfigInput = {
    ...(preset?.config ?? {}),
    ...(o.env !== undefined ? { env: o.env as ExperimentConfigInput['env'] } : {}),
    ...(o.algo !== undefined ? { algo: o.algo as ExperimentConfigInput['algo'] } : {}),
    ...(o.iterations !== undefined ? { iterations: o.iterations } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.groups !== undefined ? { groupsPerIteration: o.groups } : {}),
    ...(o.groupSize !== undefined ? { groupSize: o.groupSize } : {}),
    ...(o.lr !== undefined ? { learningRate: o.lr } : {}),
    ...(o.backend !== undefined ? { backend: o.backend as ExperimentConfigInput['backend'] } : {}),
    ...(o.evalEvery !== undefined ? { evalEvery: o.evalEvery } : {}),
    ...(o.evalEpisodes !== undefined ? { evalEpisodes: o.evalEpisodes } : {}),
    ...(o.checkpointEvery !== undefined ? { checkpointEvery: o.checkpointEvery } : {}),
    ...(o.evalTemperature !== undefined ? { evalTemperature: o.evalTemperature } : {}),
    ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
    ...(o.ppoEpochs !== undefined ? { ppoEpochs: o.ppoEpochs } : {}),
    ...(o.minibatches !== undefined ? { minibatches: o.minibatches } : {}),
    ...(o.clip !== undefined ? { clipEpsilon: o.clip } : {}),
    ...(o.kl !== undefined ? { klCoef: o.kl } : {}),
    ...(o.entropy !== undefined ? { entropyCoef: o.entropy } : {}),
    ...(o.advantageNorm !== undefined
      ? { advantageNorm: o.advantageNorm as ExperimentConfigInput['advantageNorm'] }
      : {}),
    ...(o.zeroVariance !== undefined
      ? { zeroVarianceGroups: o.zeroVariance as ExperimentConfigInput['zeroVarianceGroups'] }
      : {})
  }
  const policy = { ...(input.policy ?? {}) }
  if (o.policy !== undefined) policy.kind = o.policy as 'mlp' | 'lm'
  if (o.hidden !== undefined) policy.hidden = o.hidden
  const lm = {
    ...(policy.lm ?? {}),
    ...lmShapeInput(o),
    ...(o.decoding !== undefined ? { decoding: o.decoding as 'constrained' | 'free' } : {})
  }
  const warmStart = {
    ...(policy.warmStart ?? {}),
    ...(o.bcEpisodes !== undefined ? { episodes: o.bcEpisodes } : {}),
    ...(o.bcEpochs !== undefined ? { epochs: o.bcEpochs } : {}),
    ...(o.warmStart !== undefined ? { from: o.warmStart } : {})
  }
  input.policy = { ...policy, lm, warmStart }
  input.himac = {
    ...(input.himac ?? {}),
    ...(o.maxSubgoals !== undefined ? { maxSubgoals: o.maxSubgoals } : {}),
    ...(o.subgoalBudget !== undefined ? { subgoalBudget: o.subgoalBudget } : {}),
    ...(o.carrySteps !== undefined ? { carrySteps: o.carrySteps } : {}),
    ...(o.subDone === false ? { subDone: false } : {}),
    ...(o.schedule !== undefined ? { schedule: o.schedule as 'alternate' | 'simultaneous' } : {}),
    ...(o.phaseBBlueprint !== undefined
      ? { phaseBBlueprint: o.phaseBBlueprint as 'best' | 'random' }
      : {}),
    ...(o.zStarTies !== undefined ? { zStarTies: o.zStarTies as 'logprob' | 'mean-logprob' } : {}),
    ...(o.microAdvantage !== undefined
      ? { microAdvantage: o.microAdvantage as 'episode' | 'gigpo' }
      : {}),
    ...(o.webshopSubgoals !== undefined
      ? { webshopSubgoals: o.webshopSubgoals as 'words' | 'values' }
      : {}),
    ...(o.phaseA !== undefined ? { phaseA: o.phaseA } : {}),
    ...(o.phaseB !== undefined ? { phaseB: o.phaseB } : {}),
    ...(o.separateWeights ? { sharedWeights: false } : {})
  }
  if (o.envConfig !== undefined) {
    try {
      input.envConfig = JSON.parse(o.envConfig) as Record<string, unknown>
    } catch (err) {
      console.error(`error: --env-config is not valid JSON: ${(err as Error).message}`)
      return 2
    }
  }
  // The real benchmarks' data folders (ALFWorld json_2.1.x layout, WebShop items_*.json files).
  if (o.alfworldData !== undefined)
    input.envConfig = { ...input.envConfig, source: 'files', dataDir: o.alfworldData }
  if (o.webshopData !== undefined) input.envConfig = { ...input.envConfig, dataDir: o.webshopData }
  const parsed = experimentConfigSchema.safeParse(input)
  if (!parsed.success) {
    console.error(`error: invalid config: ${validationError(parsed.error).message}`)
    return 2
  }
  let config = parsed.data
  try {
    validateEnvConfig(config)
  } catch (err) {
    console.error(`error: invalid config: ${validationError(err as ZodError).message}`)
    return 2
  }
  const from = config.policy.warmStart.from
  const problem = from !== null ? warmStartFileProblem(from, config) : null
  if (problem !== null) {
    console.error(`error: --warm-start: ${problem}`)
    return 2
  }
  if (from !== null) {
    // The run trains the warm start's model: its stored config says that shape, not the preset's.
    const cloned = readWarmStartConfig(from)
    const shaped = withWarmStartRecipe(withWarmStartShape(config, cloned), cloned)
    const given = {
      dModel: o.dModel,
      layers: o.layers,
      heads: o.heads,
      tiedHead: o.tiedHead ? true : undefined,
      markTaskWords: o.markTaskWords ? true : undefined,
      markSubgoalWords: o.markSubgoalWords ? true : undefined
    }
    const clash = (Object.keys(given) as (keyof typeof given)[]).filter(
      (k) => given[k] !== undefined && given[k] !== shaped.policy.lm[k]
    )
    if (clash.length > 0) {
      console.error(
        `error: --warm-start: ${from} holds a ${modelShapeText(shaped)} model; drop ${clash.map((k) => FLAG_OF[k]).join(', ')} or clone one of that size`
      )
      return 2
    }
    config = shaped
  }
  const db = openDatabase(o.db)
  const writer = new StoreWriter(db)
  const name = o.name ?? `${config.env}-${config.algo}-seed${config.seed}`
  const experimentId = writer.createExperiment(name, preset?.id ?? null, config)
  const runId = writer.createRun(experimentId, config)
  return trainInStore(o, db, writer, { runId, experimentId, config })
}

async function resumeCommand(o: TrainCliOptions, runId: number): Promise<number> {
  const db = openDatabase(o.db)
  let plan: ResumePlan
  try {
    plan = planResume(new StoreReader(db), runId, o.force ?? false)
  } catch (err) {
    db.close()
    if (!(err instanceof ResumeError)) throw err
    console.error(`error: cannot resume: ${err.message}`)
    return 2
  }
  const writer = new StoreWriter(db)
  writer.rewindRun(runId, plan.from)
  console.log(`resuming run ${runId} at iteration ${plan.from} of ${plan.run.iterations}`)
  return trainInStore(o, db, writer, {
    runId,
    experimentId: plan.run.experimentId,
    config: plan.config,
    ...(plan.state ? { resume: plan.state } : {})
  })
}

/** Trains `job` into the open store: progress, outcome, and the run's final status. */
export async function trainInStore(
  o: TrainCliOptions,
  db: Db,
  writer: StoreWriter,
  job: { runId: number; experimentId: number; config: ExperimentConfig; resume?: ResumeState }
): Promise<number> {
  const { runId, experimentId, config } = job
  const bar = new SingleBar(
    {
      format: 'train |{bar}| {value}/{total} it | {phase} | success {success} | return {ret}',
      hideCursor: true
    },
    Presets.shades_classic
  )
  let last = { success: '-', ret: '-' }
  const controller = new AbortController()
  const onSigint = (): void => controller.abort()
  process.once('SIGINT', onSigint)
  const sink = createStoreSink(writer, runId, {
    onStarted: (backend, notes, kernels) => {
      console.log(
        `run ${runId} (experiment ${experimentId}) on backend ${backend}${kernels ? ` — ${kernels}` : ''}`
      )
      for (const note of notes) console.log(`  ${note}`)
      if (o.progress) bar.start(plannedIterations(config), 0, { phase: 'start', ...last })
    },
    onProgress: (iteration, total, phase) => {
      if (!o.progress) return
      if (total !== bar.getTotal()) bar.setTotal(total)
      bar.update(iteration, { phase, ...last })
    },
    onMetrics: (iteration, values) => {
      last = {
        success: formatNumber(values['train/success_rate'] ?? values['eval/success_rate']),
        ret: formatNumber(values['train/mean_return'] ?? values['eval/mean_return'])
      }
      if (!o.progress) {
        const evalText =
          values['eval/success_rate'] !== undefined
            ? ` eval ${formatNumber(values['eval/success_rate'])}`
            : ''
        console.log(`it ${iteration} success ${last.success} return ${last.ret}${evalText}`)
      }
    }
  })
  try {
    const outcome = await runExperiment(config, sink, {
      signal: controller.signal,
      ...(job.resume ? { resume: job.resume } : {})
    })
    writer.finishRun(runId, outcome.status)
    if (o.progress) bar.stop()
    console.log(JSON.stringify({ runId, experimentId, db: o.db, ...outcome }, null, 2))
    return 0
  } catch (err) {
    if (o.progress) bar.stop()
    const message = err instanceof Error ? err.message : String(err)
    if (err instanceof DiskFullError) {
      // The run's row exists, so marking it failed needs no new page.
      writer.finishRun(runId, 'failed', message)
      throw err
    }
    const fileError = databaseFileErrorOf(o.db, err)
    if (fileError !== err) throw fileError
    writer.finishRun(runId, 'failed', message)
    throw err
  } finally {
    process.off('SIGINT', onSigint)
    db.close()
  }
}
