// A short real run on the WebShop-like shop must lift held-out success and score above its own
// warm start (issue 13's "a short real run per env"): the flat LM agent with GiGPO, in a child
// process at one BLAS thread (the numbers do not depend on the thread count; the suite's other lane
// takes the second core, scripts/test-lanes.mjs). The first evaluation
// runs before the first update, so it measures the clone; every number is fixed by the seed.
import { describe, expect, it } from 'vitest'
import { WEBSHOP_SHORT_RUN, evaluationsInChild, logCurve } from '../helpers/learning'

describe('WebShop, 200-product catalog: a short run learns beyond its warm start', () => {
  // The clone of 100 demonstrations scores 0.58 at T 0.4 (greedy 0.55); 20 GiGPO updates lift
  // that to 0.70 (0.65) and success from 0.15 (0.11) to 0.22 (0.15); 30 updates add nothing
  // (README). So this asks +0.08 in score at T 0.4 and +0.05 greedy, more success at both, and
  // success well above the random policy's.
  it('the flat LM agent: GiGPO lifts held-out score and success above the clone', async () => {
    const evals = await evaluationsInChild(WEBSHOP_SHORT_RUN)
    logCurve('webshop gigpo', evals)
    expect(evals.length).toBe(2)
    const [first, last] = evals.map((p) => p.values) as [
      Record<string, number>,
      Record<string, number>
    ]
    expect(last['eval/mean_return']!).toBeGreaterThan(first['eval/mean_return']! + 0.08)
    expect(last['eval/greedy_mean_return']!).toBeGreaterThan(
      first['eval/greedy_mean_return']! + 0.05
    )
    expect(last['eval/success_rate']!).toBeGreaterThan(first['eval/success_rate']!)
    expect(last['eval/greedy_success_rate']!).toBeGreaterThan(first['eval/greedy_success_rate']!)
    expect(last['eval/success_rate']!).toBeGreaterThan(last['eval/random_success_rate']! + 0.1)
  }, 900_000)
})
