// Labels and comments on one target (a run, group, blueprint, episode or step): a control per
// label the experiment defines, the comments with their edits, and a box for a new one. Every
// change is a new stored row; earlier values show under "history".
import { useState } from 'react'
import type React from 'react'
import type {
  Annotation,
  AnnotationRevision,
  AnnotationTarget,
  LabelSchema
} from '../../../../core/api/entities'
import { ErrorMessage } from '../../components/error-message'
import { fmtTime } from '../../format'
import { useLabels, useTargetAnnotations, type TargetAnnotations } from './hooks'
import { valueKeys, valueText } from './model/review-keys'
import './annotations.css'

const targetName = (t: AnnotationTarget): string =>
  t.type === 'step' ? `step ${t.t}` : t.type === 'blueprint' ? 'blueprint' : t.type

function History({
  revisions,
  label
}: {
  revisions: AnnotationRevision[]
  label: LabelSchema | undefined
}): React.JSX.Element | null {
  if (revisions.length === 0) return null
  return (
    <details className="ann-history" data-testid="ann-history">
      <summary>
        {revisions.length} earlier version{revisions.length === 1 ? '' : 's'}
      </summary>
      <ol>
        {revisions.map((r) => (
          <li key={r.id}>
            <span className="mono">
              {r.value === null ? '(cleared)' : valueText(label, r.value)}
            </span>{' '}
            <span className="muted small">
              — {r.author}, {fmtTime(r.createdAt)}
            </span>
          </li>
        ))}
      </ol>
    </details>
  )
}

function LabelControl({
  label,
  current,
  state,
  keysShown
}: {
  label: LabelSchema
  current: Annotation | undefined
  state: TargetAnnotations
  keysShown: boolean
}): React.JSX.Element {
  const set = (value: string | null): void =>
    void state.add({ kind: 'label', label: label.name, value })
  return (
    <div
      className="ann-label"
      data-testid={`ann-label-${label.name}`}
      data-value={current?.value ?? ''}
    >
      <span className="ann-label-name" title={label.description || undefined}>
        {label.name}
      </span>
      <span className="ann-values">
        {valueKeys(label).map(({ value, key }) => (
          <button
            key={value}
            className={current?.value === value ? 'chip on' : 'chip'}
            aria-pressed={current?.value === value}
            data-testid={`ann-set-${label.name}-${value}`}
            disabled={state.busy}
            onClick={() => set(current?.value === value ? null : value)}
          >
            {valueText(label, value)}
            {keysShown && key !== valueText(label, value) ? <kbd>{key}</kbd> : null}
          </button>
        ))}
      </span>
      {current ? (
        <span className="muted small" data-testid={`ann-by-${label.name}`}>
          {current.author}, {fmtTime(current.createdAt)}
        </span>
      ) : null}
      {current ? <History revisions={current.history} label={label} /> : null}
    </div>
  )
}

function Comment({
  comment,
  state
}: {
  comment: Annotation
  state: TargetAnnotations
}): React.JSX.Element {
  const [editing, setEditing] = useState<string | null>(null)
  return (
    <li className="ann-comment" data-testid="ann-comment" data-id={comment.id}>
      <div className="muted small">
        {comment.author}, {fmtTime(comment.createdAt)}
        {comment.history.length > 0 ? ' (edited)' : ''}
        <span className="spacer" />
        <button
          className="link-button"
          data-testid="ann-comment-edit"
          onClick={() => setEditing(comment.value)}
        >
          edit
        </button>
        <button
          className="link-button"
          data-testid="ann-comment-delete"
          disabled={state.busy}
          onClick={() => void state.add({ kind: 'comment', value: null, supersedes: comment.id })}
        >
          delete
        </button>
      </div>
      {editing === null ? (
        <p className="ann-text" data-testid="ann-comment-text">
          {comment.value}
        </p>
      ) : (
        <CommentBox
          initial={editing}
          busy={state.busy}
          submitLabel="Save"
          onCancel={() => setEditing(null)}
          onSubmit={async (value) => {
            const ok = await state.add({ kind: 'comment', value, supersedes: comment.id })
            if (ok) setEditing(null)
            return ok
          }}
        />
      )}
      <History revisions={comment.history} label={undefined} />
    </li>
  )
}

export function CommentBox({
  initial = '',
  busy,
  submitLabel = 'Comment',
  onSubmit,
  onCancel,
  inputRef
}: {
  initial?: string
  busy: boolean
  submitLabel?: string
  onSubmit: (value: string) => Promise<boolean>
  onCancel?: () => void
  inputRef?: React.Ref<HTMLTextAreaElement>
}): React.JSX.Element {
  const [text, setText] = useState(initial)
  const submit = async (): Promise<void> => {
    if (text.trim() === '') return
    if (await onSubmit(text)) setText('')
  }
  return (
    <div className="ann-box">
      <textarea
        ref={inputRef}
        data-testid="ann-comment-input"
        rows={2}
        value={text}
        placeholder="Comment (Ctrl+Enter to save)"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit()
          if (e.key === 'Escape') {
            e.currentTarget.blur()
            onCancel?.()
          }
        }}
      />
      <div className="actions">
        <button
          className="button small primary"
          data-testid="ann-comment-save"
          disabled={busy || text.trim() === ''}
          onClick={() => void submit()}
        >
          {submitLabel}
        </button>
        {onCancel ? (
          <button className="button small" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </div>
  )
}

type PanelProps = {
  target: AnnotationTarget
  experimentId: number
  keysShown?: boolean
  commentRef?: React.Ref<HTMLTextAreaElement>
  title?: string
}

/** Annotations of one target; `experimentId` says which label schemas apply. */
export function AnnotationPanel(props: PanelProps): React.JSX.Element {
  const state = useTargetAnnotations(props.target)
  return <AnnotationPanelView {...props} state={state} />
}

/** The panel over annotations whose state the caller holds (the review queue writes by key). */
export function AnnotationPanelView({
  target,
  experimentId,
  keysShown = false,
  commentRef,
  title,
  state
}: PanelProps & { state: TargetAnnotations }): React.JSX.Element {
  const labels = useLabels(experimentId)
  const list = state.list ?? []
  const comments = list.filter((a) => a.kind === 'comment')
  const stray = list.filter(
    (a) => a.kind === 'label' && !(labels.data ?? []).some((l) => l.name === a.label)
  )
  return (
    <section
      className="ann-panel"
      data-testid="ann-panel"
      data-target={target.type}
      data-count={list.length}
    >
      <h3>{title ?? `Annotations on this ${targetName(target)}`}</h3>
      <ErrorMessage error={labels.error ?? state.error} testId="ann-error" />
      {(labels.data ?? []).map((l) => (
        <LabelControl
          key={l.id}
          label={l}
          current={list.find((a) => a.kind === 'label' && a.label === l.name)}
          state={state}
          keysShown={keysShown}
        />
      ))}
      {labels.data && labels.data.length === 0 ? (
        <p className="muted small">No labels defined for this experiment (add them on its page).</p>
      ) : null}
      {stray.map((a) => (
        <div className="ann-label" key={a.id}>
          <span className="ann-label-name">{a.label}</span>
          <span className="mono">{a.value}</span>
        </div>
      ))}
      {comments.length > 0 ? (
        <ul className="ann-comments">
          {comments.map((c) => (
            <Comment key={c.id} comment={c} state={state} />
          ))}
        </ul>
      ) : null}
      <CommentBox
        busy={state.busy}
        inputRef={commentRef}
        onSubmit={(value) => state.add({ kind: 'comment', value })}
      />
    </section>
  )
}
