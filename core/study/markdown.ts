// The report as Markdown (report.md) and CSV (results.csv).
import { taskTableTitle, type CiValue, type StudyReport } from '../api/study-entities'
import { formatCi } from './stats'

const pct = (ci: CiValue): string => formatCi(ci, 100, 1)
const paperCell = (v: number | null, pm: number | null): string =>
  v === null ? 'n/r' : pm === null ? v.toFixed(1) : `${v.toFixed(1)} ± ${pm.toFixed(1)}`
const minutes = (s: number): string => `${(s / 60).toFixed(1)} min`

/** Table cells: `<` and `|` would be read as HTML and as a column break. */
const cell = (s: string): string =>
  s.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|')

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

export function reportMarkdown(r: StudyReport): string {
  const s = r.study
  const webshop = s.env === 'webshop'
  const out: string[] = []
  out.push(`# Study ${s.id}: ${s.name}`)
  out.push('')
  out.push(
    `Environment **${s.env}**, preset **${s.preset}**, ${s.budget}, seeds ${s.seeds.join(', ')}; ` +
      `status **${s.status}** (${s.runsCompleted}/${s.runsPlanned} runs completed); ` +
      `training wall time ${minutes(r.totalWallTimeS)} in all.`
  )
  out.push('')
  out.push(
    'Plots: `learning-curves.svg` (evaluation success over RL updates, mean with 95 % CI band), `final-success.svg` (final success, 95 % CI whiskers).'
  )
  out.push('')
  out.push("## Final success per method (the shape of the paper's Table 1), in %")
  out.push('')
  const head = ['method', 'runs', 'success (ours)', 'greedy success (ours)']
  if (webshop) head.push('score (ours)')
  if (s.env === 'sokoban') head.push('mean return (ours)')
  head.push(`success — ${r.paper.label}`)
  if (webshop || s.env === 'sokoban') head.push(`score — ${r.paper.label}`)
  out.push(
    table(
      head,
      r.methods.map((m) => {
        const p = r.paper.rows.find((x) => x.method === m.method)
        const row = [
          m.label,
          `${m.completed}/${m.runs}`,
          pct(m.finalSuccess),
          pct(m.finalGreedySuccess)
        ]
        if (webshop) row.push(formatCi(m.finalScore, 1, 1))
        if (s.env === 'sokoban') row.push(formatCi(m.finalMeanReturn, 1, 2))
        row.push(paperCell(p?.success ?? null, p?.successPm ?? null))
        if (webshop || s.env === 'sokoban') {
          const score = p?.score ?? null
          row.push(
            score === null
              ? 'n/r'
              : s.env === 'sokoban'
                ? score.toFixed(2)
                : paperCell(score, p?.scorePm ?? null)
          )
        }
        return row
      })
    )
  )
  out.push('')
  if (r.ablations.length > 1) {
    out.push("## Ablations (the paper's Table 3), success in %")
    out.push('')
    const full = r.methods.find((m) => m.method === 'himac')?.finalSuccess.mean ?? null
    const paperFull = r.paper.rows.find((x) => x.method === 'himac')?.success ?? null
    out.push(
      table(
        [
          'variant',
          'success (ours)',
          'Δ vs HiMAC (ours)',
          `success — ${r.paper.label}`,
          'Δ (paper)'
        ],
        r.ablations.map((a) => {
          const m = r.methods.find((x) => x.method === a.method)
          const p = r.paper.rows.find((x) => x.method === a.method)
          const mean = m?.finalSuccess.mean ?? null
          const delta =
            a.method === 'himac' || mean === null || full === null
              ? ''
              : `${((mean - full) * 100).toFixed(1)}`
          const pd =
            a.method === 'himac' || p?.success == null || paperFull === null
              ? ''
              : (p.success - paperFull).toFixed(1)
          return [
            a.variant,
            m ? pct(m.finalSuccess) : '—',
            delta,
            paperCell(p?.success ?? null, null),
            pd
          ]
        })
      )
    )
    out.push('')
  }
  if (r.taskTypes.length > 0) {
    out.push(`## ${taskTableTitle(r.study.env)}, in %`)
    out.push('')
    const cols = r.taskTypes.map((t) => r.taskTypeLabels[t] ?? t)
    const rows = r.methods.map((m) => [
      m.label,
      ...r.taskTypes.map((t) => {
        const ci = m.taskSuccess[t]
        return ci ? pct(ci) : '—'
      })
    ])
    for (const p of r.paper.taskRows)
      rows.push([
        `${p.label} — ${r.paper.label}`,
        ...cols.map((c) => (p.cells[c] === undefined ? 'n/r' : p.cells[c]!.toFixed(1)))
      ])
    out.push(table(['method', ...cols], rows))
    out.push('')
    out.push("HiMAC's own per-task numbers were not published (n/r).")
    out.push('')
  }
  out.push("## Iterations to target (the paper's Table 4)")
  out.push('')
  out.push(
    table(
      [
        'method',
        ...r.targets.map((t) => `≥ ${(t * 100).toFixed(0)} % (ours: mean ± CI, reached)`),
        `≥ ${(r.paper.target * 100).toFixed(0)} % — ${r.paper.label}`
      ],
      r.methods.map((m) => {
        const p = r.paper.rows.find((x) => x.method === m.method)
        return [
          m.label,
          ...m.iterationsToTarget.map((it) =>
            it.reached === 0
              ? `not reached (0/${it.of})`
              : `${formatCi(it.value, 1, 1)} (${it.reached}/${it.of})`
          ),
          p?.iterationsToTarget != null ? `~${p.iterationsToTarget}` : 'n/r'
        ]
      })
    )
  )
  out.push('')
  out.push('## Wall time per run')
  out.push('')
  out.push(
    table(
      ['method', 'mean ± CI (s)', 'total (min)'],
      r.methods.map((m) => {
        const total = r.runs
          .filter((x) => x.method === m.method)
          .reduce((a, x) => a + x.wallTimeS, 0)
        return [m.label, formatCi(m.wallTimeS, 1, 1), (total / 60).toFixed(1)]
      })
    )
  )
  out.push('')
  out.push('## Runs')
  out.push('')
  out.push(
    table(
      [
        'run',
        'method',
        'seed',
        'status',
        'RL iterations',
        'final success',
        'greedy',
        webshop ? 'score' : 'mean return',
        'wall (s)'
      ],
      r.runs.map((x) => [
        String(x.runId),
        x.method,
        String(x.seed),
        x.status,
        String(x.rlIterations),
        num(x.finalSuccess),
        num(x.finalGreedySuccess),
        num(webshop ? x.finalScore : x.finalMeanReturn),
        x.wallTimeS.toFixed(1)
      ])
    )
  )
  out.push('')
  out.push('## Notes')
  out.push('')
  for (const n of r.notes) out.push(`- ${n}`)
  out.push('')
  return out.join('\n')
}

