// Handlers of experiment upkeep. A new config is checked like one at creation (its env options
// included) and applies to the experiment's next runs.
import { validateEnvConfig } from '../../envs/registry'
import type { StoreReader, StoreWriter } from '../../store'
import type { ExperimentOutputs, experimentInputs } from '../domains/experiments'
import { notFound } from '../errors'
import type { DomainHandlers } from './types'

export function experimentHandlers(
  reader: StoreReader,
  writer: StoreWriter
): DomainHandlers<typeof experimentInputs, ExperimentOutputs> {
  return {
    'experiments/update': async ({ experimentId, ...change }) => {
      if (!reader.getExperiment(experimentId)) throw notFound(`experiment ${experimentId}`)
      if (change.config) validateEnvConfig(change.config, ['config'])
      writer.updateExperiment(experimentId, change)
      return reader.getExperiment(experimentId)!
    },
    'experiments/duplicate': async ({ experimentId, name }) => {
      const source = reader.getExperiment(experimentId)
      if (!source) throw notFound(`experiment ${experimentId}`)
      const id = writer.createExperiment(
        name ?? `${source.name} (copy)`,
        source.preset,
        source.config
      )
      if (source.tags.length > 0) writer.updateExperiment(id, { tags: source.tags })
      return reader.getExperiment(id)!
    }
  }
}
