// Resume from a checkpoint continues a run exactly: the stored numbers of the resumed iterations
// equal those of an uninterrupted run of the same config (cpu backend).
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema, type ExperimentConfig } from '../../core/api/config'
import { openDatabase } from '../../core/store'
import { decodeTrainerState, TRAINER_STATE_FORMAT } from '../../core/train/trainer-state'
import { checkRunShape, comparableRun } from '../helpers/run-consistency'
import { resumeRun, trainRun } from '../helpers/store-runs'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

export const smallGrpo: ExperimentConfig = experimentConfigSchema.parse({
  env: 'sokoban',
  algo: 'grpo',
  iterations: 6,
  seed: 7,
  groupsPerIteration: 2,
  groupSize: 2,
  evalEvery: 2,
  evalEpisodes: 2,
  checkpointEvery: 2,
  backend: 'cpu',
  nativeKernels: 'off',
  policy: { hidden: [16] }
})

const train = (file: string, stopAfter?: number, lostCheckpointsAfter?: number) =>
  trainRun(file, smallGrpo, stopAfter, lostCheckpointsAfter)
const resume = async (file: string, runId: number) => (await resumeRun(file, runId)).from

describe('resume from a checkpoint', () => {
  it('a stopped run resumed gives the numbers of the uninterrupted run', async () => {
    const whole = tmp.file('whole.db')
    const wholeId = await train(whole)
    const cut = tmp.file('cut.db')
    const cutId = await train(cut, 2)
    // Stopped after iteration 2: its final checkpoint says 3 iterations are done.
    expect(await resume(cut, cutId)).toBe(3)
    const a = comparableRun(whole, wholeId)
    const b = comparableRun(cut, cutId)
    expect(b.metrics.map((m) => m.iteration)).toEqual([0, 1, 2, 3, 4, 5])
    expect(b).toEqual(a)
    expect(checkRunShape(cut, cutId, smallGrpo)).toMatchObject({ integrity: 'ok', problems: [] })
  }, 60_000)

  it('iterations stored after the last checkpoint are deleted and trained again', async () => {
    const whole = tmp.file('whole2.db')
    const wholeId = await train(whole)
    const cut = tmp.file('cut2.db')
    // Killed after iteration 4 with the checkpoint at 4 lost: the periodic one at 2 is the
    // newest, and iterations 2–4 are stored but not covered by it.
    const cutId = await train(cut, 4, 2)
    expect(await resume(cut, cutId)).toBe(2)
    expect(comparableRun(cut, cutId)).toEqual(comparableRun(whole, wholeId))
  }, 60_000)

  it('older checkpoints keep the policy weights only; resuming reads the newest, whole', async () => {
    const file = tmp.file('thinned.db')
    await train(file)
    const db = openDatabase(file, { readonly: true })
    const rows = db
      .prepare('SELECT iteration, weights, meta_json FROM checkpoints WHERE format = ? ORDER BY id')
      .all(TRAINER_STATE_FORMAT) as { iteration: number; weights: Buffer; meta_json: string }[]
    db.close()
    expect(rows.map((r) => r.iteration)).toEqual([2, 4, 6])
    const newest = decodeTrainerState(rows[2]!.weights, JSON.parse(rows[2]!.meta_json))
    for (const row of rows.slice(0, 2)) {
      const meta = JSON.parse(row.meta_json) as { weightsOnly?: boolean }
      expect(meta.weightsOnly).toBe(true)
      expect(row.weights.byteLength).toBe(newest.policy.data.byteLength)
      expect(() => decodeTrainerState(row.weights, meta)).toThrow(/keeps only the policy's weights/)
    }
  }, 60_000)
})
