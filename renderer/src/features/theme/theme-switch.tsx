// The nav's theme switch: system / light / dark.
import type React from 'react'
import { useTheme } from './hooks'
import { THEME_CHOICES } from './model/theme'

export function ThemeSwitch(): React.JSX.Element {
  const { choice, theme, choose } = useTheme()
  return (
    <div
      className="theme-switch"
      role="group"
      aria-label="Theme"
      data-testid="theme-switch"
      data-choice={choice}
      data-theme={theme}
    >
      {THEME_CHOICES.map((c) => (
        <button
          key={c}
          type="button"
          aria-pressed={c === choice}
          data-testid={`theme-${c}`}
          onClick={() => choose(c)}
          title={c === 'system' ? 'Follow the system setting' : `Always ${c}`}
        >
          {c}
        </button>
      ))}
    </div>
  )
}
