// Handlers of the counterfactual domain. The engine (tfjs and the policy) is loaded on first use,
// so a server that never makes a counterfactual never loads it; one runs at a time.
import type { StoreReader, StoreWriter } from '../../store'
import type { CounterfactualOutputs, counterfactualInputs } from '../domains/counterfactuals'
import { ApiFailure, conflict, notFound } from '../errors'
import type { DomainHandlers } from './types'

export function counterfactualHandlers(
  reader: StoreReader,
  writer: StoreWriter
): DomainHandlers<typeof counterfactualInputs, CounterfactualOutputs> {
  let busy = false
  return {
    'episodes/counterfactual': async ({ episodeId, edit, policyRunId, temperature, seed }) => {
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
    'episodes/counterfactuals': async ({ episodeId }) => {
      if (!reader.getEpisode(episodeId)) throw notFound(`episode ${episodeId}`)
      return reader.counterfactualsOf(episodeId)
    }
  }
}
