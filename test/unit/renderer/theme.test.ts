// The theme choice as stored, and the theme it means with the system light or dark.
import { describe, expect, it } from 'vitest'
import { parseThemeChoice, resolveTheme } from '../../../renderer/src/features/theme/model/theme'

describe('theme', () => {
  it('a stored light or dark is kept; anything else follows the system', () => {
    expect([null, 'light', 'dark', 'system', 'blue', ''].map(parseThemeChoice)).toEqual([
      'system',
      'light',
      'dark',
      'system',
      'system',
      'system'
    ])
  })

  it('system follows prefers-color-scheme; a choice overrides it', () => {
    expect(resolveTheme('system', true)).toBe('dark')
    expect(resolveTheme('system', false)).toBe('light')
    expect(resolveTheme('light', true)).toBe('light')
    expect(resolveTheme('dark', false)).toBe('dark')
  })
})
