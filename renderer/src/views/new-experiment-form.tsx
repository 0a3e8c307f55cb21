// "New experiment": a preset plus its key fields, validated by the server (errors name the field).
// Training presets show the training fields; reference agents (evaluation only) show just the
// fields that change an evaluation.
import { useState } from 'react'
import type React from 'react'
import type { ApiError, Preset } from '../../../core/api/entities'
import { createExperiment } from '../api/actions'
import { usePresets } from '../api/hooks'
import { ErrorMessage } from '../components/error-message'
import { isEvaluation } from '../run-kind'

type Field = {
  /** A config key; nested keys are dotted (`policy.warmStart.episodes`). */
  key: string
  label: string
  step: string
}

const TRAINING_FIELDS: Field[] = [
  { key: 'iterations', label: 'Iterations', step: '1' },
  { key: 'seed', label: 'Seed', step: '1' },
  { key: 'groupsPerIteration', label: 'Groups / iteration', step: '1' },
  { key: 'groupSize', label: 'Group size (N)', step: '1' },
  { key: 'learningRate', label: 'Learning rate', step: 'any' },
  { key: 'evalEvery', label: 'Eval every (it.)', step: '1' },
  { key: 'evalEpisodes', label: 'Eval episodes', step: '1' }
]
/** The language-model agent's size and warm start (LM presets). */
const LM_FIELDS: Field[] = [
  { key: 'policy.lm.dModel', label: 'LM width (d_model)', step: '1' },
  { key: 'policy.lm.layers', label: 'LM layers', step: '1' },
  { key: 'policy.warmStart.episodes', label: 'Cloned demos', step: '1' },
  { key: 'policy.warmStart.epochs', label: 'Cloning epochs', step: '1' }
]
/** HiMAC's phase rounds per iteration (its other options keep their per-env defaults). */
const HIMAC_FIELDS: Field[] = [
  { key: 'himac.phaseA', label: 'Phase A rounds', step: '1' },
  { key: 'himac.phaseB', label: 'Phase B rounds', step: '1' }
]
const EVALUATION_FIELDS: Field[] = [
  { key: 'seed', label: 'Seed', step: '1' },
  { key: 'evalEpisodes', label: 'Episodes', step: '1' }
]

const getPath = (obj: unknown, key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      obj
    )

/** A copy of `obj` with the dotted `key` set (objects on the way are copied, not mutated). */
function setPath(
  obj: Record<string, unknown>,
  key: string,
  value: unknown
): Record<string, unknown> {
  const [head, ...rest] = key.split('.') as [string, ...string[]]
  if (rest.length === 0) return { ...obj, [head]: value }
  const inner = obj[head]
  return {
    ...obj,
    [head]: setPath(
      inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {},
      rest.join('.'),
      value
    )
  }
}

type FieldKey = Field['key']
type FieldValues = Partial<Record<FieldKey, string>>

const fieldsFor = (preset: Preset | undefined): Field[] => {
  if (preset && isEvaluation(preset.config)) return EVALUATION_FIELDS
  if (preset?.config.algo === 'himac') return [...TRAINING_FIELDS, ...LM_FIELDS, ...HIMAC_FIELDS]
  return preset?.config.policy.kind === 'lm' ? [...TRAINING_FIELDS, ...LM_FIELDS] : TRAINING_FIELDS
}

/** Empty or non-numeric text goes to the server as null so its error names the field. */
const toNumber = (text: string | undefined): number | null => {
  const n = text === undefined || text.trim() === '' ? NaN : Number(text)
  return Number.isFinite(n) ? n : null
}

export function NewExperimentForm({
  onCreated
}: {
  onCreated: (experimentId: number) => void
}): React.JSX.Element {
  const presets = usePresets()
  const [presetId, setPresetId] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [edited, setEdited] = useState<FieldValues>({})
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [busy, setBusy] = useState(false)

  const list = presets.data ?? []
  const preset = list.find((p) => p.id === presetId) ?? list[0]
  const fields = fieldsFor(preset)
  const valueOf = (key: FieldKey): string =>
    edited[key] ?? (preset ? String(getPath(preset.config, key) ?? '') : '')
  const errorField = error?.field?.replace(/^config\./, '')

  const submit = async (ev: React.FormEvent): Promise<void> => {
    ev.preventDefault()
    if (!preset) return
    setBusy(true)
    const config = fields.reduce<Record<string, unknown>>(
      (c, f) => setPath(c, f.key, toNumber(valueOf(f.key))),
      { ...preset.config }
    )
    // Deliberately unchecked here: the server's schema is the one validator.
    const input = { name, preset: preset.id, config } as Parameters<typeof createExperiment>[0]
    const result = await createExperiment(input)
    setBusy(false)
    if (result.error) {
      setError(result.error)
      return
    }
    setError(undefined)
    onCreated(result.data.id)
  }

  return (
    <form
      className="card form"
      data-testid="new-experiment-form"
      data-kind={preset && isEvaluation(preset.config) ? 'evaluation' : 'training'}
      onSubmit={(ev) => void submit(ev)}
    >
      <h2>New experiment</h2>
      <ErrorMessage error={presets.error} />
      <label className={errorField === 'name' ? 'field invalid' : 'field'}>
        <span>Name</span>
        <input
          data-testid="field-name"
          value={name}
          placeholder="e.g. sokoban baseline"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Preset</span>
        <select
          data-testid="field-preset"
          value={preset?.id ?? ''}
          onChange={(e) => {
            setPresetId(e.target.value)
            setEdited({})
            setError(undefined)
          }}
        >
          {list.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.id})
            </option>
          ))}
        </select>
      </label>
      {preset ? <p className="muted small preset-description">{preset.description}</p> : null}
      <div className="field-grid">
        {fields.map((f) => (
          <label key={f.key} className={errorField === f.key ? 'field invalid' : 'field'}>
            <span>{f.label}</span>
            <input
              type="number"
              step={f.step}
              data-testid={`field-${f.key}`}
              value={valueOf(f.key)}
              onChange={(e) => setEdited((prev) => ({ ...prev, [f.key]: e.target.value }))}
            />
          </label>
        ))}
      </div>
      <ErrorMessage error={error} testId="form-error" />
      <div className="actions">
        <button
          type="submit"
          className="button primary"
          disabled={busy || !preset}
          data-testid="create-submit"
        >
          {busy ? 'Creating…' : 'Create experiment'}
        </button>
        <span className="muted small">
          {preset
            ? `Other settings come from the preset: env ${preset.config.env}, algo ${preset.config.algo}${
                isEvaluation(preset.config) ? ' (evaluation only, nothing is trained)' : ''
              }.`
            : null}
        </span>
      </div>
    </form>
  )
}
