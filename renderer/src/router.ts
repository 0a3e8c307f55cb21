// A tiny hash router: #/experiments, #/experiments/:id, #/groups/:id, #/studies, #/studies/:id,
// #/episodes/:id/vs/:other (a counterfactual beside its origin), and #/runs?… (the runs table),
// #/compare?…, #/runs/:id/groups?… (the group browser), #/runs/:id/episodes?…, #/episodes/:id?…
// (the replay), #/runs/:id/review?… (the review queue) and #/annotations?… whose query text holds
// the view.
import { useSyncExternalStore } from 'react'

export type Route =
  | { page: 'experiments'; experimentId: number | null }
  | { page: 'episodes'; runId: number; query: string }
  | { page: 'replay'; episodeId: number; query: string }
  | { page: 'groups'; runId: number; query: string }
  | { page: 'group'; groupId: number }
  | { page: 'runs'; query: string }
  | { page: 'compare'; query: string }
  | { page: 'studies' }
  | { page: 'study'; studyId: number }
  | { page: 'review'; runId: number; query: string }
  | { page: 'annotations'; query: string }
  | { page: 'pair'; originId: number; otherId: number }
  | { page: 'not-found'; hash: string }

const positiveInt = (s: string | undefined): number | null => {
  if (s === undefined || !/^\d+$/.test(s)) return null
  const n = Number(s)
  return n >= 1 ? n : null
}

export function parseRoute(hash: string): Route {
  const bare = hash.replace(/^#\/?/, '')
  const at = bare.indexOf('?')
  const query = at < 0 ? '' : bare.slice(at + 1)
  const parts = (at < 0 ? bare : bare.slice(0, at)).split('/').filter((p) => p !== '')
  const [head, id, tail] = parts
  if (parts.length === 0 || (head === 'experiments' && parts.length === 1)) {
    return { page: 'experiments', experimentId: null }
  }
  if (parts.length === 1 && head === 'runs') return { page: 'runs', query }
  if (parts.length === 1 && head === 'compare') return { page: 'compare', query }
  if (parts.length === 1 && head === 'studies') return { page: 'studies' }
  if (parts.length === 1 && head === 'annotations') return { page: 'annotations', query }
  const n = positiveInt(id)
  if (n !== null && head === 'experiments' && parts.length === 2) {
    return { page: 'experiments', experimentId: n }
  }
  if (n !== null && head === 'runs' && tail === 'episodes' && parts.length === 3) {
    return { page: 'episodes', runId: n, query }
  }
  if (n !== null && head === 'runs' && tail === 'review' && parts.length === 3) {
    return { page: 'review', runId: n, query }
  }
  if (n !== null && head === 'runs' && tail === 'groups' && parts.length === 3) {
    return { page: 'groups', runId: n, query }
  }
  const m = positiveInt(parts[3])
  if (n !== null && m !== null && head === 'episodes' && tail === 'vs' && parts.length === 4)
    return { page: 'pair', originId: n, otherId: m }
  if (n !== null && head === 'episodes' && parts.length === 2)
    return { page: 'replay', episodeId: n, query }
  if (n !== null && head === 'groups' && parts.length === 2) return { page: 'group', groupId: n }
  if (n !== null && head === 'studies' && parts.length === 2) return { page: 'study', studyId: n }
  return { page: 'not-found', hash }
}

export const href = {
  experiments: (): string => '#/experiments',
  experiment: (id: number): string => `#/experiments/${id}`,
  episodes: (runId: number, query = ''): string =>
    `#/runs/${runId}/episodes${query === '' ? '' : `?${query}`}`,
  replay: (episodeId: number, query = ''): string =>
    `#/episodes/${episodeId}${query === '' ? '' : `?${query}`}`,
  groups: (runId: number, query = ''): string =>
    `#/runs/${runId}/groups${query === '' ? '' : `?${query}`}`,
  group: (groupId: number): string => `#/groups/${groupId}`,
  runs: (query = ''): string => `#/runs${query === '' ? '' : `?${query}`}`,
  compare: (query: string): string => `#/compare?${query}`,
  studies: (): string => '#/studies',
  study: (id: number): string => `#/studies/${id}`,
  review: (runId: number, query = ''): string =>
    `#/runs/${runId}/review${query === '' ? '' : `?${query}`}`,
  annotations: (query = ''): string => `#/annotations${query === '' ? '' : `?${query}`}`,
  episodePair: (originId: number, otherId: number): string => `#/episodes/${originId}/vs/${otherId}`
}

// Views re-render as soon as the URL changes, not a task later when `hashchange` arrives: a
// controlled input (a checkbox whose state lives in the URL) would otherwise show its old state
// for a moment after the click.
const listeners = new Set<() => void>()
const notify = (): void => listeners.forEach((l) => l())

export function navigate(to: string): void {
  window.location.hash = to
  notify()
}

/** Moves to `to` without a new history entry (a view setting changed, not a new page). */
export function replaceRoute(to: string): void {
  window.location.replace(to)
  notify()
}

const subscribe = (onChange: () => void): (() => void) => {
  listeners.add(onChange)
  window.addEventListener('hashchange', onChange)
  return () => {
    listeners.delete(onChange)
    window.removeEventListener('hashchange', onChange)
  }
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash)
  return parseRoute(hash)
}
