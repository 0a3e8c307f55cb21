// Small pieces the group views share: the level tag, z*'s outcome, and a member column's head.
import type React from 'react'
import type { GroupLevel, GroupMember, SubgoalSegment } from '../../../../core/api/entities'
import { formatNumber } from '../../format'
import { href, navigate } from '../../router'

const LEVEL_LABEL: Record<GroupLevel, string> = {
  macro: 'Phase A · blueprints',
  micro: 'Phase B · executions',
  flat: 'flat'
}

export function LevelTag({ level }: { level: GroupLevel }): React.JSX.Element {
  return (
    <span className={`tag grp-level grp-level-${level}`} data-testid="group-level">
      {LEVEL_LABEL[level]}
    </span>
  )
}

export function ZStarOutcome({ success }: { success: boolean | null }): React.JSX.Element {
  if (success === null) return <span className="muted">—</span>
  return success ? <span className="yes">✓ solved</span> : <span className="muted">failed</span>
}

/** The member's replay, whose j / k walk the group's members. */
export const memberReplay = (m: GroupMember, groupId: number): string =>
  href.replay(m.episodeId, `group=${groupId}`)

/** Opens the member's execution in the replay. */
export const openReplay =
  (m: GroupMember, groupId: number): (() => void) =>
  (): void =>
    navigate(memberReplay(m, groupId))

/** A member column's head: z*, return, advantage, success, plan log-prob (click: the replay). */
export function MemberHead({
  m,
  level,
  groupId
}: {
  m: GroupMember
  level: GroupLevel
  groupId: number
}): React.JSX.Element {
  return (
    <th
      className={m.isZStar ? 'grp-col-head zstar' : 'grp-col-head'}
      data-testid={`member-col-${m.episodeId}`}
      data-zstar={m.isZStar}
      data-return={m.return}
      data-advantage={m.advantage ?? ''}
      data-success={m.success}
      data-log-prob={m.planLogProb ?? ''}
      onClick={openReplay(m, groupId)}
      title="Open this execution in the replay"
    >
      <div className="grp-head-top">
        <a href={memberReplay(m, groupId)} data-testid="member-replay-link">
          #{m.memberIndex + 1}
        </a>
        {m.isZStar ? (
          <span className="grp-zstar" data-testid="zstar-badge" title="z*: executed in Phase B">
            z*
          </span>
        ) : null}
        <span className={m.success ? 'yes' : 'muted'}>{m.success ? '✓ solved' : '✗ failed'}</span>
      </div>
      <dl className="grp-head-facts">
        <dt>return</dt>
        <dd className="mono" data-testid="member-return">
          {formatNumber(m.return)}
        </dd>
        <dt title={level === 'macro' ? 'plan advantage in the group' : 'advantage in the group'}>
          adv.
        </dt>
        <dd className="mono" data-testid="member-advantage">
          {formatNumber(m.advantage)}
        </dd>
        {level !== 'flat' ? (
          <>
            <dt title="the blueprint's log-probability under the planner">log p</dt>
            <dd className="mono" data-testid="member-log-prob">
              {formatNumber(m.planLogProb)}
            </dd>
          </>
        ) : null}
        <dt>steps</dt>
        <dd className="mono">{m.length}</dd>
        {level !== 'flat' ? (
          <>
            <dt title="subgoals ended by <sub_done> / by the step budget">done / fb</dt>
            <dd className="mono">
              {m.subDoneCount} / {m.fallbackCount}
            </dd>
          </>
        ) : null}
      </dl>
    </th>
  )
}

const END_LABEL: Record<SubgoalSegment['end'], string> = {
  sub_done: '✓ sub_done',
  fallback: '⏱ fallback',
  episode_end: 'episode ended',
  not_reached: 'not reached'
}

/** How one execution spent one subgoal: its steps and how it ended. */
export function SegmentBadge({ s }: { s: SubgoalSegment }): React.JSX.Element {
  return (
    <span className={`grp-seg grp-seg-${s.end}`} data-testid="segment" data-end={s.end}>
      {s.end === 'not_reached' ? null : (
        <span className="grp-seg-steps" data-testid="segment-steps">
          {s.steps} {s.steps === 1 ? 'step' : 'steps'}
        </span>
      )}
      <span className="grp-seg-end">{END_LABEL[s.end]}</span>
    </span>
  )
}
