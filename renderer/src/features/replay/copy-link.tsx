// Copies a link to the step on screen (the URL follows the step only once stepping pauses).
import { useEffect, useState } from 'react'
import type React from 'react'

type State = 'idle' | 'copied' | 'failed'

export function CopyLink({ hash }: { hash: string }): React.JSX.Element {
  const [state, setState] = useState<State>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 1500)
    return () => clearTimeout(timer)
  }, [state])
  const copy = (): void => {
    const url = `${window.location.href.replace(/#.*$/, '')}${hash}`
    navigator.clipboard.writeText(url).then(
      () => setState('copied'),
      () => setState('failed')
    )
  }
  return (
    <button
      type="button"
      className="button small copy-link"
      data-testid="copy-link"
      data-href={hash}
      onClick={copy}
      title="Copy a link to this step"
    >
      {state === 'copied' ? 'copied' : state === 'failed' ? 'copy failed' : 'copy link'}
    </button>
  )
}