const num = (v: number | null): string => (v === null ? '' : String(Number(v.toFixed(4))))

const csvCell = (v: string | number | null): string => {
  if (v === null) return ''
  const s = typeof v === 'number' ? String(Number(v.toPrecision(6))) : v
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * One row per run (`row=run`) and one per method (`row=method`, mean and CI half-width over its
 * completed runs).
 */
export function reportCsv(r: StudyReport): string {
  const tasks = r.taskTypes
  const head = [
    'row',
    'study',
    'env',
    'method',
    'seed',
    'run',
    'status',
    'n',
    'rl_iterations',
    'success',
    'success_ci',
    'greedy_success',
    'greedy_success_ci',
    'score',
    'score_ci',
    'mean_return',
    'mean_return_ci',
    ...tasks.flatMap((t) => [`success_${t}`, `success_${t}_ci`]),
    ...r.targets.flatMap((t) => [`iters_to_${t}`, `iters_to_${t}_ci`, `reached_${t}`]),
    'wall_s',
    'wall_s_ci'
  ]
  const lines = [head.join(',')]
  for (const x of r.runs) {
    lines.push(
      [
        'run',
        r.study.id,
        r.study.env,
        x.method,
        x.seed,
        x.runId,
        x.status,
        1,
        x.rlIterations,
        x.finalSuccess,
        null,
        x.finalGreedySuccess,
        null,
        x.finalScore,
        null,
        x.finalMeanReturn,
        null,
        ...tasks.flatMap((t) => [x.taskSuccess[t] ?? null, null]),
        ...x.iterationsToTarget.flatMap((v) => [v, null, v === null ? 0 : 1]),
        x.wallTimeS,
        null
      ]
        .map(csvCell)
        .join(',')
    )
  }
  for (const m of r.methods) {
    const c = (ci: CiValue): (number | null)[] => [ci.mean, ci.half]
    lines.push(
      [
        'method',
        r.study.id,
        r.study.env,
        m.method,
        null,
        null,
        null,
        m.completed,
        null,
        ...c(m.finalSuccess),
        ...c(m.finalGreedySuccess),
        ...c(m.finalScore),
        ...c(m.finalMeanReturn),
        ...tasks.flatMap((t) => c(m.taskSuccess[t] ?? { n: 0, mean: null, half: null, sd: null })),
        ...m.iterationsToTarget.flatMap((it) => [...c(it.value), it.reached]),
        ...c(m.wallTimeS)
      ]
        .map(csvCell)
        .join(',')
    )
  }
  return lines.join('\n') + '\n'
}
