// The group browser as URL query text (#/runs/:id/groups?it=…&level=…&filter=…&type=…&offset=…).
import type { GroupFilter, GroupLevel } from '../../../../../core/api/entities'

export type BrowseView = {
  iteration: number | null
  level: GroupLevel | null
  filter: GroupFilter
  taskType: string | null
  offset: number
}

export const GROUP_FILTERS: readonly { value: GroupFilter; label: string }[] = [
  { value: 'all', label: 'all groups' },
  { value: 'all-equal', label: 'all returns equal' },
  { value: 'zstar-succeeded', label: 'z* succeeded' },
  { value: 'zstar-failed', label: 'z* failed' }
]

const LEVELS: readonly GroupLevel[] = ['macro', 'micro', 'flat']

const whole = (text: string | null): number | null =>
  text !== null && /^\d+$/.test(text) ? Number(text) : null

export function parseBrowseView(query: string): BrowseView {
  const q = new URLSearchParams(query)
  const level = q.get('level')
  const filter = q.get('filter')
  return {
    iteration: whole(q.get('it')),
    level: (LEVELS as readonly string[]).includes(level ?? '') ? (level as GroupLevel) : null,
    filter: GROUP_FILTERS.some((f) => f.value === filter) ? (filter as GroupFilter) : 'all',
    taskType: q.get('type') || null,
    offset: whole(q.get('offset')) ?? 0
  }
}

export function browseViewQuery(view: BrowseView): string {
  const q = new URLSearchParams()
  if (view.iteration !== null) q.set('it', String(view.iteration))
  if (view.level !== null) q.set('level', view.level)
  if (view.filter !== 'all') q.set('filter', view.filter)
  if (view.taskType !== null) q.set('type', view.taskType)
  if (view.offset > 0) q.set('offset', String(view.offset))
  return q.toString()
}
