// The step list as the virtualiser sees it: a header per segment, then its rows unless the
// segment is collapsed; and where the selected row sits in it.
import type { ReplaySegment } from './segments'

export type ListItem =
  { kind: 'segment'; segment: number } | { kind: 'step'; segment: number; row: number }

export function listItems(
  segments: readonly ReplaySegment[],
  collapsed: ReadonlySet<number>,
  headers = true
): ListItem[] {
  const items: ListItem[] = []
  segments.forEach((s, segment) => {
    if (headers) items.push({ kind: 'segment', segment })
    if (collapsed.has(segment)) return
    for (const row of s.rows) items.push({ kind: 'step', segment, row })
  })
  return items
}

/** The item showing `row`, or its segment's header while the segment is collapsed; -1: none. */
export function itemOfRow(items: readonly ListItem[], row: number, segment: number): number {
  const i = items.findIndex((it) => it.kind === 'step' && it.row === row)
  if (i >= 0) return i
  return items.findIndex((it) => it.kind === 'segment' && it.segment === segment)
}

/** `collapsed` with `segment` toggled (a new set). */
export function toggled(collapsed: ReadonlySet<number>, segment: number): Set<number> {
  const next = new Set(collapsed)
  if (next.has(segment)) next.delete(segment)
  else next.add(segment)
  return next
}
