// How a run's size and progress read: a completed run shows what it did — all its planned
// iterations, or (a study's minutes budget) the iterations it got before the budget ended it.
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../../core/api/config'
import type { Run } from '../../../core/api/entities'
import { runCount } from '../../../renderer/src/run-kind'

const run = (over: Partial<Run>): Run => ({
  id: 1,
  experimentId: 1,
  status: 'completed',
  seed: 0,
  config: experimentConfigSchema.parse({ env: 'sokoban', algo: 'grpo', iterations: 100_000 }),
  backend: 'wasm',
  backendNotes: [],
  kernels: null,
  backendDevice: null,
  backendVersions: {},
  iterationsDone: 100_000,
  iterations: 100_000,
  startedAt: null,
  endedAt: null,
  error: null,
  ...over
})

describe('runCount', () => {
  it('a completed run: its planned iterations, or the ones a minutes budget left it', () => {
    expect(runCount(run({}), undefined)).toEqual({
      done: 100_000,
      total: 100_000,
      unit: 'iterations'
    })
    expect(runCount(run({ iterationsDone: 20 }), undefined)).toEqual({
      done: 20,
      total: 20,
      unit: 'iterations'
    })
  })

  it('a running or stopped run: done of planned', () => {
    expect(runCount(run({ status: 'running', iterationsDone: 20 }), undefined)).toEqual({
      done: 20,
      total: 100_000,
      unit: 'iterations'
    })
    expect(runCount(run({ status: 'stopped', iterationsDone: 7 }), undefined)).toMatchObject({
      done: 7,
      total: 100_000
    })
  })
})
