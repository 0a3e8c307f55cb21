// Annotating a group: the group itself, or (Phase A) one member's blueprint, or one member's
// execution — chosen from a select, so the columns above stay as they are.
import { useState } from 'react'
import type React from 'react'
import type { AnnotationTarget, GroupDetail } from '../../../../core/api/entities'
import { useRun } from '../../api/hooks'
import { AnnotationPanel } from './annotation-panel'

export function GroupAnnotations({ detail }: { detail: GroupDetail }): React.JSX.Element | null {
  const run = useRun(detail.group.runId)
  const [choice, setChoice] = useState('group')
  const experimentId = run.data?.experimentId
  if (experimentId === undefined) return null
  const options: { key: string; text: string; target: AnnotationTarget }[] = [
    {
      key: 'group',
      text: `group #${detail.group.id}`,
      target: { type: 'group', id: detail.group.id }
    },
    ...detail.members.flatMap((m) => [
      ...(m.blueprint
        ? [
            {
              key: `blueprint-${m.episodeId}`,
              text: `blueprint of member ${m.memberIndex + 1}`,
              target: { type: 'blueprint', id: m.episodeId } as const
            }
          ]
        : []),
      {
        key: `episode-${m.episodeId}`,
        text: `execution of member ${m.memberIndex + 1} (episode #${m.episodeId})`,
        target: { type: 'episode', id: m.episodeId } as const
      }
    ])
  ]
  const chosen = options.find((o) => o.key === choice) ?? options[0]!
  return (
    <div className="grp-annotations">
      <label className="small">
        Annotate{' '}
        <select
          data-testid="group-ann-target"
          value={chosen.key}
          onChange={(e) => setChoice(e.target.value)}
        >
          {options.map((o) => (
            <option key={o.key} value={o.key}>
              {o.text}
            </option>
          ))}
        </select>
      </label>
      <AnnotationPanel key={chosen.key} target={chosen.target} experimentId={experimentId} />
    </div>
  )
}
