// Content-addressed texts: observations, admissible lists and replay views are stored once and
// referenced by id from every step that repeats them (they repeat heavily within groups and runs).
import crypto from 'node:crypto'
import type { Db } from './open'

/** 48 bits of MD5: a lookup key, not an identity (bodies are compared, so collisions are harmless). */
export function textHash(body: string): number {
  return crypto.createHash('md5').update(body).digest().readUIntBE(0, 6)
}

const CACHE_LIMIT = 20_000

/** Interns texts into the `texts` table; must run inside the writer's transactions. */
export class TextInterner {
  private readonly cache = new Map<string, number>()
  private readonly find
  private readonly insert

  constructor(db: Db) {
    this.find = db.prepare('SELECT id, body FROM texts WHERE hash = ?')
    this.insert = db.prepare('INSERT INTO texts (hash, body) VALUES (?, ?)')
  }

  id(body: string): number {
    const cached = this.cache.get(body)
    if (cached !== undefined) return cached
    const hash = textHash(body)
    const rows = this.find.all(hash) as { id: number; body: string }[]
    const id =
      rows.find((r) => r.body === body)?.id ?? Number(this.insert.run(hash, body).lastInsertRowid)
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear()
    this.cache.set(body, id)
    return id
  }

  /** Forget cached ids (after a rolled-back transaction they may not exist). */
  reset(): void {
    this.cache.clear()
  }
}
