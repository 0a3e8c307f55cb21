// An export button: a download link in web mode; in the desktop app a button that asks main to
// save the same export through the native dialog (and says where it went).
import { useState } from 'react'
import type React from 'react'
import { desktopFiles } from '../api/export-links'

type Saved = { data?: { file: string } | null; error?: { message: string } }

export function ExportLink({
  href,
  testId,
  title,
  children
}: {
  href: string
  testId: string
  title: string
  children: React.ReactNode
}): React.JSX.Element {
  const files = desktopFiles()
  const [note, setNote] = useState<string | null>(null)
  if (!files)
    return (
      <a className="button small" data-testid={testId} href={href} download title={title}>
        {children}
      </a>
    )
  return (
    <>
      <button
        className="button small"
        data-testid={testId}
        title={title}
        onClick={() =>
          void files.saveExport(href).then((r) => {
            const saved = r as Saved
            setNote(
              saved.error ? saved.error.message : saved.data ? `saved ${saved.data.file}` : null
            )
          })
        }
      >
        {children}
      </button>
      {note ? <span className="muted small">{note}</span> : null}
    </>
  )
}
