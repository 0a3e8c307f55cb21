// One rollout group (#/groups/:id), the product's signature view: a Phase-A group's G blueprints
// side by side, a Phase-B group's N executions of z* aligned by subgoal, or a flat group's members;
// linked to its Phase-A parent or its Phase-B children, each column opening its replay.
import type React from 'react'
import type { GroupDetail, GroupSummary } from '../../../../core/api/entities'
import { ErrorMessage } from '../../components/error-message'
import { formatNumber } from '../../format'
import { GroupAnnotations } from '../annotations/group-annotations'
import { PinsPanel } from './pins-panel'
import { href } from '../../router'
import { BlueprintColumns } from './blueprint-columns'
import { ExecutionColumns } from './execution-columns'
import { useGroup } from './hooks'
import { browseViewQuery } from './model/browse-view'
import { LevelTag, ZStarOutcome } from './parts'
import './groups.css'

function GroupFacts({ g }: { g: GroupSummary }): React.JSX.Element {
  return (
    <dl className="facts" data-testid="group-facts">
      <div className="wide">
        <dt>Task</dt>
        <dd data-testid="group-task">{g.task}</dd>
      </div>
      <div>
        <dt>Iteration</dt>
        <dd>{g.iteration}</dd>
      </div>
      <div>
        <dt>Task seed</dt>
        <dd className="mono">{g.taskSeed}</dd>
      </div>
      {g.taskType !== null ? (
        <div>
          <dt>Task type</dt>
          <dd className="mono">{g.taskType}</dd>
        </div>
      ) : null}
      <div>
        <dt>Members</dt>
        <dd>{g.size}</dd>
      </div>
      <div>
        <dt>Best / mean return</dt>
        <dd className="mono">
          {formatNumber(g.bestReturn)} / {formatNumber(g.meanReturn)}
        </dd>
      </div>
      {g.level !== 'flat' ? (
        <div>
          <dt>Distinct blueprints</dt>
          <dd>{g.distinctBlueprints}</dd>
        </div>
      ) : null}
      {g.zStarEpisodeId !== null ? (
        <div>
          <dt>{g.pinId !== null ? 'z* (not executed: pinned)' : 'z*'}</dt>
          <dd data-testid="group-zstar">
            <a
              href={href.replay(
                g.zStarEpisodeId,
                // A Phase-B group's z* is a member of its Phase-A parent.
                `group=${g.level === 'micro' ? (g.parentGroupId ?? g.id) : g.id}`
              )}
            >
              episode #{g.zStarEpisodeId}
            </a>{' '}
            <ZStarOutcome success={g.zStarSuccess} />
          </dd>
        </div>
      ) : null}
      {g.allEqual ? (
        <div>
          <dt>Signal</dt>
          <dd className="grp-warn" data-testid="group-all-equal">
            all returns equal: zero advantage
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

/** Phase A ↔ Phase B: the parent's blueprints, or the executions of this group's z*. */
function Links({ d }: { d: GroupDetail }): React.JSX.Element | null {
  if (d.group.pinId !== null) {
    return (
      <p className="grp-links grp-warn" data-testid="group-pinned">
        Executes a pinned blueprint (pin #{d.group.pinId}), not z*
        {d.parent ? (
          <>
            {' '}
            of <a href={href.group(d.parent.id)}>Phase-A group #{d.parent.id}</a>
          </>
        ) : null}
        .
      </p>
    )
  }
  if (d.parent) {
    return (
      <p className="grp-links">
        Executes z* of{' '}
        <a href={href.group(d.parent.id)} data-testid="parent-link">
          Phase-A group #{d.parent.id}
        </a>{' '}
        ({d.parent.size} blueprints, best return {formatNumber(d.parent.bestReturn)}).
      </p>
    )
  }
  if (d.children.length > 0) {
    return (
      <p className="grp-links">
        z* executed in{' '}
        {d.children.map((c, i) => (
          <span key={c.id}>
            {i > 0 ? ', ' : ''}
            <a href={href.group(c.id)} data-testid="child-link">
              Phase-B group #{c.id}
            </a>{' '}
            ({c.size} executions, mean return {formatNumber(c.meanReturn)})
          </span>
        ))}
        .
      </p>
    )
  }
  return null
}

function Columns({ d }: { d: GroupDetail }): React.JSX.Element {
  if (d.group.level === 'micro')
    return (
      <ExecutionColumns
        blueprint={d.members[0]?.blueprint ?? []}
        members={d.members}
        groupId={d.group.id}
        pinned={d.group.pinId !== null}
      />
    )
  return <BlueprintColumns members={d.members} level={d.group.level} groupId={d.group.id} />
}

export function GroupPage({ groupId }: { groupId: number }): React.JSX.Element {
  const group = useGroup(groupId)
  const d = group.data
  return (
    <div className="page" data-testid="group-page" data-group-id={groupId}>
      <header className="pane-header">
        <h2>
          Group <span className="muted">#{groupId}</span>{' '}
          {d ? <LevelTag level={d.group.level} /> : null}
        </h2>
        {d ? (
          <div className="crumbs">
            <a
              href={href.groups(
                d.group.runId,
                browseViewQuery({
                  iteration: d.group.iteration,
                  level: null,
                  filter: 'all',
                  taskType: null,
                  offset: 0
                })
              )}
              data-testid="back-to-groups"
            >
              ← groups of run #{d.group.runId}, iteration {d.group.iteration}
            </a>
          </div>
        ) : null}
      </header>
      <ErrorMessage error={group.error} />
      {d ? (
        <>
          <GroupFacts g={d.group} />
          <Links d={d} />
          <Columns d={d} />
          <p className="muted small">
            {d.group.level === 'macro'
              ? 'Highlighted subgoals differ from the row’s consensus. Under each: how its greedy execution spent that subgoal.'
              : d.group.level === 'micro'
                ? 'Each row is one subgoal of z*: the steps each execution took on it and how it ended.'
                : 'A flat group: members without blueprints.'}{' '}
            Click a column to replay that execution.
          </p>
          <PinsPanel detail={d} />
          <GroupAnnotations detail={d} />
        </>
      ) : group.loading ? (
        <p className="muted">Loading group…</p>
      ) : null}
    </div>
  )
}
