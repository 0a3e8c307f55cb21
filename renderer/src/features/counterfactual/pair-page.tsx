// An episode and its counterfactual side by side: the shared prefix, the changed step, then both
// continuations row by row with the differing actions marked.
import type React from 'react'
import type { Episode } from '../../../../core/api/entities'
import { useEpisodeSteps } from '../../api/hooks'
import { ErrorMessage } from '../../components/error-message'
import { formatNumber } from '../../format'
import { href } from '../../router'
import { editText } from './edit-text'
import { alignSteps } from './model/align'
import './counterfactual.css'

function Head({
  e,
  label,
  edited
}: {
  e: Episode
  label: string
  edited: number | null
}): React.JSX.Element {
  return (
    <div
      className="cf-head"
      data-testid={`cf-head-${label}`}
      data-return={e.return}
      data-success={e.success}
    >
      <strong>
        {label} <a href={href.replay(e.id)}>#{e.id}</a>
      </strong>{' '}
      · return {formatNumber(e.return)} ·{' '}
      {e.success ? <span className="yes">solved</span> : 'not solved'} · {e.length} decisions
      {e.blueprint ? (
        <ol className="blueprint">
          {e.blueprint.map((b, i) => (
            <li key={i} className={i === edited ? 'cf-edited' : undefined}>
              {b}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  )
}

export function PairPage({
  originId,
  otherId
}: {
  originId: number
  otherId: number
}): React.JSX.Element {
  const a = useEpisodeSteps(originId)
  const b = useEpisodeSteps(otherId)
  const cf = b.data?.episode.counterfactual ?? null
  const from = cf?.originEpisodeId === originId ? cf.from : 0
  const rows = a.data && b.data ? alignSteps(a.data.steps, b.data.steps, from) : []
  const edited = cf?.edit.kind === 'subgoal' ? cf.edit.index : null
  return (
    <div className="page" data-testid="cf-pair-page">
      <header className="pane-header">
        <h2>
          Episode #{originId} <span className="muted">vs</span> #{otherId}
        </h2>
        <div className="crumbs">
          <a href={href.replay(originId)}>← episode #{originId}</a>
        </div>
      </header>
      <ErrorMessage error={a.error ?? b.error} />
      {cf ? (
        <p data-testid="cf-edit">
          {cf.originEpisodeId === originId ? '' : 'Not made from this episode: '}
          {editText(cf)}; identical before step {cf.from}.
        </p>
      ) : null}
      {a.data && b.data ? (
        <>
          <div className="cf-heads">
            <Head e={a.data.episode} label="origin" edited={null} />
            <Head e={b.data.episode} label="counterfactual" edited={edited} />
          </div>
          <div className="table-wrap cf-table-wrap">
            <table className="table cf-table" data-testid="cf-table">
              <thead>
                <tr>
                  <th>t</th>
                  <th>origin action</th>
                  <th>reward</th>
                  <th>counterfactual action</th>
                  <th>reward</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={r.t}
                    className={`cf-${r.kind}`}
                    data-testid={`cf-row-${r.t}`}
                    data-kind={r.kind}
                  >
                    <td className="num">{r.t}</td>
                    <td className="mono">{r.a?.action ?? ''}</td>
                    <td className="num">{r.a ? formatNumber(r.a.reward) : ''}</td>
                    <td className="mono">{r.b?.action ?? ''}</td>
                    <td className="num">{r.b ? formatNumber(r.b.reward) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </div>
  )
}
