// verl-agent's WebShop wrapper formatting (envs.md §2.6).

import type { RenderedPage } from './pages'

export const SEARCH_PLACEHOLDER = 'search[<your query>]'

/** format_obs: the parts after the instruction, each in single quotes, joined with " [SEP] ". */
export function formatObservation(rawText: string, instruction: string): string {
  const parts = rawText.split(' [SEP] ')
  const at = parts.indexOf(instruction)
  if (at < 0) return rawText
  return parts
    .slice(at + 1)
    .map((p) => `'${p}'`)
    .join(' [SEP] ')
}

/** `search[<your query>]` when there is a search bar, then `click[c]` for every clickable. */
export function availableActions(page: RenderedPage): string[] {
  const out = page.hasSearchBar ? [SEARCH_PLACEHOLDER] : []
  for (const key of page.clickables.keys()) out.push(`click[${key}]`)
  return out
}

/** The `available_actions` block of the verl-agent prompt: one `'action',` per line. */
export function formatAvailableActions(actions: string[]): string {
  return actions.map((a) => `'${a}',`).join('\n')
}
