// An API error shown inline: its message and, for validation errors, the offending field.
import type React from 'react'
import type { ApiError } from '../../../core/api/entities'

export function ErrorMessage({
  error,
  testId = 'error'
}: {
  error: ApiError | undefined
  testId?: string
}): React.JSX.Element | null {
  if (!error) return null
  // Validation messages often repeat the field ("config.iterations: Too small…"): say it once.
  const message =
    error.field && error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message
  return (
    <div className="error" role="alert" data-testid={testId} data-field={error.field ?? ''}>
      <strong>{error.type}</strong>
      {error.field ? (
        <>
          {' '}
          in <code>{error.field}</code>
        </>
      ) : null}
      : {message}
    </div>
  )
}
