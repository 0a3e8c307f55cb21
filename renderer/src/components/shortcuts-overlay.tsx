// The keyboard shortcuts overlay: `?` (or the nav's button) toggles it, Esc or a click outside
// closes it. While it is open, pages ignore their own keys (useShortcutsOpen).
import { createContext, useContext, useEffect, useState } from 'react'
import type React from 'react'

export type ShortcutSection = { title: string; keys: readonly { keys: string; what: string }[] }

type Overlay = { open: boolean; setOpen: (open: boolean) => void }

const OverlayContext = createContext<Overlay>({ open: false, setOpen: () => undefined })

const typing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement &&
  (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))

/** The overlay's state, with `?` and Esc bound on the window. */
export function useShortcutsOverlay(): Overlay {
  const [open, setOpen] = useState(false)
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false)
      else if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
        e.preventDefault()
        setOpen((o) => !o)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return { open, setOpen }
}

export const ShortcutsProvider = OverlayContext.Provider

export function useShortcutsOpen(): boolean {
  return useContext(OverlayContext).open
}

export function ShortcutsOverlay({
  sections
}: {
  sections: readonly ShortcutSection[]
}): React.JSX.Element | null {
  const { open, setOpen } = useContext(OverlayContext)
  if (!open) return null
  return (
    <div className="overlay-backdrop" onClick={() => setOpen(false)}>
      <div
        className="overlay"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        data-testid="shortcuts-overlay"
        onClick={(e) => e.stopPropagation()}
      >
        <header className="overlay-head">
          <h3>Keyboard shortcuts</h3>
          <button
            type="button"
            className="button small"
            data-testid="shortcuts-close"
            // Focus inside the dialog, so that Tab and Enter act on it.
            autoFocus
            onClick={() => setOpen(false)}
          >
            Esc
          </button>
        </header>
        {sections.map((s) => (
          <section key={s.title}>
            <h4>{s.title}</h4>
            <dl className="shortcut-list">
              {s.keys.map((k) => (
                <div key={k.keys}>
                  <dt>
                    <kbd>{k.keys}</kbd>
                  </dt>
                  <dd>{k.what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </div>
  )
}
