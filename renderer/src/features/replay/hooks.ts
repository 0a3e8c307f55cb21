// The replay's data: the episode with its steps, and its neighbours in the list the user came
// from (episodes/page with the same filters, or the group's members) for j / k.
import type { CommandOutputs } from '../../../../core/api/contract'
import { useCommand, useEpisodeSteps, type Query } from '../../api/hooks'
import {
  groupNeighbours,
  neighbourWindow,
  runNeighbours,
  type EpisodeList,
  type Neighbours
} from './model/replay-url'

export function useReplay(episodeId: number): Query<CommandOutputs['episodes/steps']> {
  return useEpisodeSteps(episodeId)
}

/** null while loading, when there is no list, or when the list could not be read. */
export function useNeighbours(list: EpisodeList | null, episodeId: number): Neighbours | null {
  const run = list?.kind === 'run' ? list : null
  const group = list?.kind === 'group' ? list : null
  const window = run ? neighbourWindow(run.offset) : null
  const page = useCommand(
    'episodes/page',
    run && window
      ? {
          runId: run.runId,
          ...window,
          ...(run.phase !== null ? { phase: run.phase } : {}),
          ...(run.success !== null ? { success: run.success } : {})
        }
      : null
  )
  const detail = useCommand('groups/get', group ? { groupId: group.groupId } : null)
  if (run && window && page.data) return runNeighbours(run, episodeId, window.offset, page.data)
  if (group && detail.data) return groupNeighbours(group, episodeId, detail.data.members)
  return null
}
