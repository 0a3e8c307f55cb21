// The theme in the page: <html data-theme> (styles.css keys its colours on it), following the
// system's `prefers-color-scheme` unless the user chose light or dark (kept in localStorage).
import { useEffect, useState } from 'react'
import {
  parseThemeChoice,
  resolveTheme,
  THEME_STORAGE_KEY,
  type Theme,
  type ThemeChoice
} from './model/theme'

const DARK_QUERY = '(prefers-color-scheme: dark)'

const systemDark = (): boolean => window.matchMedia(DARK_QUERY).matches

function storedChoice(): ThemeChoice {
  try {
    return parseThemeChoice(window.localStorage.getItem(THEME_STORAGE_KEY))
  } catch {
    // Storage can be refused (privacy settings): follow the system.
    return 'system'
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme
}

/** Before the first render, so that a dark page never flashes light. */
export function applyStoredTheme(): void {
  applyTheme(resolveTheme(storedChoice(), systemDark()))
}

export function useTheme(): {
  choice: ThemeChoice
  theme: Theme
  choose: (c: ThemeChoice) => void
} {
  const [choice, setChoice] = useState<ThemeChoice>(storedChoice)
  const [dark, setDark] = useState(systemDark)
  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY)
    const onChange = (): void => setDark(media.matches)
    media.addEventListener('change', onChange)
    return () => media.removeEventListener('change', onChange)
  }, [])
  const theme = resolveTheme(choice, dark)
  useEffect(() => applyTheme(theme), [theme])
  const choose = (c: ThemeChoice): void => {
    setChoice(c)
    try {
      if (c === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY)
      else window.localStorage.setItem(THEME_STORAGE_KEY, c)
    } catch {
      // Not kept across restarts, but applied now.
    }
  }
  return { choice, theme, choose }
}
