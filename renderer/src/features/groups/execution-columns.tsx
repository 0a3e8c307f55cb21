// A Phase-B group: the N executions of one blueprint (z*) as columns, aligned by subgoal: per
// subgoal the steps each execution took and whether `<sub_done>` or the step budget ended it.
import type React from 'react'
import type { GroupMember } from '../../../../core/api/entities'
import { alignExecutions } from './model/alignment'
import { MemberHead, openReplay, SegmentBadge } from './parts'

export function ExecutionColumns({
  blueprint,
  members,
  groupId,
  pinned = false
}: {
  blueprint: string[]
  members: GroupMember[]
  groupId: number
  /** The plan is a pinned blueprint, not z*. */
  pinned?: boolean
}): React.JSX.Element {
  const rows = alignExecutions(blueprint, members)
  return (
    <div className="grp-columns-wrap">
      <table className="grp-columns" data-testid="execution-columns" data-rows={rows.length}>
        <thead>
          <tr>
            <th className="grp-rowhead grp-plan-head">
              {pinned ? 'pinned blueprint' : 'z* blueprint'}
            </th>
            {members.map((m) => (
              <MemberHead key={m.episodeId} m={m} level="micro" groupId={groupId} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.index}
              data-testid={row.subgoal === null ? 'after-plan-row' : 'execution-row'}
              className={row.subgoal === null ? 'grp-after' : undefined}
            >
              <th className="grp-rowhead grp-plan-cell">
                {row.subgoal === null ? (
                  <span className="muted">after the plan</span>
                ) : (
                  <>
                    <span className="muted">{row.index + 1}.</span> {row.subgoal}
                  </>
                )}
              </th>
              {row.cells.map((seg, i) => {
                const m = members[i]!
                return (
                  <td
                    key={m.episodeId}
                    className="grp-cell"
                    data-testid="execution-cell"
                    data-member={m.episodeId}
                    data-steps={seg?.steps ?? 0}
                    data-end={seg?.end ?? ''}
                    onClick={openReplay(m, groupId)}
                  >
                    {seg ? <SegmentBadge s={seg} /> : null}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
