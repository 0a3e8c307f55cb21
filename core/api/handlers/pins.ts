// Handlers of the blueprint-pin domain. A pin needs a Phase-A member of a HiMAC run that has not
// completed (the trainer takes pins at its next iteration; a stopped run takes them on resume), and
// one live pin per task.
import type { StoreReader, StoreWriter } from '../../store'
import type { PinOutputs, pinInputs } from '../domains/pins'
import { conflict, notFound } from '../errors'
import type { DomainHandlers } from './types'

export function pinHandlers(
  reader: StoreReader,
  writer: StoreWriter,
  author: string
): DomainHandlers<typeof pinInputs, PinOutputs> {
  return {
    'pins/list': async ({ runId }) => {
      if (!reader.getRun(runId)) throw notFound(`run ${runId}`)
      return reader.listPins(runId)
    },
    'pins/create': async ({ episodeId }) => {
      const episode = reader.getEpisode(episodeId)
      if (!episode) throw notFound(`episode ${episodeId}`)
      const run = reader.getRun(episode.runId)!
      if (run.config.algo !== 'himac') throw conflict(`run ${run.id} is not a HiMAC run`)
      const group =
        episode.groupId === null ? undefined : reader.groupDetail(episode.groupId)?.group
      if (!group || group.level !== 'macro' || !episode.blueprint)
        throw conflict(
          `episode ${episodeId} is not a Phase-A blueprint (a member of a macro group)`
        )
      if (run.status === 'completed')
        throw conflict(
          `run ${run.id} has completed: a pin applies to the iterations a run has still to train`
        )
      const live = reader
        .listPins(run.id)
        .find((p) => p.taskSeed === group.taskSeed && p.removedAt === null)
      if (live)
        throw conflict(`task ${group.taskSeed} is already pinned (pin ${live.id}): remove it first`)
      const pinId = writer.pinBlueprint({
        runId: run.id,
        sourceEpisodeId: episode.id,
        taskSeed: group.taskSeed,
        task: group.task,
        blueprint: episode.blueprint,
        planLogProb: episode.planLogProb,
        author
      })
      return reader.getPin(pinId)!
    },
    'pins/remove': async ({ pinId }) => {
      const pin = reader.getPin(pinId)
      if (!pin) throw notFound(`pin ${pinId}`)
      if (pin.removedAt !== null) throw conflict(`pin ${pinId} is already removed`)
      writer.removePin(pinId)
      return reader.getPin(pinId)!
    }
  }
}
