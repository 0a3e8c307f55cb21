// `himac counterfactual`: re-run a stored LM episode with another action at step t, or with one
// subgoal of its blueprint rewritten, and let a run's policy continue; the new episode is stored
// linked to its origin and printed beside it.
import { formatNumber } from '../core/format'
import { openDatabase, StoreReader, StoreWriter } from '../core/store'
import { CounterfactualError, type CounterfactualEdit } from '../core/train/counterfactual'
import { makeCounterfactual } from '../core/train/counterfactual-job'
import { UsageError } from './errors'

export type CounterfactualCliOptions = {
  db: string
  episode: number
  at?: number
  action?: string
  subgoal?: number
  text?: string
  policyRun?: number
  policyIteration?: number
  temperature: number
  seed: number
  json?: boolean
}

function editOf(o: CounterfactualCliOptions): CounterfactualEdit {
  const byAction = o.at !== undefined || o.action !== undefined
  const bySubgoal = o.subgoal !== undefined || o.text !== undefined
  if (byAction === bySubgoal)
    throw new UsageError('give either --at T --action A, or --subgoal N --text S')
  if (byAction) {
    if (o.at === undefined || o.action === undefined)
      throw new UsageError('--at and --action go together')
    return { kind: 'action', t: o.at, action: o.action }
  }
  if (o.subgoal === undefined || o.text === undefined)
    throw new UsageError('--subgoal and --text go together')
  if (o.subgoal < 1) throw new UsageError('--subgoal counts from 1')
  return { kind: 'subgoal', index: o.subgoal - 1, text: o.text }
}

export async function counterfactualCommand(o: CounterfactualCliOptions): Promise<number> {
  const edit = editOf(o)
  if (!(o.temperature >= 0 && o.temperature <= 2))
    throw new UsageError('--temperature must be in [0, 2]')
  const db = openDatabase(o.db)
  try {
    const reader = new StoreReader(db)
    let made
    try {
      made = await makeCounterfactual(reader, new StoreWriter(db), {
        episodeId: o.episode,
        edit,
        ...(o.policyRun !== undefined ? { policyRunId: o.policyRun } : {}),
        ...(o.policyIteration !== undefined ? { policyIteration: o.policyIteration } : {}),
        temperature: o.temperature,
        seed: o.seed
      })
    } catch (err) {
      if (err instanceof CounterfactualError) throw new UsageError(err.message)
      throw err
    }
    const origin = reader.getEpisode(o.episode)!
    const episode = reader.getEpisode(made.episodeId)!
    if (o.json) {
      console.log(JSON.stringify({ origin, counterfactual: episode }, null, 2))
      return 0
    }
    const a = reader.getSteps(origin.id)
    const b = reader.getSteps(episode.id)
    console.log(
      `episode ${episode.id}: counterfactual of ${origin.id}, from step ${made.meta.from} (policy of run ${made.meta.policyRunId})`
    )
    const row = (label: string, e: typeof origin): string =>
      `  ${label.padEnd(15)} return ${formatNumber(e.return).padStart(8)}  ${e.success ? 'solved' : 'not solved'}  ${e.length} decisions`
    console.log(row(`origin #${origin.id}`, origin))
    console.log(row(`new #${episode.id}`, episode))
    const n = Math.max(a.length, b.length)
    for (let t = Math.max(0, made.meta.from - 2); t < Math.min(n, made.meta.from + 8); t++) {
      const mark = t === made.meta.from ? '→' : ' '
      console.log(
        `  ${mark}${String(t).padStart(4)}  ${(a[t]?.action ?? '').padEnd(36)} ${b[t]?.action ?? ''}`
      )
    }
    return 0
  } finally {
    db.close()
  }
}
