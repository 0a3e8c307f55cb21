// What the replay's URL holds besides the episode: the selected step (`t`) and the list the user
// came from, so that j / k walk it (#/episodes/12?run=3&phase=eval&success=1&offset=50&t=7 or
// #/episodes/12?group=7). `offset` is the episode's position in the run's filtered list, as
// episodes/page counts it. The episodes page keeps its own filters and page in its URL too.

export type Phase = 'train' | 'eval'

/** The episodes page's page size (episodes/page allows up to 500). */
export const EPISODES_PAGE_SIZE = 200

export type EpisodeList =
  | { kind: 'run'; runId: number; phase: Phase | null; success: boolean | null; offset: number }
  | { kind: 'group'; groupId: number }

export type ReplayView = { t: number | null; list: EpisodeList | null }

export type EpisodesView = { phase: Phase | null; success: boolean | null; offset: number }

const whole = (text: string | null): number | null =>
  text !== null && /^\d+$/.test(text) ? Number(text) : null
const positive = (text: string | null): number | null => {
  const n = whole(text)
  return n !== null && n >= 1 ? n : null
}
const phaseOf = (text: string | null): Phase | null =>
  text === 'train' || text === 'eval' ? text : null
const successOf = (text: string | null): boolean | null =>
  text === '1' ? true : text === '0' ? false : null

function setFilters(q: URLSearchParams, v: { phase: Phase | null; success: boolean | null }): void {
  if (v.phase !== null) q.set('phase', v.phase)
  if (v.success !== null) q.set('success', v.success ? '1' : '0')
}

export function parseReplayView(query: string): ReplayView {
  const q = new URLSearchParams(query)
  const runId = positive(q.get('run'))
  const groupId = positive(q.get('group'))
  const list: EpisodeList | null =
    groupId !== null
      ? { kind: 'group', groupId }
      : runId !== null
        ? {
            kind: 'run',
            runId,
            phase: phaseOf(q.get('phase')),
            success: successOf(q.get('success')),
            offset: whole(q.get('offset')) ?? 0
          }
        : null
  return { t: whole(q.get('t')), list }
}

export function replayViewQuery(view: ReplayView): string {
  const q = new URLSearchParams()
  const list = view.list
  if (list?.kind === 'group') q.set('group', String(list.groupId))
  if (list?.kind === 'run') {
    q.set('run', String(list.runId))
    setFilters(q, list)
    q.set('offset', String(list.offset))
  }
  if (view.t !== null) q.set('t', String(view.t))
  return q.toString()
}

/**
 * The query to write once the replay of `episodeId` rests on step `t` (`firstT`: its first step's),
 * from the route the window is on now (router.ts's Route); null when there is nothing to write:
 * the URL says so already, or it has moved to another page while the write waited (written anyway,
 * it took the user back to this replay: an e2e run under load went to another episode and landed
 * here again).
 */
export function replayStepQuery(
  route: { page: string; episodeId?: number; query?: string },
  episodeId: number,
  t: number,
  firstT: number | undefined
): string | null {
  if (route.page !== 'replay' || route.episodeId !== episodeId) return null
  const current = parseReplayView(route.query ?? '')
  // Opened without a step and still on the first: nothing to say.
  if (current.t === t || (current.t === null && t === firstT)) return null
  return replayViewQuery({ ...current, t })
}

export function parseEpisodesView(query: string): EpisodesView {
  const q = new URLSearchParams(query)
  return {
    phase: phaseOf(q.get('phase')),
    success: successOf(q.get('success')),
    offset: whole(q.get('offset')) ?? 0
  }
}

export function episodesViewQuery(view: EpisodesView): string {
  const q = new URLSearchParams()
  setFilters(q, view)
  if (view.offset > 0) q.set('offset', String(view.offset))
  return q.toString()
}

/** The episodes page a run list came from: its filters, at the page that holds the episode. */
export function episodesViewOf(
  list: EpisodeList & { kind: 'run' },
  pageSize: number
): EpisodesView {
  return {
    phase: list.phase,
    success: list.success,
    offset: Math.floor(list.offset / pageSize) * pageSize
  }
}

/** The episodes/page window read for j / k: the episode and one on each side. */
export function neighbourWindow(offset: number): { offset: number; limit: number } {
  return offset === 0 ? { offset: 0, limit: 2 } : { offset: offset - 1, limit: 3 }
}

export type Neighbour = { episodeId: number; list: EpisodeList }
export type Neighbours = {
  prev: Neighbour | null
  next: Neighbour | null
  /** 0-based position in the list and its length; null when the episode is not in it. */
  position: number | null
  total: number
}

/** prev / next in a run list, from the window `neighbourWindow` asked for and its answer. */
export function runNeighbours(
  list: EpisodeList & { kind: 'run' },
  episodeId: number,
  windowOffset: number,
  page: { total: number; items: readonly { id: number }[] }
): Neighbours {
  const at = page.items.findIndex((e) => e.id === episodeId)
  if (at < 0) return { prev: null, next: null, position: null, total: page.total }
  const position = windowOffset + at
  const to = (item: { id: number } | undefined, offset: number): Neighbour | null =>
    item ? { episodeId: item.id, list: { ...list, offset } } : null
  return {
    prev: to(page.items[at - 1], position - 1),
    next: to(page.items[at + 1], position + 1),
    position,
    total: page.total
  }
}

/** prev / next among a group's members (member order). */
export function groupNeighbours(
  list: EpisodeList & { kind: 'group' },
  episodeId: number,
  members: readonly { episodeId: number; memberIndex: number }[]
): Neighbours {
  const sorted = [...members].sort((a, b) => a.memberIndex - b.memberIndex)
  const at = sorted.findIndex((m) => m.episodeId === episodeId)
  if (at < 0) return { prev: null, next: null, position: null, total: sorted.length }
  const to = (m: { episodeId: number } | undefined): Neighbour | null =>
    m ? { episodeId: m.episodeId, list } : null
  return { prev: to(sorted[at - 1]), next: to(sorted[at + 1]), position: at, total: sorted.length }
}
