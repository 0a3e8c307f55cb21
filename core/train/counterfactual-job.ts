// One counterfactual made and stored: the origin episode and its steps read, the policy of a run
// loaded (after the tfjs backend is chosen), the episode continued, and the result written as an
// episode linked to its origin. Shared by `himac counterfactual` and the API.
import type { Counterfactual } from '../api/entities'
import type { StoreReader, StoreWriter } from '../store'
import { selectBackend } from './backend'
import {
  counterfactualEpisode,
  CounterfactualError,
  type CounterfactualEdit
} from './counterfactual'
import { runPolicy } from './lm/run-policy'
import { installNativeKernels } from './native'

export type CounterfactualRequest = {
  episodeId: number
  edit: CounterfactualEdit
  /** The run whose newest policy continues the episode (default: the episode's own run). */
  policyRunId?: number
  /** That run's checkpoint at (or the newest before) this iteration, instead of its newest. */
  policyIteration?: number
  temperature: number
  seed: number
}

export async function makeCounterfactual(
  reader: StoreReader,
  writer: StoreWriter,
  req: CounterfactualRequest
): Promise<{ episodeId: number; meta: Counterfactual }> {
  const origin = reader.getEpisode(req.episodeId)
  if (!origin) throw new CounterfactualError(`episode ${req.episodeId} not found`)
  if (origin.counterfactual)
    throw new CounterfactualError(
      `episode ${origin.id} is itself a counterfactual: edit its origin, episode ${origin.counterfactual.originEpisodeId}`
    )
  const originRun = reader.getRun(origin.runId)
  if (!originRun) throw new CounterfactualError(`run ${origin.runId} not found`)
  const policyRunId = req.policyRunId ?? origin.runId
  const stored = runPolicy(reader, policyRunId, req.policyIteration)
  if (!stored)
    throw new CounterfactualError(
      `run ${policyRunId} has no language-model checkpoint${
        req.policyIteration !== undefined ? ` at or before iteration ${req.policyIteration}` : ''
      } to continue with`
    )
  await selectBackend(stored.config.backend)
  installNativeKernels({ enabled: stored.config.nativeKernels === 'auto' })
  const policy = stored.load()
  let result
  try {
    result = counterfactualEpisode({
      origin,
      steps: reader.getSteps(origin.id),
      originConfig: originRun.config,
      policy,
      edit: req.edit,
      temperature: req.temperature,
      seed: req.seed
    })
  } finally {
    policy.model.dispose()
    policy.planner?.dispose()
  }
  const meta: Counterfactual = {
    originEpisodeId: origin.id,
    edit: req.edit,
    from: result.from,
    policyRunId,
    policyIteration: stored.iteration,
    temperature: req.temperature,
    seed: req.seed
  }
  const episodeId = writer.insertCounterfactual(
    { runId: origin.runId, iteration: origin.iteration },
    result.record,
    meta
  )
  return { episodeId, meta }
}
