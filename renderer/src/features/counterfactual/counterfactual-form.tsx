// "What if": from the step on screen, another action; or one subgoal of the blueprint rewritten.
// A run's policy continues the episode (greedy unless a temperature is given); the result opens
// beside its origin.
import { useState } from 'react'
import type React from 'react'
import type { ApiError, Episode, Step } from '../../../../core/api/entities'
import { getClient } from '../../api/client'
import { useCommand } from '../../api/hooks'
import { ErrorMessage } from '../../components/error-message'
import { href, navigate } from '../../router'
import './counterfactual.css'

export function CounterfactualForm({
  episode,
  steps,
  t
}: {
  episode: Episode
  steps: Step[]
  t: number
}): React.JSX.Element | null {
  const step = steps[t]
  const [mode, setMode] = useState<'action' | 'subgoal'>('action')
  const [action, setAction] = useState('')
  const [subgoal, setSubgoal] = useState(0)
  const [text, setText] = useState('')
  const [policyRun, setPolicyRun] = useState('')
  const [policyIteration, setPolicyIteration] = useState('')
  const checkpoints = useCommand('runs/policy-checkpoints', {
    runId:
      /^\d+$/.test(policyRun.trim()) && Number(policyRun) >= 1 ? Number(policyRun) : episode.runId
  })
  const [temperature, setTemperature] = useState('0')
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  if (episode.counterfactual) return null
  const choices =
    step && step.action !== '' ? step.admissibleActions.filter((a) => a !== step.action) : []
  const blueprint = episode.blueprint ?? []
  const run = async (): Promise<void> => {
    setBusy(true)
    setError(undefined)
    const r = await getClient().invoke('episodes/counterfactual', {
      episodeId: episode.id,
      edit:
        mode === 'action'
          ? { kind: 'action', t, action: action || (choices[0] ?? '') }
          : { kind: 'subgoal', index: subgoal, text },
      ...(policyRun.trim() !== '' ? { policyRunId: Number(policyRun) } : {}),
      ...(policyIteration !== '' ? { policyIteration: Number(policyIteration) } : {}),
      temperature: Number(temperature)
    })
    setBusy(false)
    if (r.error) setError(r.error)
    else navigate(href.episodePair(episode.id, r.data.episode.id))
  }
  return (
    <details className="notes cf-form" data-testid="cf-form">
      <summary>What if… (counterfactual replay)</summary>
      <div className="toolbar">
        <label>
          <input
            type="radio"
            name="cf-mode"
            checked={mode === 'action'}
            onChange={() => setMode('action')}
          />{' '}
          at step {t}, instead of <code>{step?.action || '—'}</code>
        </label>
        <select
          data-testid="cf-action"
          value={action || (choices[0] ?? '')}
          disabled={mode !== 'action' || choices.length === 0}
          onChange={(e) => setAction(e.target.value)}
        >
          {choices.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      {blueprint.length > 0 ? (
        <div className="toolbar">
          <label>
            <input
              type="radio"
              name="cf-mode"
              data-testid="cf-mode-subgoal"
              checked={mode === 'subgoal'}
              onChange={() => setMode('subgoal')}
            />{' '}
            rewrite subgoal
          </label>
          <select
            data-testid="cf-subgoal"
            value={subgoal}
            disabled={mode !== 'subgoal'}
            onChange={(e) => setSubgoal(Number(e.target.value))}
          >
            {blueprint.map((b, i) => (
              <option key={i} value={i}>
                {i + 1}. {b}
              </option>
            ))}
          </select>
          <input
            data-testid="cf-text"
            placeholder="new subgoal text"
            value={text}
            disabled={mode !== 'subgoal'}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      ) : null}
      <div className="toolbar">
        <label>
          policy of run{' '}
          <input
            className="cf-small"
            data-testid="cf-policy-run"
            placeholder={String(episode.runId)}
            value={policyRun}
            onChange={(e) => setPolicyRun(e.target.value)}
          />
        </label>
        <label>
          checkpoint{' '}
          <select
            data-testid="cf-policy-iteration"
            value={policyIteration}
            onChange={(e) => setPolicyIteration(e.target.value)}
          >
            <option value="">newest</option>
            {(checkpoints.data ?? []).map((i) => (
              <option key={i} value={String(i)}>
                iteration {i}
              </option>
            ))}
          </select>
        </label>
        <label>
          temperature{' '}
          <input
            className="cf-small"
            data-testid="cf-temperature"
            value={temperature}
            onChange={(e) => setTemperature(e.target.value)}
          />
        </label>
        <button
          className="button small primary"
          data-testid="cf-run"
          disabled={busy || (mode === 'action' ? choices.length === 0 : text.trim() === '')}
          onClick={() => void run()}
        >
          {busy ? 'Running…' : 'Re-run from here'}
        </button>
      </div>
      <ErrorMessage error={error} testId="cf-error" />
      <p className="muted small">
        The environment replays this episode&apos;s recorded steps exactly (checked step by step),
        then the policy continues; the new episode is saved and linked to this one.
      </p>
    </details>
  )
}
