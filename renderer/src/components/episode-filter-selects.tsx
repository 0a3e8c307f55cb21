// The phase and outcome selects of an episode list (the episodes page, the review queue).
import type React from 'react'

export type PhaseSuccess = { phase: 'train' | 'eval' | null; success: boolean | null }

export function EpisodeFilterSelects({
  value,
  onChange,
  testIdPrefix
}: {
  value: PhaseSuccess
  /** Called with the one choice that changed. */
  onChange: (change: Partial<PhaseSuccess>) => void
  /** `<prefix>-phase` and `<prefix>-success`. */
  testIdPrefix: string
}): React.JSX.Element {
  return (
    <>
      <label>
        Phase{' '}
        <select
          data-testid={`${testIdPrefix}-phase`}
          value={value.phase ?? ''}
          onChange={(e) => {
            const v = e.target.value
            onChange({ phase: v === 'train' || v === 'eval' ? v : null })
          }}
        >
          <option value="">all</option>
          <option value="train">train</option>
          <option value="eval">eval</option>
        </select>
      </label>
      <label>
        Success{' '}
        <select
          data-testid={`${testIdPrefix}-success`}
          value={value.success === null ? '' : String(value.success)}
          onChange={(e) => {
            const v = e.target.value
            onChange({ success: v === '' ? null : v === 'true' })
          }}
        >
          <option value="">all</option>
          <option value="true">succeeded</option>
          <option value="false">failed</option>
        </select>
      </label>
    </>
  )
}
