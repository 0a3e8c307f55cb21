// Every live annotation, searchable: words (in values, comments, authors, label names), label,
// value, kind and target type, in the URL; each hit links to what it is on; the matches download
// as CSV.
import { useState } from 'react'
import type React from 'react'
import {
  ANNOTATION_TARGET_TYPES,
  type AnnotationHit,
  type AnnotationSearch
} from '../../../../core/api/entities'
import { getClient } from '../../api/client'
import { ErrorMessage } from '../../components/error-message'
import { fmtTime } from '../../format'
import { href, replaceRoute } from '../../router'
import { useAnnotationSearch } from './hooks'
import { annotationsCsv } from './model/annotations-csv'

const PAGE = 100

type SearchView = Omit<AnnotationSearch, 'limit'>

function parseSearch(query: string): SearchView {
  const p = new URLSearchParams(query)
  const str = (k: string): string | undefined => p.get(k) || undefined
  const int = (k: string): number | undefined => {
    const n = Number(p.get(k))
    return Number.isInteger(n) && n >= 1 ? n : undefined
  }
  const kind = p.get('kind')
  const type = p.get('target')
  const offset = Number(p.get('offset'))
  return {
    ...(str('q') ? { text: str('q') } : {}),
    ...(str('label') ? { label: str('label') } : {}),
    ...(str('value') ? { value: str('value') } : {}),
    ...(kind === 'comment' || kind === 'label' ? { kind } : {}),
    ...((ANNOTATION_TARGET_TYPES as readonly string[]).includes(type ?? '')
      ? { targetType: type as AnnotationHit['target']['type'] }
      : {}),
    ...(int('experiment') ? { experimentId: int('experiment') } : {}),
    ...(int('run') ? { runId: int('run') } : {}),
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0
  }
}

function searchQuery(v: SearchView): string {
  const p = new URLSearchParams()
  if (v.text) p.set('q', v.text)
  if (v.label) p.set('label', v.label)
  if (v.value) p.set('value', v.value)
  if (v.kind) p.set('kind', v.kind)
  if (v.targetType) p.set('target', v.targetType)
  if (v.experimentId) p.set('experiment', String(v.experimentId))
  if (v.runId) p.set('run', String(v.runId))
  if (v.offset) p.set('offset', String(v.offset))
  return p.toString()
}

function targetLink(h: AnnotationHit): { to: string; text: string } {
  const t = h.target
  switch (t.type) {
    case 'run':
      return { to: href.experiment(h.experimentId), text: `run #${t.id}` }
    case 'group':
      return { to: href.group(t.id), text: `group #${t.id}` }
    case 'blueprint':
      return h.groupId !== null
        ? { to: href.group(h.groupId), text: `blueprint of episode #${t.id}` }
        : { to: href.replay(t.id), text: `blueprint of episode #${t.id}` }
    case 'episode':
      return { to: href.replay(t.id), text: `episode #${t.id}` }
    case 'step':
      return { to: href.replay(t.id), text: `episode #${t.id} step ${t.t}` }
  }
}

