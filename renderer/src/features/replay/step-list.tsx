// The steps grouped by subgoal segment: a header per segment (its subgoal, steps, how it ended,
// reward sum; a click folds it), then its rows. Virtualised: only the rows in view are in the
// DOM, so a 500-step episode scrolls and steps smoothly.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useMemo, useRef } from 'react'
import type React from 'react'
import type { Step } from '../../../../core/api/entities'
import { formatNumber } from '../../format'
import { StepMarkers } from './candidates'
import { SEGMENT_END_LABEL, type ReplaySegment } from './model/segments'
import { itemOfRow, listItems, type ListItem } from './model/step-list'

const HEADER_HEIGHT = 30
const ROW_HEIGHT = 26

function SegmentHeader({
  segment,
  position,
  blueprintLength,
  collapsed,
  current,
  onToggle
}: {
  segment: ReplaySegment
  position: number
  blueprintLength: number
  collapsed: boolean
  current: boolean
  onToggle: () => void
}): React.JSX.Element {
  const name =
    segment.index === null
      ? 'all steps'
      : segment.index >= blueprintLength
        ? 'after the plan'
        : `${segment.index + 1}. ${segment.subgoal ?? ''}`
  return (
    <button
      type="button"
      className={`segment-header end-${segment.end}${current ? ' current' : ''}`}
      data-testid={`segment-header-${position}`}
      data-subgoal={segment.index ?? ''}
      data-steps={segment.actions}
      data-end={segment.end}
      data-first={segment.rows[0] ?? ''}
      data-collapsed={collapsed}
      aria-expanded={!collapsed}
      title={name}
      onClick={onToggle}
    >
      <span className="segment-caret" aria-hidden="true">
        {collapsed ? '▸' : '▾'}
      </span>
      <span className="segment-name ellipsis">{name}</span>
      <span className="segment-count">
        {segment.actions} step{segment.actions === 1 ? '' : 's'}
      </span>
      {segment.index !== null ? (
        <span className={`segment-end tag tag-end-${segment.end}`}>
          {SEGMENT_END_LABEL[segment.end]}
        </span>
      ) : null}
      <span className="segment-reward mono" title="reward sum">
        Σr {formatNumber(segment.rewardSum)}
      </span>
    </button>
  )
}

function StepRow({
  step,
  k,
  segment,
  ret,
  selected,
  showSubgoal,
  onSelect
}: {
  step: Step
  k: number
  segment: number
  ret: number
  selected: boolean
  showSubgoal: boolean
  onSelect: () => void
}): React.JSX.Element {
  return (
    <div
      role="row"
      className={selected ? 'srow selected' : 'srow'}
      data-testid={`step-row-${k}`}
      data-segment={segment}
      aria-selected={selected}
      onClick={onSelect}
    >
      <span role="cell" className="num">
        {step.t}
      </span>
      <span role="cell" className="num" data-testid={showSubgoal ? `step-subgoal-${k}` : undefined}>
        {showSubgoal ? (
          <>
            {step.subgoalIndex === null ? '—' : step.subgoalIndex + 1}
            {step.subDone ? '✓' : ''}
          </>
        ) : null}
      </span>
      <span role="cell" className="mono ellipsis" title={step.action || undefined}>
        <StepMarkers step={step} />
        {step.action || <span className="muted">(end)</span>}
      </span>
      <span role="cell" className="num mono">
        {formatNumber(step.reward)}
      </span>
      <span role="cell" className="num mono">
        {formatNumber(ret)}
      </span>
      <span role="cell" className="num mono">
        {formatNumber(step.advantage)}
      </span>
    </div>
  )
}

export function StepList({
  steps,
  returns,
  segments,
  segmentOf,
  blueprintLength,
  collapsed,
  current,
  onSelect,
  onToggle
}: {
  steps: readonly Step[]
  returns: readonly number[]
  segments: readonly ReplaySegment[]
  segmentOf: readonly number[]
  blueprintLength: number
  collapsed: ReadonlySet<number>
  current: number
  onSelect: (k: number) => void
  onToggle: (segment: number) => void
}): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null)
  const items = useMemo(() => listItems(segments, collapsed), [segments, collapsed])
  const showSubgoal = steps.some((s) => s.subgoalIndex !== null)
  const itemKey = useCallback(
    (i: number): string => {
      const it: ListItem | undefined = items[i]
      return it === undefined ? `x${i}` : it.kind === 'segment' ? `s${it.segment}` : `r${it.row}`
    },
    [items]
  )
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (items[i]?.kind === 'segment' ? HEADER_HEIGHT : ROW_HEIGHT),
    getItemKey: itemKey,
    overscan: 10
  })
  const selectedItem = itemOfRow(items, current, segmentOf[current] ?? 0)
  // Keeps the selected row in view, with its segment's header when it is the segment's first.
  useEffect(() => {
    const el = scroller.current
    const at = virtualizer.measurementsCache[selectedItem]
    if (!el || !at) return
    const header =
      items[selectedItem]?.kind === 'step' && items[selectedItem - 1]?.kind === 'segment'
        ? virtualizer.measurementsCache[selectedItem - 1]
        : undefined
    const top = (header ?? at).start
    if (top < el.scrollTop) virtualizer.scrollToOffset(top)
    else if (at.end > el.scrollTop + el.clientHeight)
      virtualizer.scrollToOffset(at.end - el.clientHeight)
  }, [selectedItem, items, virtualizer])
  return (
    <div className="step-table-wrap" data-testid="step-table" role="table" data-rows={steps.length}>
      <div className="srow shead" role="row">
        <span role="columnheader" className="num">
          t
        </span>
        <span
          role="columnheader"
          className="num"
          title="subgoal (1-based); ✓ = finished at this step"
        >
          {showSubgoal ? 'sub' : ''}
        </span>
        <span role="columnheader">action</span>
        <span role="columnheader" className="num">
          reward
        </span>
        <span role="columnheader" className="num">
          return
        </span>
        <span role="columnheader" className="num">
          adv.
        </span>
      </div>
      <div className="sbody" ref={scroller} data-testid="step-scroller">
        <div className="sbody-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const it = items[v.index]
            if (!it) return null
            const style = { transform: `translateY(${v.start}px)`, height: v.size }
            if (it.kind === 'segment') {
              const segment = segments[it.segment]
              if (!segment) return null
              return (
                <div key={v.key} className="sitem" style={style}>
                  <SegmentHeader
                    segment={segment}
                    position={it.segment}
                    blueprintLength={blueprintLength}
                    collapsed={collapsed.has(it.segment)}
                    current={segmentOf[current] === it.segment}
                    onToggle={() => onToggle(it.segment)}
                  />
                </div>
              )
            }
            const step = steps[it.row]
            if (!step) return null
            return (
              <div key={v.key} className="sitem" style={style}>
                <StepRow
                  step={step}
                  k={it.row}
                  segment={it.segment}
                  ret={returns[it.row] ?? 0}
                  selected={it.row === current}
                  showSubgoal={showSubgoal}
                  onSelect={() => onSelect(it.row)}
                />
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
