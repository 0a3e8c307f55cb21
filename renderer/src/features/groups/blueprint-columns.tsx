// A Phase-A group: its G blueprints as columns, subgoal k of each in row k, subgoals that differ
// from the row's consensus highlighted, under each how its greedy execution spent that subgoal.
import type React from 'react'
import type { GroupLevel, GroupMember } from '../../../../core/api/entities'
import { alignBlueprints } from './model/alignment'
import { MemberHead, openReplay, SegmentBadge } from './parts'

export function BlueprintColumns({
  members,
  level,
  groupId
}: {
  members: GroupMember[]
  level: GroupLevel
  groupId: number
}): React.JSX.Element {
  const rows = alignBlueprints(members.map((m) => m.blueprint))
  const after = members.map((m) => m.segments.find((s) => s.index === m.blueprint.length))
  return (
    <div className="grp-columns-wrap">
      <table className="grp-columns" data-testid="blueprint-columns" data-rows={rows.length}>
        <thead>
          <tr>
            <th className="grp-rowhead">subgoal</th>
            {members.map((m) => (
              <MemberHead key={m.episodeId} m={m} level={level} groupId={groupId} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.index} data-testid="subgoal-row">
              <th className="grp-rowhead">{row.index + 1}</th>
              {row.cells.map((cell, i) => {
                const m = members[i]!
                const seg = m.segments.find((s) => s.index === row.index)
                return (
                  <td
                    key={m.episodeId}
                    className={[
                      'grp-cell',
                      m.isZStar ? 'zstar' : '',
                      cell === null ? 'empty' : cell.differs ? 'differs' : ''
                    ].join(' ')}
                    data-testid="subgoal-cell"
                    data-member={m.episodeId}
                    data-differs={cell?.differs ?? false}
                    onClick={openReplay(m, groupId)}
                  >
                    {cell === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <>
                        <div className="grp-subgoal">{cell.text}</div>
                        {seg ? <SegmentBadge s={seg} /> : null}
                      </>
                    )}
                  </td>
                )
              })}
            </tr>
          ))}
          {members.some((m) => m.segments.length > 0) ? (
            <tr className="grp-after" data-testid="after-plan-row">
              <th className="grp-rowhead" title="steps after the blueprint's last subgoal">
                after
              </th>
              {members.map((m, i) => (
                <td
                  key={m.episodeId}
                  className={m.isZStar ? 'grp-cell zstar' : 'grp-cell'}
                  onClick={openReplay(m, groupId)}
                >
                  {after[i] ? <SegmentBadge s={after[i]} /> : null}
                </td>
              ))}
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  )
}
