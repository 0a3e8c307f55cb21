// "Import JSONL…" on the runs page: in web mode uploads; in the desktop app main opens the file
// dialog and imports it (electron/main/files.ts). Takes a himac.episode / verl-agent.trajectory
// file; shows the new run, or every bad line with its number (nothing was imported) and the choice
// to import the good lines only.
import { useRef, useState } from 'react'
import type React from 'react'
import { desktopFiles, type DesktopFiles } from '../../api/export-links'
import { uploadEpisodes, type UploadResult } from '../../api/import-upload'
import { ErrorMessage } from '../../components/error-message'
import { href } from '../../router'

const SHOWN_BAD_LINES = 20

function Outcome({
  result,
  retry,
  close
}: {
  result: UploadResult
  retry: () => void
  close: () => void
}): React.JSX.Element {
  const dismiss = (
    <button className="button small" data-testid="import-dismiss" onClick={close}>
      Dismiss
    </button>
  )
  if ('error' in result)
    return (
      <div className="rt-import">
        <ErrorMessage error={result.error} testId="import-error" />
        {dismiss}
      </div>
    )
  const r = result.data
  const bad = r.badLines
  return (
    <div className="rt-import" data-testid="import-result" data-run-id={r.runId ?? ''}>
      {r.runId !== null ? (
        <p>
          Imported {r.episodes} episodes ({r.steps} steps) from <code>{r.file}</code> into{' '}
          <a href={href.episodes(r.runId)} data-testid="import-run-link">
            run #{r.runId}
          </a>
          {bad.length > 0 ? `; ${bad.length} bad line${bad.length > 1 ? 's' : ''} skipped` : ''}.
        </p>
      ) : bad.length > 0 ? (
        <p>
          <strong>
            {bad.length} bad line{bad.length > 1 ? 's' : ''}
          </strong>{' '}
          of {r.lines} in <code>{r.file}</code>: nothing was imported.
        </p>
      ) : (
        <p>
          <code>{r.file}</code> holds no episodes.
        </p>
      )}
      {bad.length > 0 ? (
        <ul className="rt-import-errors mono small" data-testid="import-errors">
          {bad.slice(0, SHOWN_BAD_LINES).map((b) => (
            <li key={b.line} data-line={b.line}>
              line {b.line}: {b.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}
            </li>
          ))}
          {bad.length > SHOWN_BAD_LINES ? (
            <li className="muted">… and {bad.length - SHOWN_BAD_LINES} more</li>
          ) : null}
        </ul>
      ) : null}
      <div className="rt-import-actions">
        {r.runId === null && bad.length > 0 && bad.length < r.lines ? (
          <button className="button small" data-testid="import-skip-bad" onClick={retry}>
            Import the good lines only
          </button>
        ) : null}
        {dismiss}
      </div>
    </div>
  )
}

/** The "Import JSONL…" button and, once a file was sent, the panel with its outcome. */
export function useImportJsonl(): { button: React.JSX.Element; panel: React.JSX.Element | null } {
  const input = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<UploadResult | null>(null)
  const [desktopFile, setDesktopFile] = useState<string | null>(null)
  const upload = async (f: File, skipBad: boolean): Promise<void> => {
    setBusy(true)
    setResult(null)
    setResult(await uploadEpisodes(f, { skipBad }))
    setBusy(false)
  }
  /** The desktop app: main opens the file dialog (or reuses the file) and imports it. */
  const importDesktop = async (files: DesktopFiles, skipBad: boolean): Promise<void> => {
    setBusy(true)
    setResult(null)
    const r = (await files.importFile({
      skipBad,
      ...(desktopFile !== null && skipBad ? { file: desktopFile } : {})
    })) as UploadResult | { data: null }
    setBusy(false)
    if ('data' in r && r.data === null) return
    const result = r as UploadResult
    if ('data' in result) setDesktopFile(result.data.file)
    setResult(result)
  }
  const files = desktopFiles()
  const button = files ? (
    <button
      className="button small"
      data-testid="import-jsonl"
      disabled={busy}
      title="Episodes from a JSONL file (himac.episode v1, or verl-agent.trajectory v1) into a new run"
      onClick={() => void importDesktop(files, false)}
    >
      {busy ? 'Importing…' : 'Import JSONL…'}
    </button>
  ) : (
    <label
      className={busy ? 'button small rt-import-busy' : 'button small'}
      data-testid="import-jsonl"
      title="Episodes from a JSONL file (himac.episode v1, or verl-agent.trajectory v1) into a new run"
    >
      {busy ? 'Importing…' : 'Import JSONL…'}
      <input
        ref={input}
        type="file"
        accept=".jsonl,.ndjson,application/x-ndjson"
        data-testid="import-file"
        hidden
        disabled={busy}
        onChange={(e) => {
          const f = e.target.files?.[0]
          if (input.current) input.current.value = ''
          if (!f) return
          setFile(f)
          void upload(f, false)
        }}
      />
    </label>
  )
  const panel = result ? (
    <Outcome
      result={result}
      retry={() => {
        if (files) void importDesktop(files, true)
        else if (file) void upload(file, true)
      }}
      close={() => setResult(null)}
    />
  ) : null
  return { button, panel }
}
