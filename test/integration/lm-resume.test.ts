// Resuming a language-model run (flat LM and HiMAC, shared and separate weights) from its newest
// checkpoint continues it exactly: every stored number of the resumed run equals those of an
// uninterrupted run of the same config — weights, Adam's moments, the KL reference, the tokenizer
// and both generators' positions are in the checkpoint.
import { afterAll, describe, expect, it } from 'vitest'
import {
  experimentConfigSchema,
  plannedIterations,
  type ExperimentConfig,
  type ExperimentConfigInput
} from '../../core/api/config'
import { openDatabase, StoreReader } from '../../core/store'
import {
  decodeLmPolicyState,
  decodeLmTrainerState,
  LM_STATE_FORMAT
} from '../../core/train/lm/trainer-state'
import { planResume } from '../../core/train/resume'
import { comparableRun } from '../helpers/run-consistency'
import { resumeRun, trainRun } from '../helpers/store-runs'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const config = (input: Partial<ExperimentConfigInput>): ExperimentConfig =>
  experimentConfigSchema.parse({
    env: 'sokoban',
    iterations: 4,
    seed: 11,
    groupsPerIteration: 2,
    groupSize: 2,
    evalEvery: 2,
    evalEpisodes: 2,
    checkpointEvery: 2,
    policy: {
      kind: 'lm',
      lm: { dModel: 16, layers: 1, heads: 2 },
      warmStart: { episodes: 4, epochs: 2, batchDecisions: 32 }
    },
    ...input
  } satisfies ExperimentConfigInput)

const train = trainRun
async function resume(file: string, runId: number): Promise<number> {
  const plan = await resumeRun(file, runId)
  expect(plan.state?.kind).toBe('lm')
  return plan.from
}

const checkpointIterations = (file: string, runId: number): number[] => {
  const db = openDatabase(file, { readonly: true })
  try {
    return (
      db
        .prepare('SELECT iteration FROM checkpoints WHERE run_id = ? AND format = ? ORDER BY id')
        .all(runId, LM_STATE_FORMAT) as { iteration: number }[]
    ).map((r) => r.iteration)
  } finally {
    db.close()
  }
}

const checkpointRows = (file: string, runId: number) => {
  const db = openDatabase(file, { readonly: true })
  try {
    return (
      db
        .prepare(
          'SELECT iteration, weights, meta_json FROM checkpoints WHERE run_id = ? AND format = ? ORDER BY id'
        )
        .all(runId, LM_STATE_FORMAT) as { iteration: number; weights: Buffer; meta_json: string }[]
    ).map((r) => ({ iteration: r.iteration, weights: r.weights, meta: JSON.parse(r.meta_json) }))
  } finally {
    db.close()
  }
}

/** Every checkpoint but the newest keeps its models' weights only, readable for evaluation. */
function expectOlderCheckpointsThinned(file: string, runId: number, separatePlanner: boolean) {
  const rows = checkpointRows(file, runId)
  expect(rows.length).toBeGreaterThan(1)
  const newest = decodeLmTrainerState(rows.at(-1)!.weights, rows.at(-1)!.meta)
  const modelBytes = (s: { data: Float32Array }) => s.data.byteLength
  for (const row of rows.slice(0, -1)) {
    expect(row.meta.weightsOnly).toBe(true)
    expect(() => decodeLmTrainerState(row.weights, row.meta)).toThrow(/keeps only the weights/)
    const policy = decodeLmPolicyState(row.weights, row.meta)
    expect(policy.iteration).toBe(row.iteration)
    expect(policy.planner !== null).toBe(separatePlanner)
    expect(row.weights.byteLength).toBe(
      modelBytes(newest.executor.model) + (newest.planner ? modelBytes(newest.planner.model) : 0)
    )
  }
}

describe('resuming language-model runs', () => {
  // 2 cloning epochs are iterations 0 and 1; RL runs 2..5 with periodic checkpoints after 3 and 5.
  const cases: [string, ExperimentConfig, number, number][] = [
    ['flat LM (GiGPO)', config({ algo: 'gigpo' }), 2, 3],
    ['HiMAC, shared weights', config({ algo: 'himac', iterations: 3, checkpointEvery: 1 }), 2, 3],
    [
      'HiMAC, separate weights, simultaneous',
      config({
        algo: 'himac',
        iterations: 3,
        checkpointEvery: 1,
        himac: { sharedWeights: false, schedule: 'simultaneous' }
      }),
      3,
      4
    ]
  ]
  for (const [name, c, stopAfter, from] of cases) {
    it(`${name}: stopped, resumed, equals the uninterrupted run`, async () => {
      const whole = tmp.file(`${name}-whole.db`)
      const wholeId = await train(whole, c)
      const cut = tmp.file(`${name}-cut.db`)
      const cutId = await train(cut, c, stopAfter)
      expect(await resume(cut, cutId)).toBe(from)
      const a = comparableRun(whole, wholeId)
      const b = comparableRun(cut, cutId)
      expect(b.metrics.map((m) => m.iteration)).toEqual(a.metrics.map((m) => m.iteration))
      expect(b).toEqual(a)
      expect(a.metrics.length).toBe(plannedIterations(c))
      // The resumed iterations trained: their groups and episodes are there, with RL metrics.
      const resumed = b.episodes.filter((e) => e.iteration >= from && e.phase === 'train')
      expect(resumed.length).toBeGreaterThanOrEqual(c.groupsPerIteration * c.groupSize)
      expect(b.metrics.at(-1)?.values['eval/success_rate']).toBeGreaterThanOrEqual(0)
      expect(checkpointIterations(whole, wholeId).at(-1)).toBe(a.metrics.length)
      expectOlderCheckpointsThinned(whole, wholeId, c.himac.sharedWeights === false)
    }, 240_000)
  }

  it('iterations after the newest checkpoint are trained again; a damaged state is refused', async () => {
    const c = config({ algo: 'grpo' })
    const whole = tmp.file('periodic-whole.db')
    const wholeId = await train(whole, c)
    expect(checkpointIterations(whole, wholeId)).toEqual([4, 6])
    const cut = tmp.file('periodic-cut.db')
    // Killed before the checkpoint at stop: the periodic one after RL iteration 3 is the newest,
    // and iteration 4 is stored but not covered by it.
    const cutId = await train(cut, c, 4, 4)
    expect(checkpointIterations(cut, cutId)).toEqual([4])
    const [before] = checkpointRows(cut, cutId)
    const weightsAt4 = decodeLmTrainerState(before!.weights, before!.meta).executor.model.data
    expect(await resume(cut, cutId)).toBe(4)
    // The resumed run's checkpoint at 6 cut the one at 4 down to the same weights.
    const [after] = checkpointRows(cut, cutId)
    expect(after!.meta.weightsOnly).toBe(true)
    expect(decodeLmPolicyState(after!.weights, after!.meta).executor.data).toEqual(weightsAt4)
    expect(comparableRun(cut, cutId)).toEqual(comparableRun(whole, wholeId))

    const db = openDatabase(cut)
    db.prepare("UPDATE runs SET status = 'stopped' WHERE id = ?").run(cutId)
    db.prepare('UPDATE checkpoints SET weights = substr(weights, 1, 64) WHERE run_id = ?').run(
      cutId
    )
    expect(() => planResume(new StoreReader(db), cutId)).toThrow(/cannot be read: .*shorter/)
    db.close()
  }, 240_000)
})
