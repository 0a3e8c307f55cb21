// Light and dark themes: the user's choice (system, light or dark; stored in localStorage) and
// the theme it means given the system's preference.

export type ThemeChoice = 'system' | 'light' | 'dark'
export type Theme = 'light' | 'dark'

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark']
export const THEME_STORAGE_KEY = 'himac.theme'

/** A stored value as a choice; anything else (nothing stored, an old value) follows the system. */
export function parseThemeChoice(stored: string | null): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system'
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice
}
