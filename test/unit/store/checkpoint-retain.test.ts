// Older checkpoints of a run are cut down to what they retain when a newer one is stored, in the
// same transaction; a bad retain description is refused and writes nothing.
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import { openDatabase, StoreReader, StoreWriter } from '../../../core/store'
import type { CheckpointRetain } from '../../../core/store/records'
import { tempDir } from '../../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config = experimentConfigSchema.parse({ iterations: 4, seed: 1 })
const blob = (iteration: number): Uint8Array =>
  Uint8Array.from({ length: 12 }, (_, i) => iteration * 16 + i)
const retain = (iteration: number) => ({
  ranges: [
    [0, 2],
    [4, 6]
  ] as [number, number][],
  meta: { iteration, weightsOnly: true }
})

function setup(name: string) {
  const db = openDatabase(tmp.file(name))
  const writer = new StoreWriter(db)
  const experimentId = writer.createExperiment('exp', null, config)
  return { db, writer, reader: new StoreReader(db), experimentId }
}

const rows = (db: ReturnType<typeof openDatabase>, runId: number) =>
  db
    .prepare(
      'SELECT iteration, weights, meta_json, retain_json FROM checkpoints WHERE run_id = ? ORDER BY id'
    )
    .all(runId) as { iteration: number; weights: Buffer; meta_json: string; retain_json: string }[]

describe('checkpoint retention', () => {
  it('keeps the newest checkpoint whole and cuts the older ones to their retained ranges', () => {
    const { db, writer, reader, experimentId } = setup('retain.db')
    const runId = writer.createRun(experimentId, config)
    const other = writer.createRun(experimentId, config)
    writer.saveCheckpoint(other, 1, 'f', blob(9), { iteration: 1 }, retain(1))
    for (const it of [1, 2, 3])
      writer.saveCheckpoint(runId, it, 'f', blob(it), { iteration: it }, retain(it))
    const stored = rows(db, runId)
    expect(stored.map((r) => r.iteration)).toEqual([1, 2, 3])
    for (const r of stored.slice(0, 2)) {
      const b = blob(r.iteration)
      expect([...r.weights]).toEqual([b[0], b[1], b[4], b[5]])
      expect(JSON.parse(r.meta_json)).toEqual({ iteration: r.iteration, weightsOnly: true })
      expect(r.retain_json).toBeNull()
    }
    expect([...stored[2]!.weights]).toEqual([...blob(3)])
    expect(JSON.parse(stored[2]!.meta_json)).toEqual({ iteration: 3 })
    expect(JSON.parse(stored[2]!.retain_json)).toEqual(retain(3))
    // Another run's checkpoint is not touched by this run's.
    expect([...rows(db, other)[0]!.weights]).toEqual([...blob(9)])
    expect(reader.latestCheckpoint(runId, 'f')?.iteration).toBe(3)
    db.close()
  })

  it('a checkpoint without a retain description stays whole', () => {
    const { db, writer, experimentId } = setup('whole.db')
    const runId = writer.createRun(experimentId, config)
    writer.saveCheckpoint(runId, 1, 'f', blob(1), { iteration: 1 })
    writer.saveCheckpoint(runId, 2, 'f', blob(2), { iteration: 2 }, retain(2))
    expect([...rows(db, runId)[0]!.weights]).toEqual([...blob(1)])
    db.close()
  })

  it.each([
    ['past the end', [[0, 13]]],
    ['empty', [[4, 4]]],
    [
      'overlapping',
      [
        [0, 4],
        [3, 6]
      ]
    ],
    [
      'descending',
      [
        [4, 6],
        [0, 2]
      ]
    ],
    ['fractional', [[0, 1.5]]],
    ['negative', [[-1, 2]]]
  ] as [string, [number, number][]][])('refuses a %s range and writes nothing', (_name, ranges) => {
    const { db, writer, experimentId } = setup(`bad-${_name}.db`)
    const runId = writer.createRun(experimentId, config)
    writer.saveCheckpoint(runId, 1, 'f', blob(1), { iteration: 1 }, retain(1))
    expect(() =>
      writer.saveCheckpoint(runId, 2, 'f', blob(2), { iteration: 2 }, { ranges, meta: {} })
    ).toThrow(/retain range/)
    const stored = rows(db, runId)
    expect(stored).toHaveLength(1)
    expect([...stored[0]!.weights]).toEqual([...blob(1)])
    db.close()
  })

  it('retainCheckpoints (himac db thin) cuts all but the kept one, or nothing when a range is bad', () => {
    const { db, writer, experimentId } = setup('later.db')
    const runId = writer.createRun(experimentId, config)
    const ids = [1, 2, 3].map((it) =>
      writer.saveCheckpoint(runId, it, 'f', blob(it), { iteration: it })
    )
    expect(() =>
      writer.retainCheckpoints(
        runId,
        ids[2]!,
        new Map<number, CheckpointRetain>([
          [ids[0]!, retain(1)],
          [ids[1]!, { ranges: [[0, 99]], meta: {} }]
        ])
      )
    ).toThrow(/retain range/)
    expect(rows(db, runId).map((r) => r.weights.length)).toEqual([12, 12, 12])
    // A checkpoint of another run is not this run's to retain.
    const other = writer.createRun(experimentId, config)
    const foreign = writer.saveCheckpoint(other, 1, 'f', blob(1), { iteration: 1 })
    expect(() => writer.retainCheckpoints(runId, ids[2]!, new Map([[foreign, retain(1)]]))).toThrow(
      /has no checkpoint/
    )
    expect(rows(db, other)[0]!.retain_json).toBeNull()
    const cut = writer.retainCheckpoints(
      runId,
      ids[2]!,
      new Map(ids.map((id, i) => [id, retain(i + 1)]))
    )
    expect(cut).toBe(2)
    const stored = rows(db, runId)
    expect(stored.map((r) => r.weights.length)).toEqual([4, 4, 12])
    expect(JSON.parse(stored[2]!.retain_json)).toEqual(retain(3))
    db.close()
  })
})
