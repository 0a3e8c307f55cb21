// The runs table's data: `runs/table` once, then kept live from pushed events — a run's status,
// each iteration's metrics (last values and progress) — and refetched when another process
// wrote to the database or a run this list does not know yet appears.
import { useMemo, useState } from 'react'
import type { Run } from '../../../../core/api/entities'
import { fresherRun, useCommand, useEvent, type Query } from '../../api/hooks'
import { toTableRow, type TableRow } from './model/columns'

type Live = { run?: Run; metrics?: Record<string, number>; done?: number }

export function useRunTable(): Query<TableRow[]> {
  const query = useCommand('runs/table', {})
  const [live, setLive] = useState<Map<number, Live>>(new Map())
  const base = useMemo(() => query.data?.map(toTableRow), [query.data])
  const known = useMemo(() => new Set(base?.map((r) => r.run.id)), [base])
  const patch = (runId: number, f: (l: Live) => Live): void =>
    setLive((m) => new Map(m).set(runId, f(m.get(runId) ?? {})))
  useEvent('run/status', (run) => {
    if (base && !known.has(run.id)) query.reload()
    patch(run.id, (l) => ({ ...l, run: fresherRun(l.run, run) ?? run }))
  })
  useEvent('run/metrics', ({ runId, point }) =>
    patch(runId, (l) => ({
      ...l,
      metrics: { ...l.metrics, ...point.values },
      done: Math.max(l.done ?? 0, point.iteration + 1)
    }))
  )
  useEvent('store/changed', () => query.reload())
  const data = useMemo(() => {
    if (!base) return undefined
    if (live.size === 0) return base
    return base.map((row) => {
      const l = live.get(row.run.id)
      if (!l) return row
      let run = l.run ? (fresherRun(row.run, l.run) ?? row.run) : row.run
      if (l.done !== undefined && l.done > run.iterationsDone && run.status === 'running')
        run = { ...run, iterationsDone: l.done }
      return {
        ...row,
        run,
        lastMetrics: l.metrics ? { ...row.lastMetrics, ...l.metrics } : row.lastMetrics
      }
    })
  }, [base, live])
  return { ...query, data }
}
