// Handlers of the counterfactual domain. The rollout engine is imported, and the tfjs backend
// started, on first use, so a server that never makes a counterfactual does neither; one runs at a
// time.
import type { StoreReader, StoreWriter } from '../../store'
import { LM_STATE_FORMAT } from '../../train/lm/trainer-state'
import type { CounterfactualOutputs, counterfactualInputs } from '../domains/counterfactuals'
import { ApiFailure, conflict, notFound } from '../errors'
import type { DomainHandlers } from './types'

export function counterfactualHandlers(
  reader: StoreReader,
  writer: StoreWriter
): DomainHandlers<typeof counterfactualInputs, CounterfactualOutputs> {
  let busy = false
  return {
    'episodes/counterfactual': async ({
      episodeId,
      edit,
      policyRunId,
      policyIteration,
      temperature,
      seed
    }) => {
      if (busy) throw conflict('another counterfactual is being made: try again when it is done')
      busy = true
      try {
        const [{ makeCounterfactual }, { CounterfactualError }] = await Promise.all([
          import('../../train/counterfactual-job'),
          import('../../train/counterfactual')
        ])
        try {
          const made = await makeCounterfactual(reader, writer, {
            episodeId,
            edit,
            ...(policyRunId !== undefined ? { policyRunId } : {}),
            ...(policyIteration !== undefined ? { policyIteration } : {}),
            temperature,
            seed
          })
          return {
            episode: reader.getEpisode(made.episodeId)!,
            steps: reader.getSteps(made.episodeId)
          }
        } catch (err) {
          if (!(err instanceof CounterfactualError)) throw err
          if (/ not found$/.test(err.message))
            throw notFound(err.message.replace(/ not found$/, ''))
          throw new ApiFailure({
            type: 'ValidationError',
            message: `edit: ${err.message}`,
            field: 'edit'
          })
        }
      } finally {
        busy = false
      }
    },
    'runs/policy-checkpoints': async ({ runId }) => {
      if (!reader.getRun(runId)) throw notFound(`run ${runId}`)
      return reader.checkpointIterations(runId, LM_STATE_FORMAT)
    },
    'episodes/counterfactuals': async ({ episodeId }) => {
      if (!reader.getEpisode(episodeId)) throw notFound(`episode ${episodeId}`)
      return reader.counterfactualsOf(episodeId)
    }
  }
}