/** All matches, page by page (the search caps a page at 1000). */
async function allHits(view: SearchView): Promise<AnnotationHit[]> {
  const hits: AnnotationHit[] = []
  for (let offset = 0; ; offset += 1000) {
    const r = await getClient().invoke('annotations/search', { ...view, offset, limit: 1000 })
    if (r.error) throw new Error(r.error.message)
    hits.push(...r.data.items)
    if (hits.length >= r.data.total || r.data.items.length === 0) return hits
  }
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

export function AnnotationsPage({ query }: { query: string }): React.JSX.Element {
  const view = parseSearch(query)
  const result = useAnnotationSearch({ ...view, limit: PAGE })
  const [text, setText] = useState(view.text ?? '')
  const [exportError, setExportError] = useState<string | null>(null)
  const go = (next: Partial<SearchView>): void =>
    replaceRoute(href.annotations(searchQuery({ ...view, offset: 0, ...next })))
  const total = result.data?.total ?? 0
  const items = result.data?.items ?? []
  return (
    <div className="page" data-testid="annotations-page">
      <header className="pane-header">
        <h2>Annotations</h2>
      </header>
      <div className="toolbar">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const { text: _drop, ...rest } = view
            go(text.trim() === '' ? { ...rest, text: undefined } : { text: text.trim() })
          }}
        >
          <input
            data-testid="ann-search-text"
            placeholder="search comments, values, authors"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />{' '}
          <button className="button small" data-testid="ann-search-go" type="submit">
            Search
          </button>
        </form>
        <select
          data-testid="ann-search-kind"
          value={view.kind ?? ''}
          onChange={(e) => {
            const v = e.target.value
            go({ kind: v === 'comment' || v === 'label' ? v : undefined })
          }}
        >
          <option value="">comments and labels</option>
          <option value="comment">comments</option>
          <option value="label">labels</option>
        </select>
        <select
          data-testid="ann-search-target"
          value={view.targetType ?? ''}
          onChange={(e) =>
            go({
              targetType: (ANNOTATION_TARGET_TYPES as readonly string[]).includes(e.target.value)
                ? (e.target.value as AnnotationHit['target']['type'])
                : undefined
            })
          }
        >
          <option value="">on anything</option>
          {ANNOTATION_TARGET_TYPES.map((t) => (
            <option key={t} value={t}>
              on a {t}
            </option>
          ))}
        </select>
        {view.label ? (
          <button className="chip on" onClick={() => go({ label: undefined, value: undefined })}>
            label {view.label}
            {view.value ? ` = ${view.value}` : ''} ×
          </button>
        ) : null}
        <span className="spacer" />
        <span className="muted small" data-testid="ann-search-total" data-total={total}>
          {total === 0
            ? 'no matches'
            : `${view.offset + 1}–${view.offset + items.length} of ${total}`}
          {result.loading ? ' · loading…' : ''}
        </span>
        <button
          className="button small"
          data-testid="ann-search-prev"
          disabled={view.offset === 0}
          onClick={() => go({ offset: Math.max(0, view.offset - PAGE) })}
        >
          ← Prev
        </button>
        <button
          className="button small"
          data-testid="ann-search-next"
          disabled={view.offset + PAGE >= total}
          onClick={() => go({ offset: view.offset + PAGE })}
        >
          Next →
        </button>
        <button
          className="button small"
          data-testid="ann-export-csv"
          disabled={total === 0}
          onClick={() => {
            setExportError(null)
            allHits(view)
              .then((hits) => download('annotations.csv', annotationsCsv(hits)))
              .catch((err: unknown) => setExportError(String(err)))
          }}
        >
          Export CSV
        </button>
      </div>
      <ErrorMessage error={result.error} />
      {exportError ? <div className="error">{exportError}</div> : null}
      <div className="table-wrap">
        <table className="table" data-testid="ann-search-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>On</th>
              <th>Task</th>
              <th>Label</th>
              <th>Value / comment</th>
              <th>Experiment</th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => {
              const link = targetLink(h)
              return (
                <tr key={h.id} data-testid="ann-hit" data-id={h.id}>
                  <td className="small">{fmtTime(h.createdAt)}</td>
                  <td>{h.author}</td>
                  <td>
                    <a href={link.to} data-testid="ann-hit-link">
                      {link.text}
                    </a>
                  </td>
                  <td className="small">{h.task ?? ''}</td>
                  <td>
                    {h.label ? (
                      <button
                        className="link-button"
                        onClick={() => go({ label: h.label ?? undefined, value: h.value })}
                      >
                        {h.label}
                      </button>
                    ) : (
                      <span className="muted">comment</span>
                    )}
                  </td>
                  <td className="ann-text">
                    {h.value}
                    {h.history.length > 0 ? (
                      <span className="muted small"> ({h.history.length} earlier)</span>
                    ) : null}
                  </td>
                  <td className="small">
                    <a href={href.experiment(h.experimentId)}>{h.experimentName}</a> · run #
                    {h.runId}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {items.length === 0 && !result.loading ? (
        <p className="muted pad" data-testid="ann-search-empty">
          No annotations match. Annotate episodes, steps and groups from their pages, or label many
          quickly in a run's review queue.
        </p>
      ) : null}
    </div>
  )
}
