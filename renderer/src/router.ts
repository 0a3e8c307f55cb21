// A tiny hash router: #/experiments, #/experiments/:id, #/runs/:id/episodes, #/episodes/:id.
import { useSyncExternalStore } from 'react'

export type Route =
  | { page: 'experiments'; experimentId: number | null }
  | { page: 'episodes'; runId: number }
  | { page: 'replay'; episodeId: number }
  | { page: 'not-found'; hash: string }

const positiveInt = (s: string | undefined): number | null => {
  if (s === undefined || !/^\d+$/.test(s)) return null
  const n = Number(s)
  return n >= 1 ? n : null
}

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
  const [head, id, tail] = parts
  if (parts.length === 0 || (head === 'experiments' && parts.length === 1)) {
    return { page: 'experiments', experimentId: null }
  }
  const n = positiveInt(id)
  if (n !== null && head === 'experiments' && parts.length === 2) {
    return { page: 'experiments', experimentId: n }
  }
  if (n !== null && head === 'runs' && tail === 'episodes' && parts.length === 3) {
    return { page: 'episodes', runId: n }
  }
  if (n !== null && head === 'episodes' && parts.length === 2)
    return { page: 'replay', episodeId: n }
  return { page: 'not-found', hash }
}

export const href = {
  experiments: (): string => '#/experiments',
  experiment: (id: number): string => `#/experiments/${id}`,
  episodes: (runId: number): string => `#/runs/${runId}/episodes`,
  replay: (episodeId: number): string => `#/episodes/${episodeId}`
}

export function navigate(to: string): void {
  window.location.hash = to
}

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash)
  return parseRoute(hash)
}
