// An experiment's label types (boolean, category, 1–5 score): the list and a form to add one.
import { useState } from 'react'
import type React from 'react'
import type { ApiError, LabelType } from '../../../../core/api/entities'
import { getClient } from '../../api/client'
import { ErrorMessage } from '../../components/error-message'
import { useLabels } from './hooks'

const TYPES: { type: LabelType; text: string }[] = [
  { type: 'boolean', text: 'yes / no' },
  { type: 'score', text: 'score 1–5' },
  { type: 'category', text: 'category' }
]

export function LabelSchemas({ experimentId }: { experimentId: number }): React.JSX.Element {
  const labels = useLabels(experimentId)
  const [name, setName] = useState('')
  const [type, setType] = useState<LabelType>('boolean')
  const [options, setOptions] = useState('')
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const define = async (): Promise<void> => {
    setBusy(true)
    const r = await getClient().invoke('labels/define', {
      experimentId,
      name,
      type,
      options:
        type === 'category'
          ? options
              .split(',')
              .map((o) => o.trim())
              .filter((o) => o !== '')
          : []
    })
    setBusy(false)
    setError(r.error)
    if (!r.error) {
      setName('')
      setOptions('')
      labels.reload()
    }
  }
  return (
    <details className="notes ann-schemas" data-testid="label-schemas">
      <summary>Labels ({labels.data?.length ?? '…'})</summary>
      <ul>
        {(labels.data ?? []).map((l) => (
          <li key={l.id} data-testid={`label-schema-${l.name}`}>
            <strong>{l.name}</strong>{' '}
            <span className="muted">
              {TYPES.find((t) => t.type === l.type)?.text}
              {l.type === 'category' ? `: ${l.options.join(', ')}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <div className="toolbar">
        <input
          data-testid="label-name"
          placeholder="label name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <select
          data-testid="label-type"
          value={type}
          onChange={(e) => setType(e.target.value as LabelType)}
        >
          {TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.text}
            </option>
          ))}
        </select>
        {type === 'category' ? (
          <input
            data-testid="label-options"
            placeholder="options, comma separated"
            value={options}
            onChange={(e) => setOptions(e.target.value)}
          />
        ) : null}
        <button
          className="button small"
          data-testid="label-add"
          disabled={busy || name.trim() === ''}
          onClick={() => void define()}
        >
          Add label
        </button>
      </div>
      <ErrorMessage error={error ?? labels.error} testId="label-error" />
    </details>
  )
}
