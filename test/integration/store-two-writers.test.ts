// Two processes writing one database (two `himac train --db same.db`): a write that first reads
// (the task interner looks a text up before inserting it) must wait for the other writer's lock,
// not fail with "database is locked". A deferred transaction reads first, and SQLite refuses to
// upgrade it once another connection has written; an immediate one takes the lock first and waits.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { openDatabase, StoreReader, StoreWriter, type EpisodeRecord } from '../../core/store'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const require = createRequire(import.meta.url)

/** The other writer: holds the write lock for `holdMs`, writes a row, commits. */
const OTHER_WRITER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.file)
db.exec('BEGIN IMMEDIATE')
db.prepare("INSERT INTO tasks (hash, body) VALUES (1, 'the other writer')").run()
parentPort.postMessage('locked')
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs)
db.exec('COMMIT')
db.close()
parentPort.postMessage('committed')
`

const episode = (task: string): EpisodeRecord => ({
  phase: 'train',
  memberIndex: 0,
  env: 'sokoban',
  task,
  seed: 1,
  return: 1,
  success: true,
  length: 1,
  steps: [
    {
      t: 0,
      observation: 'obs',
      admissibleActions: ['up', 'down'],
      action: 'up',
      reward: 1,
      done: true,
      logProb: -0.7,
      advantage: 0.5,
      view: { kind: 'sokoban', room: [[0, 5, 4, 2]] }
    }
  ]
})

describe('two writers on one database file', () => {
  it('a rollout write waits for the other process to commit instead of failing', async () => {
    const file = tmp.file('two-writers.db')
    const db = openDatabase(file)
    const writer = new StoreWriter(db)
    const config = experimentConfigSchema.parse({ iterations: 1, seed: 3 })
    const runId = writer.createRun(writer.createExperiment('e', 'sokoban-smoke', config), config)

    const other = new Worker(OTHER_WRITER, {
      eval: true,
      workerData: { file, module: require.resolve('better-sqlite3'), holdMs: 400 }
    })
    const messages: string[] = []
    const committed = new Promise<void>((resolve, reject) => {
      other.on('message', (m: string) => {
        messages.push(m)
        if (m === 'committed') resolve()
      })
      other.on('error', reject)
    })
    await new Promise<void>((resolve) => other.once('message', () => resolve()))

    // A task text not stored yet: the interner reads, then inserts, inside the transaction.
    const { episodeIds } = writer.insertRollouts(runId, {
      iteration: 0,
      groups: [],
      loose: [episode('a task the database has not seen')]
    })
    await committed
    await other.terminate()

    expect(messages).toEqual(['locked', 'committed'])
    expect(episodeIds).toHaveLength(1)
    const reader = new StoreReader(db)
    expect(reader.getEpisode(episodeIds[0]!)?.task).toBe('a task the database has not seen')
    const bodies = db.prepare('SELECT body FROM tasks ORDER BY id').pluck().all()
    expect(bodies).toEqual(['the other writer', 'a task the database has not seen'])
    db.close()
  })
})
