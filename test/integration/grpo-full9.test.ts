// The MLP GRPO trainer takes its action count from the env: with Sokoban's full9 space it must
// build a 9-way policy, play all nine actions and update (2 real tfjs iterations).
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import type { SerializedWeights } from '../../core/agent/models/mlp-policy'
import { FULL9_ACTIONS } from '../../core/envs/sokoban'
import type { RolloutBatch } from '../../core/store/records'
import { trainFlatGrpo } from '../../core/train/grpo'
import { decodeTrainerState } from '../../core/train/trainer-state'
import type { TrainingSink } from '../../core/train/sink'

describe('flat GRPO on Sokoban with the full9 action space', () => {
  it('trains two iterations with a 9-action policy', async () => {
    const config = experimentConfigSchema.parse({
      env: 'sokoban',
      envConfig: { actions: 'full9' },
      iterations: 2,
      seed: 3,
      groupsPerIteration: 4,
      groupSize: 4,
      evalEvery: 1,
      evalEpisodes: 4
    })
    const batches: RolloutBatch[] = []
    const metrics: Record<string, number>[] = []
    let weights: SerializedWeights | null = null
    const sink: TrainingSink = {
      started: () => undefined,
      rollouts: (b) => batches.push(b),
      metrics: (_i, values) => metrics.push(values),
      progress: () => undefined,
      checkpoint: (_i, p) => (weights = decodeTrainerState(p.bytes, p.meta).policy)
    }
    const outcome = await trainFlatGrpo(config, sink)
    expect(outcome).toMatchObject({ status: 'completed', iterationsDone: 2 })
    expect(metrics).toHaveLength(2)
    for (const m of metrics) {
      expect(Number.isFinite(m['train/loss'])).toBe(true)
      // a near-uniform policy over 9 actions: entropy ≈ ln 9, well above ln 4
      expect(m['train/entropy']).toBeGreaterThan(Math.log(4) + 0.5)
      expect(m['eval/success_rate']).toBeGreaterThanOrEqual(0)
    }
    const w = weights as SerializedWeights | null
    expect(w?.shapes.at(-1)).toEqual([FULL9_ACTIONS.length])
    const played = new Set(
      batches.flatMap((b) =>
        b.groups.flatMap((g) => g.episodes.flatMap((e) => e.steps.map((s) => s.action)))
      )
    )
    played.delete('')
    for (const a of played) expect(FULL9_ACTIONS).toContain(a)
    expect(played.has('no operation')).toBe(true)
    expect([...played].some((a) => a.startsWith('move '))).toBe(true)
  }, 120_000)
})
