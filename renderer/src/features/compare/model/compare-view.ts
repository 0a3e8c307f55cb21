// The compare view as URL query text (#/compare?runs=…&metric=…&smooth=…&x=…&group=…&diff=1).
import { idList } from '../../runs/model/table-view'
import { X_AXES, type XAxisKind } from './series'

export type CompareView = {
  runs: number[]
  metric: string
  /** EMA weight in [0, 0.99]. */
  smoothing: number
  x: XAxisKind
  /** Config keys: runs with equal values form one group (mean ± 95 % CI). */
  group: string[]
  diffOnly: boolean
}

export const DEFAULT_METRIC = 'train/success_rate'

export function parseCompareView(query: string): CompareView {
  const q = new URLSearchParams(query)
  const smooth = Number(q.get('smooth') ?? '0')
  const x = q.get('x')
  return {
    runs: idList(q.get('runs')),
    metric: q.get('metric') || DEFAULT_METRIC,
    smoothing: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    x: (X_AXES as readonly string[]).includes(x ?? '') ? (x as XAxisKind) : 'iteration',
    group: (q.get('group') ?? '').split(',').filter((k) => k !== ''),
    diffOnly: q.get('diff') === '1'
  }
}

export function compareViewQuery(view: CompareView): string {
  const q = new URLSearchParams()
  q.set('runs', view.runs.join(','))
  if (view.metric !== DEFAULT_METRIC) q.set('metric', view.metric)
  if (view.smoothing > 0) q.set('smooth', String(view.smoothing))
  if (view.x !== 'iteration') q.set('x', view.x)
  if (view.group.length > 0) q.set('group', view.group.join(','))
  if (view.diffOnly) q.set('diff', '1')
  return q.toString()
}
