// Success and mean episode length of the observation-only demonstrators beside the oracle's
// (env.expert()) on the same seeds: ALFWorld per split and task type, WebShop, Sokoban.
// Table: node --import tsx test/unit/demonstrators/report.ts [episodes]
import type { Env, EnvKind, ExpertSubgoal } from '../../envs/env'
import {
  ALFWORLD_TASK_LABELS,
  ALFWORLD_TASK_TYPES,
  createAlfworldEnv,
  type AlfworldSplit
} from '../../envs/alfworld'
import { createSokobanEnv, type SokobanOptionsInput } from '../../envs/sokoban'
import { createWebshopEnv, type WebshopOptionsInput } from '../../envs/webshop'
import { createAlfworldDemonstrator } from './alfworld/demonstrator'
import { runDemonstrator, runOracle } from './run'
import { createSokobanDemonstrator } from './sokoban'
import type { Demonstrator } from './types'
import { createWebshopDemonstrator } from './webshop/demonstrator'

export type DemoReportRow = {
  env: EnvKind
  split: string
  /** 'all', or an ALFWorld task label (Pick, Look, Clean, Heat, Cool, Pick2). */
  taskType: string
  episodes: number
  success: number
  /** Mean steps per episode, failures (which run to the step limit or a wrong purchase) included. */
  meanLength: number
  meanReturn: number
  /** Mean steps spent under 'find …' subgoals per episode (ALFWorld), else null. */
  meanFindSteps: number | null
  /** Mean steps of one 'find …' subgoal (ALFWorld), else null. */
  stepsPerFind: number | null
  oracleSuccess: number
  oracleMeanLength: number
  oracleMeanReturn: number
  oracleMeanFindSteps: number | null
  oracleStepsPerFind: number | null
}

export type DemoReportOptions = {
  /** Episodes per row: per task type for ALFWorld, in all for WebShop and Sokoban (seeds 0 … n−1). */
  episodes?: number
  alfworldSplits?: AlfworldSplit[]
  webshop?: WebshopOptionsInput
  sokoban?: SokobanOptionsInput
  /** Which environments to run (default all three). */
  envs?: EnvKind[]
}

type Totals = {
  n: number
  wins: number
  steps: number
  ret: number
  find: number
  finds: number
  oWins: number
  oSteps: number
  oRet: number
  oFind: number
  oFinds: number
}

const finds = (subgoals: readonly ExpertSubgoal[]): ExpertSubgoal[] =>
  subgoals.filter((s) => s.subgoal.startsWith('find '))
const findSteps = (subgoals: readonly ExpertSubgoal[]): number =>
  finds(subgoals).reduce((n, s) => n + s.actions.length, 0)

function play(env: Env, demonstrator: Demonstrator, episodes: number): Totals {
  const t: Totals = {
    n: 0,
    wins: 0,
    steps: 0,
    ret: 0,
    find: 0,
    finds: 0,
    oWins: 0,
    oSteps: 0,
    oRet: 0,
    oFind: 0,
    oFinds: 0
  }
  for (let seed = 0; seed < episodes; seed++) {
    const ep = runDemonstrator(env, demonstrator, seed)
    const oracle = runOracle(env, seed)
    t.n++
    t.wins += ep.success ? 1 : 0
    t.steps += ep.length
    t.ret += ep.return
    t.find += findSteps(ep.subgoals)
    t.finds += finds(ep.subgoals).length
    t.oWins += oracle.success ? 1 : 0
    t.oSteps += oracle.length
    t.oRet += oracle.return
    t.oFind += findSteps(oracle.subgoals)
    t.oFinds += finds(oracle.subgoals).length
  }
  return t
}

function row(
  env: EnvKind,
  split: string,
  taskType: string,
  t: Totals,
  find: boolean
): DemoReportRow {
  const n = Math.max(t.n, 1)
  return {
    env,
    split,
    taskType,
    episodes: t.n,
    success: t.wins / n,
    meanLength: t.steps / n,
    meanReturn: t.ret / n,
    meanFindSteps: find ? t.find / n : null,
    stepsPerFind: find ? t.find / Math.max(t.finds, 1) : null,
    oracleSuccess: t.oWins / n,
    oracleMeanLength: t.oSteps / n,
    oracleMeanReturn: t.oRet / n,
    oracleMeanFindSteps: find ? t.oFind / n : null,
    oracleStepsPerFind: find ? t.oFind / Math.max(t.oFinds, 1) : null
  }
}

function sum(a: Totals, b: Totals): Totals {
  const out = { ...a }
  for (const k of Object.keys(b) as (keyof Totals)[]) out[k] += b[k]
  return out
}

export function demonstratorReport(options: DemoReportOptions = {}): DemoReportRow[] {
  const episodes = options.episodes ?? 200
  const envs = options.envs ?? ['alfworld', 'webshop', 'sokoban']
  const rows: DemoReportRow[] = []
  if (envs.includes('alfworld')) {
    for (const split of options.alfworldSplits ?? ['valid_seen', 'valid_unseen']) {
      let all: Totals | null = null
      for (const taskType of ALFWORLD_TASK_TYPES) {
        const env = createAlfworldEnv({ split, taskTypes: [taskType] })
        const t = play(env, createAlfworldDemonstrator(), episodes)
        rows.push(row('alfworld', split, ALFWORLD_TASK_LABELS[taskType], t, true))
        all = all ? sum(all, t) : t
      }
      if (all) rows.push(row('alfworld', split, 'all', all, true))
    }
  }
  if (envs.includes('webshop')) {
    const input: WebshopOptionsInput = { split: 'test', ...options.webshop }
    const t = play(createWebshopEnv(input), createWebshopDemonstrator(), episodes)
    rows.push(row('webshop', input.split ?? 'test', 'all', t, false))
  }
  if (envs.includes('sokoban')) {
    const t = play(createSokobanEnv(options.sokoban), createSokobanDemonstrator(), episodes)
    rows.push(row('sokoban', '-', 'all', t, false))
  }
  return rows
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`
const num = (x: number | null): string => (x === null ? '-' : x.toFixed(2))

/** The rows as a Markdown table. */
export function formatDemonstratorReport(rows: readonly DemoReportRow[]): string {
  const head =
    '| env | split | task | episodes | success | mean length | find steps (per find) | mean return | oracle success | oracle mean length | oracle find steps (per find) | oracle mean return |'
  const rule = '|' + ' --- |'.repeat(12)
  const find = (total: number | null, per: number | null): string =>
    total === null ? '-' : `${num(total)} (${num(per)})`
  const lines = rows.map(
    (r) =>
      `| ${r.env} | ${r.split} | ${r.taskType} | ${r.episodes} | ${pct(r.success)} | ${num(r.meanLength)} | ${find(r.meanFindSteps, r.stepsPerFind)} | ${num(r.meanReturn)} | ${pct(r.oracleSuccess)} | ${num(r.oracleMeanLength)} | ${find(r.oracleMeanFindSteps, r.oracleStepsPerFind)} | ${num(r.oracleMeanReturn)} |`
  )
  return [head, rule, ...lines].join('\n')
}
