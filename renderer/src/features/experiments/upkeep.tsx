// An experiment's upkeep on its page: rename, tags, notes, archive, duplicate, and its config for
// the next runs edited as JSON (checked by the server like at creation; errors name the field).
import { useState } from 'react'
import type React from 'react'
import type { CommandInput } from '../../../../core/api/contract'
import type { ApiError, Experiment } from '../../../../core/api/entities'
import { getClient } from '../../api/client'
import { ErrorMessage } from '../../components/error-message'
import { href, navigate } from '../../router'
import './experiments.css'

export function ExperimentUpkeep({
  experiment: e,
  onChanged
}: {
  experiment: Experiment
  onChanged: () => void
}): React.JSX.Element {
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [name, setName] = useState<string | null>(null)
  const [tag, setTag] = useState('')
  const [notes, setNotes] = useState(e.notes)
  const [config, setConfig] = useState(() => JSON.stringify(e.config, null, 2))
  const update = async (
    change: Omit<CommandInput<'experiments/update'>, 'experimentId'>
  ): Promise<boolean> => {
    setBusy(true)
    const r = await getClient().invoke('experiments/update', { experimentId: e.id, ...change })
    setBusy(false)
    setError(r.error)
    if (!r.error) onChanged()
    return !r.error
  }
  const saveConfig = async (): Promise<void> => {
    let parsed: unknown
    try {
      parsed = JSON.parse(config)
    } catch (err) {
      setError({
        type: 'ValidationError',
        message: `config: not JSON (${(err as Error).message})`,
        field: 'config'
      })
      return
    }
    await update({ config: parsed as Experiment['config'] })
  }
  return (
    <div className="exp-upkeep" data-testid="experiment-upkeep">
      <div className="toolbar">
        {name === null ? (
          <button className="button small" data-testid="exp-rename" onClick={() => setName(e.name)}>
            Rename
          </button>
        ) : (
          <form
            onSubmit={(ev) => {
              ev.preventDefault()
              void update({ name }).then((ok) => ok && setName(null))
            }}
          >
            <input
              data-testid="exp-name"
              value={name}
              onChange={(ev) => setName(ev.target.value)}
            />{' '}
            <button className="button small primary" type="submit" disabled={busy}>
              Save
            </button>{' '}
            <button className="button small" type="button" onClick={() => setName(null)}>
              Cancel
            </button>
          </form>
        )}
        <button
          className="button small"
          data-testid="exp-duplicate"
          disabled={busy}
          onClick={() =>
            void getClient()
              .invoke('experiments/duplicate', { experimentId: e.id })
              .then((r) => {
                setError(r.error)
                if (r.data) {
                  onChanged()
                  navigate(href.experiment(r.data.id))
                }
              })
          }
        >
          Duplicate
        </button>
        <button
          className="button small"
          data-testid="exp-archive"
          disabled={busy}
          onClick={() => void update({ archived: e.archivedAt === null })}
        >
          {e.archivedAt === null ? 'Archive' : 'Unarchive'}
        </button>
        {e.archivedAt !== null ? (
          <span className="tag" data-testid="exp-archived">
            archived
          </span>
        ) : null}
      </div>
      <div className="exp-tags" data-testid="exp-tags">
        {e.tags.map((t) => (
          <span key={t} className="chip on" data-testid={`exp-tag-${t}`}>
            {t}{' '}
            <button
              className="link-button"
              aria-label={`remove tag ${t}`}
              onClick={() => void update({ tags: e.tags.filter((x) => x !== t) })}
            >
              ×
            </button>
          </span>
        ))}
        <form
          onSubmit={(ev) => {
            ev.preventDefault()
            const t = tag.trim()
            if (t === '' || e.tags.includes(t)) return
            void update({ tags: [...e.tags, t] }).then((ok) => ok && setTag(''))
          }}
        >
          <input
            data-testid="exp-tag-input"
            placeholder="add a tag"
            value={tag}
            onChange={(ev) => setTag(ev.target.value)}
          />
        </form>
      </div>
      <div className="exp-notes">
        <textarea
          data-testid="exp-notes"
          rows={2}
          placeholder="Notes on this experiment"
          value={notes}
          onChange={(ev) => setNotes(ev.target.value)}
        />
        {notes !== e.notes ? (
          <button
            className="button small primary"
            data-testid="exp-notes-save"
            disabled={busy}
            onClick={() => void update({ notes })}
          >
            Save notes
          </button>
        ) : null}
      </div>
      <details className="notes" data-testid="exp-config-edit">
        <summary>Edit the config of the next runs (JSON)</summary>
        <textarea
          className="exp-config mono"
          data-testid="exp-config"
          rows={14}
          value={config}
          onChange={(ev) => setConfig(ev.target.value)}
        />
        <div className="toolbar">
          <button
            className="button small primary"
            data-testid="exp-config-save"
            disabled={busy}
            onClick={() => void saveConfig()}
          >
            Save config
          </button>
          <span className="muted small">Runs already made keep the config they started with.</span>
        </div>
      </details>
      <ErrorMessage error={error} testId="exp-error" />
    </div>
  )
}
