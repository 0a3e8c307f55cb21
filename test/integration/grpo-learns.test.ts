// A fixed-seed flat-GRPO run on Sokoban must clearly beat the uniform-random policy (real tfjs steps).
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import { trainFlatGrpo } from '../../core/train/grpo'
import { metricsSink, type Point } from '../helpers/learning'

describe('flat GRPO on Sokoban', () => {
  it('raises evaluation success on held-out rooms well above the random policy', async () => {
    const config = experimentConfigSchema.parse({
      iterations: 120,
      seed: 0,
      groupsPerIteration: 16,
      groupSize: 8,
      evalEvery: 60,
      evalEpisodes: 128
    })
    const curve: Point[] = []
    const outcome = await trainFlatGrpo(config, metricsSink(curve))
    expect(outcome.status).toBe('completed')
    const final = outcome.lastMetrics
    const random = final['eval/random_success_rate'] ?? 1
    const trained = final['eval/success_rate'] ?? 0
    console.log(
      JSON.stringify({
        random,
        trained,
        trainCurve: curve.map((p) => Number((p.values['train/success_rate'] ?? 0).toFixed(3)))
      })
    )
    expect(trained).toBeGreaterThan(random + 0.12)
    expect(trained).toBeGreaterThan(1.6 * random)
  }, 240_000)
})
