// The compare view's data: the chosen runs' metric series (`metrics/many`), extended by each
// pushed iteration of a run still training, refetched when another process wrote to them.
import { useMemo, useState } from 'react'
import type { MetricPoint } from '../../../../core/api/entities'
import { useCommand, useEvent, type Query } from '../../api/hooks'

export function useManyMetrics(runIds: number[]): Query<Map<number, MetricPoint[]>> {
  const query = useCommand('metrics/many', runIds.length > 0 ? { runIds } : null)
  const [pushed, setPushed] = useState<Map<number, MetricPoint[]>>(new Map())
  useEvent('run/metrics', ({ runId, point }) => {
    if (runIds.includes(runId))
      setPushed((m) => new Map(m).set(runId, [...(m.get(runId) ?? []), point]))
  })
  useEvent('store/changed', ({ runIds: changed }) => {
    if (changed.some((id) => runIds.includes(id))) query.reload()
  })
  const data = useMemo(() => {
    if (!query.data) return undefined
    const out = new Map<number, MetricPoint[]>()
    for (const { runId, points } of query.data) {
      const byIteration = new Map(points.map((p) => [p.iteration, p]))
      for (const p of pushed.get(runId) ?? []) byIteration.set(p.iteration, p)
      out.set(
        runId,
        [...byIteration.values()].sort((a, b) => a.iteration - b.iteration)
      )
    }
    return out
  }, [query.data, pushed])
  return { ...query, data }
}
