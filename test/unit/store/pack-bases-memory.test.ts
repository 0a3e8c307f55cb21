// What the writer's remembered bases hold in memory: their own copy of each pack (not the buffer a
// view of it came from) and no more than their byte limit, key and entry overhead included.
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { openDatabase, StoreWriter } from '../../../core/store'
import { PackBases } from '../../../core/store/pack-bases'
import { batchOf } from '../../helpers/random-episodes'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

describe('pack bases in memory', () => {
  const config = experimentConfigSchema.parse({ env: 'webshop', algo: 'grpo', seed: 3 })

  it('keeps a copy of an offered view, and evicts by bytes, least recently used first', () => {
    const db = openDatabase(tmp.file('bases-mem.db'))
    const writer = new StoreWriter(db)
    const runId = writer.createRun(writer.createExperiment('x', null, config), config)
    writer.insertRollouts(runId, batchOf(config, 0, [11, 12, 13], 1))
    const rows = db
      .prepare(
        `SELECT p.episode_id, p.codec, p.body, e.task FROM step_packs p
         JOIN episodes e ON e.id = p.episode_id ORDER BY p.episode_id`
      )
      .all() as { episode_id: number; codec: number; body: Buffer; task: string }[]
    expect(rows).toHaveLength(3)

    const entryOf = (r: (typeof rows)[number]) => {
      // As zlib hands it over: a short view at the start of a 16 KiB chunk.
      const chunk = Buffer.alloc(16 * 1024)
      r.body.copy(chunk)
      return {
        episodeId: r.episode_id,
        iteration: 0,
        codec: r.codec,
        body: chunk.subarray(0, r.body.length)
      }
    }
    const cost = (r: (typeof rows)[number]) =>
      r.body.length + 2 * `${runId}\u0000webshop\u0000${r.task}`.length + 160
    const [a, b, c] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]]
    // Room for two entries: offering a third evicts the least recently used.
    const bases = new PackBases(db, cost(a) + cost(b) + Math.min(cost(a), cost(b), cost(c)) - 1)
    const offered = entryOf(a)
    bases.offer(runId, 'webshop', a.task, offered)
    bases.offer(runId, 'webshop', b.task, entryOf(b))
    const found = bases.find(runId, 'webshop', a.task, 0)
    expect(Buffer.compare(found?.body ?? Buffer.alloc(0), a.body)).toBe(0)
    expect(found?.body.buffer).not.toBe(offered.body.buffer)
    expect(found?.body.buffer.byteLength).toBe(a.body.length)

    bases.offer(runId, 'webshop', c.task, entryOf(c)) // a was used last: b goes
    expect(bases.find(runId, 'webshop', b.task, 0)).toBeUndefined()
    expect(bases.find(runId, 'webshop', a.task, 0)?.episodeId).toBe(a.episode_id)
    expect(bases.find(runId, 'webshop', c.task, 0)?.episodeId).toBe(c.episode_id)
    db.close()
  })
})
