// #/studies/:id: one reproduction study's report — final success per method (mean ± 95 % CI over
// seeds) beside the paper's numbers (a different scale, labelled so), the ablations, ALFWorld's
// task types, iterations to target, wall time, the runs, and the learning curves.
import type React from 'react'
import { taskTableTitle, type StudyReport } from '../../../../core/api/entities'
import { ErrorMessage } from '../../components/error-message'
import { href } from '../../router'
import { useStudyReport } from './hooks'
import { ciPercent, ciPlain, colorOf, paperCell } from './model/format'
import { FinalSuccessBars, LearningCurves } from './study-charts'
import './studies.css'

const num = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits))

function MethodTable({ r }: { r: StudyReport }): React.JSX.Element {
  const webshop = r.study.env === 'webshop'
  const hasPaperScore = r.study.env !== 'alfworld'
  return (
    <table className="table" data-testid="study-methods">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>method</th>
          <th className="num">runs</th>
          <th className="num">success %</th>
          <th className="num">greedy %</th>
          {webshop ? <th className="num">score</th> : null}
          <th className="num study-paper">paper success %</th>
          {hasPaperScore ? <th className="num study-paper">paper score</th> : null}
        </tr>
      </thead>
      <tbody>
        {r.methods.map((m, i) => {
          const p = r.paper.rows.find((x) => x.method === m.method)
          return (
            <tr
              key={m.method}
              data-testid={`study-method-${m.method}`}
              data-success-mean={m.finalSuccess.mean ?? ''}
              data-success-half={m.finalSuccess.half ?? ''}
              data-completed={m.completed}
            >
              <td className="num muted">{i + 1}</td>
              <td>
                <span className="study-swatch" style={{ background: colorOf(m.method) }} />
                {m.label}
              </td>
              <td className="num">
                {m.completed}/{m.runs}
              </td>
              <td className="num mono" data-testid="study-success">
                {ciPercent(m.finalSuccess)}
              </td>
              <td className="num mono">{ciPercent(m.finalGreedySuccess)}</td>
              {webshop ? <td className="num mono">{ciPlain(m.finalScore)}</td> : null}
              <td className="num mono study-paper">
                {paperCell(p?.success ?? null, p?.successPm ?? null)}
              </td>
              {hasPaperScore ? (
                <td className="num mono study-paper">
                  {paperCell(p?.score ?? null, p?.scorePm ?? null)}
                </td>
              ) : null}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function AblationTable({ r }: { r: StudyReport }): React.JSX.Element | null {
  if (r.ablations.length < 2) return null
  const full = r.methods.find((m) => m.method === 'himac')?.finalSuccess.mean ?? null
  const paperFull = r.paper.rows.find((x) => x.method === 'himac')?.success ?? null
  return (
    <section className="study-section">
      <h3>Ablations (the paper&apos;s Table 3)</h3>
      <table className="table" data-testid="study-ablations">
        <thead>
          <tr>
            <th>variant</th>
            <th className="num">success %</th>
            <th className="num">Δ vs HiMAC</th>
            <th className="num study-paper">paper success %</th>
            <th className="num study-paper">paper Δ</th>
          </tr>
        </thead>
        <tbody>
          {r.ablations.map((a) => {
            const m = r.methods.find((x) => x.method === a.method)
            const p = r.paper.rows.find((x) => x.method === a.method)
            const mean = m?.finalSuccess.mean ?? null
            return (
              <tr key={a.variant}>
                <td>{a.variant}</td>
                <td className="num mono">{ciPercent(m?.finalSuccess)}</td>
                <td className="num mono">
                  {a.method === 'himac' || mean === null || full === null
                    ? ''
                    : ((mean - full) * 100).toFixed(1)}
                </td>
                <td className="num mono study-paper">{paperCell(p?.success ?? null, null)}</td>
                <td className="num mono study-paper">
                  {a.method === 'himac' || p?.success == null || paperFull === null
                    ? ''
                    : (p.success - paperFull).toFixed(1)}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

function TaskTable({ r }: { r: StudyReport }): React.JSX.Element | null {
  if (r.taskTypes.length === 0) return null
  return (
    <section className="study-section">
      <h3>{taskTableTitle(r.study.env)}, %</h3>
      <table className="table" data-testid="study-tasks">
        <thead>
          <tr>
            <th>method</th>
            {r.taskTypes.map((t) => (
              <th key={t} className="num" title={t}>
                {r.taskTypeLabels[t] ?? t}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.methods.map((m) => (
            <tr key={m.method}>
              <td>{m.label}</td>
              {r.taskTypes.map((t) => (
                <td key={t} className="num mono">
                  {ciPercent(m.taskSuccess[t])}
                </td>
              ))}
            </tr>
          ))}
          {r.paper.taskRows.map((p) => (
            <tr key={`paper-${p.method}`} className="study-paper">
              <td>{p.label} — paper</td>
              {r.taskTypes.map((t) => {
                const v = p.cells[r.taskTypeLabels[t] ?? t]
                return (
                  <td key={t} className="num mono">
                    {v === undefined ? 'n/r' : v.toFixed(1)}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function TargetTable({ r }: { r: StudyReport }): React.JSX.Element {
  return (
    <section className="study-section">
      <h3>Iterations to target (the paper&apos;s Table 4) and wall time</h3>
      <table className="table" data-testid="study-targets">
        <thead>
          <tr>
            <th>method</th>
            {r.targets.map((t) => (
              <th key={t} className="num">
                ≥ {Math.round(t * 100)} %
              </th>
            ))}
            <th className="num study-paper">paper ≥ {Math.round(r.paper.target * 100)} %</th>
            <th className="num">wall time per run (s)</th>
          </tr>
        </thead>
        <tbody>
          {r.methods.map((m) => {
            const p = r.paper.rows.find((x) => x.method === m.method)
            return (
              <tr key={m.method}>
                <td>{m.label}</td>
                {m.iterationsToTarget.map((it) => (
                  <td key={it.target} className="num mono">
                    {it.reached === 0
                      ? `not reached (0/${it.of})`
                      : `${ciPlain(it.value)} (${it.reached}/${it.of})`}
                  </td>
                ))}
                <td className="num mono study-paper">
                  {p?.iterationsToTarget != null ? `~${p.iterationsToTarget}` : 'n/r'}
                </td>
                <td className="num mono">{ciPlain(m.wallTimeS)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

function RunsTable({ r }: { r: StudyReport }): React.JSX.Element {
  return (
    <section className="study-section">
      <h3>Runs</h3>
      <table className="table" data-testid="study-runs">
        <thead>
          <tr>
            <th className="num">run</th>
            <th>method</th>
            <th className="num">seed</th>
            <th>status</th>
            <th className="num">RL iterations</th>
            <th className="num">final success</th>
            <th className="num">greedy</th>
            <th className="num">{r.study.env === 'webshop' ? 'score' : 'mean return'}</th>
            <th className="num">wall (s)</th>
          </tr>
        </thead>
        <tbody>
          {r.runs.map((x) => (
            <tr
              key={x.runId}
              data-testid={`study-run-${x.runId}`}
              data-final={x.finalSuccess ?? ''}
            >
              <td className="num">
                <a href={href.compare(`runs=${x.runId}`)}>{x.runId}</a>
              </td>
              <td>{x.method}</td>
              <td className="num">{x.seed}</td>
              <td>{x.status}</td>
              <td className="num">{x.rlIterations}</td>
              <td className="num mono">{num(x.finalSuccess)}</td>
              <td className="num mono">{num(x.finalGreedySuccess)}</td>
              <td className="num mono">
                {num(r.study.env === 'webshop' ? x.finalScore : x.finalMeanReturn, 2)}
              </td>
              <td className="num mono">{x.wallTimeS.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export function StudyPage({ studyId }: { studyId: number }): React.JSX.Element {
  const report = useStudyReport(studyId)
  const r = report.data
  return (
    <div className="page" data-testid="study-page" data-study-id={studyId}>
      <header className="pane-header">
        <h2>
          Study <span className="muted">#{studyId}</span> {r ? r.study.name : ''}
        </h2>
        <div className="crumbs">
          <a href={href.studies()}>← studies</a>
          {r ? (
            <span className={`tag study-status study-${r.study.status}`} data-testid="study-status">
              {r.study.status}
            </span>
          ) : null}
        </div>
      </header>
      <ErrorMessage error={report.error} />
      {r ? (
        <>
          <p className="small" data-testid="study-summary">
            <b>{r.study.env}</b>, preset <b>{r.study.preset}</b>, {r.study.budget}, seeds{' '}
            {r.study.seeds.join(', ')} · {r.study.runsCompleted}/{r.study.runsPlanned} runs
            completed · training wall time {(r.totalWallTimeS / 60).toFixed(1)} min. Grey italic
            columns: <span className="study-paper">{r.paper.label}</span>.
          </p>
          <section className="study-section">
            <h3>Final success per method (the paper&apos;s Table 1)</h3>
            <MethodTable r={r} />
          </section>
          <div className="study-charts">
            <LearningCurves report={r} />
            <FinalSuccessBars report={r} />
          </div>
          <AblationTable r={r} />
          <TaskTable r={r} />
          <TargetTable r={r} />
          <RunsTable r={r} />
          <section className="study-section">
            <h3>Notes</h3>
            <ul className="study-notes">
              {r.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </div>
  )
}
