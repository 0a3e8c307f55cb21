import type React from 'react'
import type { RunStatus } from '../../../core/api/entities'

export function StatusBadge({
  status,
  testId
}: {
  status: RunStatus | null
  testId?: string
}): React.JSX.Element {
  return (
    <span
      className={`badge badge-${status ?? 'none'}`}
      data-testid={testId}
      data-status={status ?? ''}
    >
      {status ?? 'no runs'}
    </span>
  )
}
