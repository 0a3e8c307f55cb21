// Which earlier step pack a new episode is compressed against (step-pack.ts, codecs 9–12): the
// first pack this writer stored without a base for the same run, environment and task. Episodes of
// one task (a group's members, the same held-out task at every evaluation) visit the same pages.
// The map lives in memory only: after a restart, or once a base is evicted, the next episode of
// that task becomes a new base, which costs bytes and nothing else.
import type { Statement } from 'better-sqlite3'
import type { Db } from './open'
import type { PackBase } from './step-pack'

// Only the compressed pack is kept (a packer inflates it again, ~0.1 ms): keeping the texts too grew
// a long run's memory by ~50 KB an iteration, most of it for training tasks that never come back.
// The least recently used bases go first, so the held-out tasks every evaluation revisits stay.
type Entry = { episodeId: number; iteration: number; codec: number; body: Buffer }

// Map slot, entry object and key header, roughly; the key's characters are counted on top.
const ENTRY_OVERHEAD_BYTES = 160

/** Compressed bases kept for lookups (a WebShop pack is 1–3 KB). */
const DEFAULT_LIMIT_BYTES = 4 * 1024 * 1024

export class PackBases {
  private readonly entries = new Map<string, Entry>()
  private bytes = 0
  private stored: Statement | undefined

  constructor(
    private readonly db: Db,
    private readonly limitBytes = DEFAULT_LIMIT_BYTES
  ) {}

  /**
   * A base for an episode of `iteration`, if one is known and still stored as it was: a rewind or
   * a rolled-back transaction may have removed it, and its id may since name another episode. A
   * base never comes from a later iteration, so deleting iterations from some point on (a resume's
   * rewind) takes every episode packed against a deleted base with it.
   */
  find(
    runId: number,
    env: string,
    task: string,
    iteration: number
  ): (PackBase & { episodeId: number }) | undefined {
    const key = keyOf(runId, env, task)
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.stored ??= this.db.prepare(
      'SELECT codec, body FROM step_packs WHERE episode_id = ? AND base_episode_id IS NULL'
    )
    const row = this.stored.get(entry.episodeId) as { codec: number; body: Buffer } | undefined
    if (!row || row.codec !== entry.codec || !row.body.equals(entry.body)) {
      this.drop(key, entry)
      return undefined
    }
    if (entry.iteration > iteration) return undefined
    this.entries.delete(key) // most recently used last
    this.entries.set(key, entry)
    return entry
  }

  /** Offers a pack stored without a base; the first one of its task becomes the task's base. */
  offer(runId: number, env: string, task: string, offered: Entry): void {
    const entry: Entry = {
      episodeId: offered.episodeId,
      iteration: offered.iteration,
      codec: offered.codec,
      body: ownCopy(offered.body)
    }
    const key = keyOf(runId, env, task)
    const known = this.entries.get(key)
    if (known && known.episodeId !== entry.episodeId) return
    // The same episode again: its pack was rewritten (`himac db repack`).
    if (known) this.drop(key, known)
    this.entries.set(key, entry)
    this.bytes += costOf(key, entry)
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.limitBytes) break
      this.drop(k, e)
    }
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key)
    this.bytes -= costOf(key, entry)
  }
}

// zlib returns a view of its 16 KiB output chunk, and keeping the view kept the chunk (~33 KB of
// live memory an MLP Sokoban iteration, uncounted by the limit). Not from Node's shared 8 KiB pool
// either, where one kept slice keeps a whole slab.
function ownCopy(body: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(body.length)
  body.copy(copy)
  return copy
}

const costOf = (key: string, entry: Entry): number =>
  entry.body.length + 2 * key.length + ENTRY_OVERHEAD_BYTES

const keyOf = (runId: number, env: string, task: string): string =>
  `${runId}\u0000${env}\u0000${task}`
