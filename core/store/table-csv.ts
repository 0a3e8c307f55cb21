// The app's tables as CSV records (core/csv.ts): the runs table (run fields, experiment name, the
// flattened config and each metric's last value), a run's episode list and its group list, with
// the filters the views apply. Read page by page, so a table is never held whole.
import { csvRecord, type CsvValue } from '../csv'
import type { GroupFilter, GroupLevel } from '../api/group-entities'
import type { EpisodeFilter, StoreReader } from './queries'

export type CsvTable = 'runs' | 'episodes' | 'groups'

/** Nested config objects as dotted keys (`policy.lm.dModel`); arrays stay JSON. */
function flatten(value: unknown, prefix: string, out: Record<string, CsvValue>): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>)
    if (entries.length === 0 && prefix !== '') out[prefix] = '{}'
    for (const [k, v] of entries) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out)
  } else if (Array.isArray(value)) out[prefix] = JSON.stringify(value)
  else out[prefix] = value as CsvValue
}

const RUN_FIELDS = [
  'id',
  'experimentId',
  'experiment',
  'status',
  'seed',
  'iterations',
  'iterationsDone',
  'startedAt',
  'endedAt',
  'backend',
  'kernels',
  'error'
] as const

/** `ids`: only these runs (the runs page's filtered rows); all when null. */
export function* runsCsv(
  reader: StoreReader,
  ids: ReadonlySet<number> | null = null
): Generator<string> {
  const rows = reader.listRunTable().filter((r) => ids === null || ids.has(r.run.id))
  const configs = rows.map((r) => {
    const out: Record<string, CsvValue> = {}
    flatten(r.run.config, '', out)
    return out
  })
  const configKeys = [...new Set(configs.flatMap((c) => Object.keys(c)))]
  const metricKeys = [...new Set(rows.flatMap((r) => Object.keys(r.lastMetrics)))].sort()
  yield csvRecord([
    ...RUN_FIELDS,
    ...configKeys.map((k) => `config.${k}`),
    ...metricKeys.map((k) => `last.${k}`)
  ])
  for (const [i, r] of rows.entries()) {
    const run = r.run
    yield csvRecord([
      run.id,
      run.experimentId,
      r.experimentName,
      run.status,
      run.seed,
      run.iterations,
      run.iterationsDone,
      run.startedAt,
      run.endedAt,
      run.backend,
      run.kernels,
      run.error,
      ...configKeys.map((k) => configs[i]?.[k]),
      ...metricKeys.map((k) => r.lastMetrics[k])
    ])
  }
}

const PAGE = 500

export function* episodesCsv(
  reader: StoreReader,
  runId: number,
  filter: EpisodeFilter = {}
): Generator<string> {
  yield csvRecord([
    'id',
    'runId',
    'iteration',
    'phase',
    'groupId',
    'memberIndex',
    'env',
    'task',
    'seed',
    'return',
    'success',
    'length',
    'blueprint',
    'planLogProb',
    'planAdvantage'
  ])
  for (let offset = 0; ; offset += PAGE) {
    const { items } = reader.pageEpisodes(runId, offset, PAGE, filter)
    for (const e of items)
      yield csvRecord([
        e.id,
        e.runId,
        e.iteration,
        e.phase,
        e.groupId,
        e.memberIndex,
        e.env,
        e.task,
        e.seed,
        e.return,
        e.success,
        e.length,
        e.blueprint === null ? null : JSON.stringify(e.blueprint),
        e.planLogProb,
        e.planAdvantage
      ])
    if (items.length < PAGE) return
  }
}

export type GroupCsvQuery = {
  iteration?: number
  level?: GroupLevel
  filter?: GroupFilter
  taskType?: string
}

export function* groupsCsv(
  reader: StoreReader,
  runId: number,
  q: GroupCsvQuery = {}
): Generator<string> {
  yield csvRecord([
    'id',
    'runId',
    'iteration',
    'level',
    'taskSeed',
    'task',
    'taskType',
    'size',
    'distinctBlueprints',
    'bestReturn',
    'meanReturn',
    'allEqual',
    'zStarEpisodeId',
    'zStarSuccess',
    'parentGroupId',
    'childGroupId'
  ])
  const limit = 200
  for (let offset = 0; ; offset += limit) {
    const { items } = reader.pageGroups({
      runId,
      ...q,
      filter: q.filter ?? 'all',
      offset,
      limit
    })
    for (const g of items)
      yield csvRecord([
        g.id,
        g.runId,
        g.iteration,
        g.level,
        g.taskSeed,
        g.task,
        g.taskType,
        g.size,
        g.distinctBlueprints,
        g.bestReturn,
        g.meanReturn,
        g.allEqual,
        g.zStarEpisodeId,
        g.zStarSuccess,
        g.parentGroupId,
        g.childGroupId
      ])
    if (items.length < limit) return
  }
}
