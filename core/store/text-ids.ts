// Content-addressed texts, stored once and referenced by id from every row that repeats them: the
// observations, admissible lists and views of migration 3 (`texts`, replaced by step packs in
// migration 4), and episodes' task texts since migration 17 (`tasks`).
import crypto from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { Db } from './open'

/** 48 bits of MD5: a lookup key, not an identity (bodies are compared, so collisions are harmless). */
export function textHash(body: string): number {
  return crypto.createHash('md5').update(body).digest().readUIntBE(0, 6)
}

const CACHE_LIMIT = 20_000

/**
 * Interns texts into a table of (id, hash, body): `texts` (migration 3) or `tasks` (migration 17).
 * Must run inside the writer's transactions; `reset` after one rolls back.
 */
export class TextInterner {
  private readonly cache = new Map<string, number>()
  private statements: { find: Statement; insert: Statement; body: Statement } | undefined

  /** Prepares on first use: a writer may be made on a database its migrations have not reached. */
  constructor(
    private readonly db: Db,
    private readonly table: 'texts' | 'tasks' = 'texts'
  ) {}

  id(body: string): number {
    this.statements ??= {
      find: this.db.prepare(`SELECT id, body FROM ${this.table} WHERE hash = ?`),
      insert: this.db.prepare(`INSERT INTO ${this.table} (hash, body) VALUES (?, ?)`),
      body: this.db.prepare(`SELECT body FROM ${this.table} WHERE id = ?`).pluck()
    }
    const { find, insert } = this.statements
    const cached = this.cache.get(body)
    // Another process may have deleted the row since (`discardRun` drops unused tasks), and a
    // new row may have taken its id: a cached id is used only while it still holds this text.
    if (cached !== undefined && this.statements.body.get(cached) === body) return cached
    const hash = textHash(body)
    const rows = find.all(hash) as { id: number; body: string }[]
    const id =
      rows.find((r) => r.body === body)?.id ?? Number(insert.run(hash, body).lastInsertRowid)
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear()
    this.cache.set(body, id)
    return id
  }

  /** Forget cached ids (after a rolled-back transaction they may not exist). */
  reset(): void {
    this.cache.clear()
  }
}
