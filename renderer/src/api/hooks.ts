// The renderer's one data layer: hooks keyed on explicit arguments, merging fetched rows with
// pushed events. Components read through these and never call the client themselves.
import { useEffect, useMemo, useRef, useState } from 'react'
import type {
  CommandInput,
  CommandName,
  CommandOutputs,
  EventName,
  Result,
  ServerEvents
} from '../../../core/api/contract'
import type { ApiError, Episode, Experiment, MetricPoint, Run } from '../../../core/api/entities'
import { getClient, onConnection } from './client'
import type { ConnectionState } from './http-client'

export type Query<T> = {
  data: T | undefined
  error: ApiError | undefined
  loading: boolean
  reload: () => void
}

type Loaded<T> = { key: string; version: number; result: Result<T> }

/** One command, re-run whenever its input (compared as JSON) changes; `null` input = idle. */
export function useCommand<K extends CommandName>(
  name: K,
  input: CommandInput<K> | null
): Query<CommandOutputs[K]> {
  const key = input === null ? null : `${name} ${JSON.stringify(input)}`
  const [version, setVersion] = useState(0)
  const [loaded, setLoaded] = useState<Loaded<CommandOutputs[K]> | null>(null)
  // After the event stream was down, fetched data may be stale: fetch again.
  useEffect(() => onConnection((s) => s === 'reopened' && setVersion((v) => v + 1)), [])
  useEffect(() => {
    if (key === null) return
    let live = true
    const args = JSON.parse(key.slice(name.length + 1)) as CommandInput<K>
    void getClient()
      .invoke(name, args)
      .then((result) => {
        if (live) setLoaded({ key, version, result })
      })
    return () => {
      live = false
    }
  }, [name, key, version])
  const current = loaded !== null && loaded.key === key ? loaded : null
  return {
    data: current?.result.data,
    error: current?.result.error,
    loading: key !== null && (current === null || current.version !== version),
    reload: () => setVersion((v) => v + 1)
  }
}

/** Subscribes for the component's lifetime; the listener may change between renders. */
export function useEvent<E extends EventName>(
  event: E,
  listener: (payload: ServerEvents[E]) => void
): void {
  const latest = useRef(listener)
  useEffect(() => {
    latest.current = listener
  })
  useEffect(() => getClient().on(event, (p) => latest.current(p)), [event])
}

const STATUS_RANK: Record<Run['status'], number> = {
  queued: 0,
  running: 1,
  completed: 2,
  stopped: 2,
  failed: 2
}

/** Fetched rows and pushed rows arrive on different connections: keep whichever is further along. */
export function fresherRun(a: Run | undefined, b: Run | undefined): Run | undefined {
  if (!a) return b
  if (!b) return a
  const ra = STATUS_RANK[a.status]
  const rb = STATUS_RANK[b.status]
  if (ra !== rb) return ra > rb ? a : b
  return b.iterationsDone >= a.iterationsDone ? b : a
}

export const isActive = (run: Run | null | undefined): boolean =>
  run?.status === 'running' || run?.status === 'queued'

export function usePresets(): Query<CommandOutputs['presets/list']> {
  return useCommand('presets/list', {})
}

/** Refetches when another process (`himac train --db` on the served file) changed these runs. */
function useStoreChanged(affects: (runIds: number[]) => boolean, reload: () => void): void {
  useEvent('store/changed', ({ runIds }) => {
    if (affects(runIds)) reload()
  })
}

const always = (): boolean => true

export function useExperiments(): Query<Experiment[]> {
  const query = useCommand('experiments/list', {})
  const [pushed, setPushed] = useState<Map<number, Run>>(new Map())
  useEvent('run/status', (run) => setPushed((m) => new Map(m).set(run.experimentId, run)))
  useStoreChanged(always, query.reload)
  const data = useMemo(
    () =>
      query.data?.map((e) => {
        const live = pushed.get(e.id)
        const known = e.latestRun
        const run =
          !live || (known && known.id > live.id)
            ? known
            : known && known.id === live.id
              ? (fresherRun(known, live) ?? live)
              : live
        return run === known ? e : { ...e, latestRun: run }
      }),
    [query.data, pushed]
  )
  return { ...query, data }
}

