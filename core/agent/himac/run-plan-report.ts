// Prints the plan grammar's coverage of the demonstrators' episodes:
// node --import tsx core/agent/himac/run-plan-report.ts [--seeds N (200)] [--from S (1)]
// [--max-subgoals K] [--tokenizer-episodes N (the default tokenizer's 200)] [--json]
import { ENV_KINDS, buildEnvTokenizer } from '../tokenizer'
import { DEFAULT_MAX_SUBGOALS } from './grammar'
import { formatPlanReport, planReport } from './report'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const count = Number(arg('seeds') ?? 200)
const from = Number(arg('from') ?? 1)
const k = Number(arg('max-subgoals') ?? DEFAULT_MAX_SUBGOALS)
const tokenizerEpisodes = arg('tokenizer-episodes')
const { tokenizer } = buildEnvTokenizer(
  tokenizerEpisodes === undefined ? {} : { episodes: Number(tokenizerEpisodes) }
)
const seeds = Array.from({ length: count }, (_, i) => from + i)
const rows = ENV_KINDS.map((env) => planReport(tokenizer, env, seeds, k))
console.log(
  process.argv.includes('--json') ? JSON.stringify(rows, null, 2) : formatPlanReport(rows, k)
)
