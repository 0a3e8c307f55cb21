// `himac warmstart`: behaviour-clone the LM agent from the searching demonstrators once and save it,
// so that many runs (every algorithm of a comparison) start from the same weights.
import fs from 'node:fs'
import { experimentConfigSchema, type ExperimentConfigInput } from '../core/api/config'
import { validationError } from '../core/api/errors'
import { formatNumber } from '../core/format'
import { selectBackend } from '../core/train/backend'
import { installNativeKernels } from '../core/train/native'
import { lmCheckpoint } from '../core/train/lm/checkpoint'
import { lmAgentOptionsFor } from '../core/train/lm/setup'
import { cloneFromDemonstrations } from '../core/train/lm/warm-start'
import { himacOptionsFor } from '../core/train/himac/options'
import { cloneHimacFromDemonstrations } from '../core/train/himac/warm-start'
import type { DemoEpisode } from '../core/agent/demonstrators'
import type { TransformerLM } from '../core/agent/models/transformer'
import type { Tokenizer } from '../core/agent/tokenizer'
import { UsageError } from './errors'
import { lmShapeInput, type LmShapeCliOptions } from './lm-options'

export type WarmstartCliOptions = LmShapeCliOptions & {
  env: string
  /** `himac`: clone planner and executor (one model) for HiMAC runs; otherwise the flat agent. */
  algo?: string
  /** HiMAC: clone the executor at fixed-budget subgoal switches, without `<sub_done>`. */
  subDone?: boolean
  webshopSubgoals?: string
  out: string
  episodes?: number
  epochs?: number
  seed?: number
  envConfig?: string
  backend?: string
}

export async function warmstartCommand(o: WarmstartCliOptions): Promise<number> {
  if (fs.existsSync(o.out)) throw new UsageError(`--out ${o.out} exists; choose a new file`)
  let envConfig: Record<string, unknown> = {}
  if (o.envConfig !== undefined) {
    try {
      envConfig = JSON.parse(o.envConfig) as Record<string, unknown>
    } catch (err) {
      throw new UsageError(`--env-config is not valid JSON: ${(err as Error).message}`)
    }
  }
  const input: ExperimentConfigInput = {
    env: o.env as ExperimentConfigInput['env'],
    algo: o.algo === 'himac' ? 'himac' : 'grpo',
    envConfig,
    himac: {
      ...(o.subDone === false ? { subDone: false } : {}),
      ...(o.webshopSubgoals !== undefined
        ? { webshopSubgoals: o.webshopSubgoals as 'words' | 'values' }
        : {})
    },
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.backend !== undefined ? { backend: o.backend as ExperimentConfigInput['backend'] } : {}),
    policy: {
      kind: 'lm',
      lm: lmShapeInput(o),
      warmStart: {
        ...(o.episodes !== undefined ? { episodes: o.episodes } : {}),
        ...(o.epochs !== undefined ? { epochs: o.epochs } : {})
      }
    }
  }
  const parsed = experimentConfigSchema.safeParse(input)
  if (!parsed.success) {
    throw new UsageError(`invalid config: ${validationError(parsed.error).message}`)
  }
  const config = parsed.data
  const backend = await selectBackend(config.backend)
  installNativeKernels({ enabled: config.nativeKernels === 'auto' })
  const role = config.algo === 'himac' ? ' (HiMAC: planner and executor, one model)' : ''
  console.log(
    `cloning ${config.policy.warmStart.episodes} ${config.env} demonstrations for ${config.policy.warmStart.epochs} epochs${role} on ${backend.backend}`
  )
  const t0 = performance.now()
  const printDemos = (demos: readonly DemoEpisode[]): void => {
    const wins = demos.filter((d) => d.success).length
    console.log(
      `  demonstrations: ${wins}/${demos.length} succeeded (the successful ones are cloned)`
    )
  }
  const agentOptions = lmAgentOptionsFor(config)
  let model: TransformerLM
  let tokenizer: Tokenizer
  if (config.algo === 'himac') {
    const start = await cloneHimacFromDemonstrations(
      config,
      himacOptionsFor(config),
      agentOptions,
      (e, demos) => {
        if (e.epoch === 0) printDemos(demos)
        const v = e.values
        console.log(
          `  epoch ${e.epoch + 1}: loss ${formatNumber(v['bc/loss'] ?? NaN)}, ${v['bc/plans']} blueprints, ${v['bc/skipped_demos']} demonstrations skipped (${(v['perf/iteration_s'] ?? 0).toFixed(1)} s)`
        )
        return true
      }
    )
    model = start.planner
    tokenizer = start.tokenizer
  } else {
    const start = await cloneFromDemonstrations(config, agentOptions, (e, demos) => {
      if (e.epoch === 0) printDemos(demos)
      const held = e.heldOutLoss !== null ? ` held-out ${formatNumber(e.heldOutLoss)}` : ''
      console.log(
        `  epoch ${e.epoch + 1}: loss ${formatNumber(e.loss)}${held} (${e.seconds.toFixed(1)} s)`
      )
      return true
    })
    model = start.model
    tokenizer = start.tokenizer
  }
  fs.writeFileSync(o.out, JSON.stringify(lmCheckpoint(model, tokenizer, config)))
  model.dispose()
  console.log(`wrote ${o.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  return 0
}
