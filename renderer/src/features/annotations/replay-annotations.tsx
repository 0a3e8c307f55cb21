// The replay's annotations: on the step on screen and on the whole episode (its run's experiment
// says which labels apply).
import type React from 'react'
import type { Episode } from '../../../../core/api/entities'
import { useRun } from '../../api/hooks'
import { AnnotationPanel } from './annotation-panel'

export function ReplayAnnotations({
  episode,
  t
}: {
  episode: Episode
  t: number
}): React.JSX.Element | null {
  const run = useRun(episode.runId)
  const experimentId = run.data?.experimentId
  if (experimentId === undefined) return null
  return (
    <div className="replay-annotations" data-testid="replay-annotations">
      <AnnotationPanel
        key={`step ${episode.id} ${t}`}
        target={{ type: 'step', id: episode.id, t }}
        experimentId={experimentId}
        title={`Step ${t}`}
      />
      <AnnotationPanel
        key={`episode ${episode.id}`}
        target={{ type: 'episode', id: episode.id }}
        experimentId={experimentId}
        title={`Episode #${episode.id}`}
      />
    </div>
  )
}