export function useRuns(experimentId: number | null): Query<Run[]> {
  const query = useCommand('runs/list', experimentId === null ? null : { experimentId })
  const [pushed, setPushed] = useState<Run[]>([])
  useEvent('run/status', (run) => {
    if (run.experimentId === experimentId) setPushed((list) => [...list, run])
  })
  useStoreChanged(always, query.reload)
  const data = useMemo(() => {
    if (!query.data) return undefined
    const byId = new Map<number, Run>()
    for (const r of query.data) byId.set(r.id, r)
    for (const r of pushed) {
      if (r.experimentId === experimentId) byId.set(r.id, fresherRun(byId.get(r.id), r) ?? r)
    }
    return [...byId.values()].sort((a, b) => b.id - a.id)
  }, [query.data, pushed, experimentId])
  return { ...query, data }
}

export function useRun(runId: number | null): Query<Run> {
  const query = useCommand('runs/get', runId === null ? null : { runId })
  const [pushed, setPushed] = useState<Run | undefined>(undefined)
  useEvent('run/status', (run) => {
    if (run.id === runId) setPushed((prev) => fresherRun(prev, run))
  })
  useStoreChanged((ids) => runId !== null && ids.includes(runId), query.reload)
  const live = pushed?.id === runId ? pushed : undefined
  return { ...query, data: query.data ? fresherRun(query.data, live) : undefined }
}

export type Progress = ServerEvents['run/progress']

/** The latest progress event for a run (phase included); undefined until one arrives. */
export function useProgress(runId: number | null): Progress | undefined {
  const [progress, setProgress] = useState<Progress | undefined>(undefined)
  useEvent('run/progress', (p) => {
    if (p.runId === runId) setProgress(p)
  })
  return progress?.runId === runId ? progress : undefined
}

/** `metrics/get` plus every `run/metrics` event for the run, one point per iteration. */
export function useMetrics(runId: number | null): Query<MetricPoint[]> {
  const query = useCommand('metrics/get', runId === null ? null : { runId })
  const [pushed, setPushed] = useState<{ runId: number; points: MetricPoint[] } | null>(null)
  useEvent('run/metrics', ({ runId: id, point }) => {
    if (id !== runId) return
    setPushed((prev) =>
      prev && prev.runId === id
        ? { runId: id, points: [...prev.points, point] }
        : { runId: id, points: [point] }
    )
  })
  useStoreChanged((ids) => runId !== null && ids.includes(runId), query.reload)
  const data = useMemo(() => {
    if (!query.data) return undefined
    const byIteration = new Map<number, MetricPoint>()
    for (const p of query.data.points) byIteration.set(p.iteration, p)
    if (pushed && pushed.runId === runId)
      for (const p of pushed.points) byIteration.set(p.iteration, p)
    return [...byIteration.values()].sort((a, b) => a.iteration - b.iteration)
  }, [query.data, pushed, runId])
  return { ...query, data }
}

export type EpisodeFilter = { phase?: 'train' | 'eval'; success?: boolean }

export function useEpisodesPage(
  runId: number | null,
  offset: number,
  limit: number,
  filter: EpisodeFilter
): Query<{ total: number; items: Episode[] }> {
  const query = useCommand(
    'episodes/page',
    runId === null ? null : { runId, offset, limit, ...filter }
  )
  useStoreChanged((ids) => runId !== null && ids.includes(runId), query.reload)
  // A trainer of this server stores each iteration's episodes before it reports its metrics.
  useEvent('run/metrics', (m) => {
    if (m.runId === runId) query.reload()
  })
  useEvent('run/status', (run) => {
    if (run.id === runId) query.reload()
  })
  return query
}

export function useEpisodeSteps(episodeId: number | null): Query<CommandOutputs['episodes/steps']> {
  return useCommand('episodes/steps', episodeId === null ? null : { episodeId })
}

/** 'open' | 'down' | 'reopened' for the web event stream; 'open' until told otherwise. */
export function useConnection(): ConnectionState {
  const [state, setState] = useState<ConnectionState>('open')
  useEffect(() => onConnection(setState), [])
  return state
}
