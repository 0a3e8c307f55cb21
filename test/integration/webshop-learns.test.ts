// Short real runs on the WebShop-like shop must lift held-out success and score above their own
// warm starts: the flat LM agent with GiGPO (issue 13's "a short real run per env") and HiMAC's
// planner and executor (issue 14's). The two runs train side by side in child processes, one BLAS
// thread each (the numbers do not depend on the thread count); the first evaluation of each runs
// before its first update, so it measures the clone, and every number is fixed by the seed.
import { describe, expect, it } from 'vitest'
import {
  cloneAndLast,
  evaluationsInChild,
  WEBSHOP_HIMAC_SHORT_RUN,
  WEBSHOP_SHORT_RUN
} from '../helpers/learning'

const flat = evaluationsInChild(WEBSHOP_SHORT_RUN)
const himac = evaluationsInChild(WEBSHOP_HIMAC_SHORT_RUN)
// Each test awaits its own run; a failure of the other is reported by the other test.
flat.catch(() => undefined)
himac.catch(() => undefined)

describe('WebShop, 200-product catalog: short runs learn beyond their warm starts', () => {
  // The clone of 100 demonstrations scores 0.58 at T 0.4 (greedy 0.55); 20 GiGPO updates lift
  // that to 0.70 (0.65) and success from 0.15 (0.11) to 0.22 (0.15); 30 updates add nothing
  // (README). So this asks +0.08 in score at T 0.4 and +0.05 greedy, more success at both, and
  // success well above the random policy's.
  it('the flat LM agent: GiGPO lifts held-out score and success above the clone', async () => {
    const [first, last] = cloneAndLast('webshop gigpo', await flat)
    expect(last['eval/mean_return']!).toBeGreaterThan(first['eval/mean_return']! + 0.08)
    expect(last['eval/greedy_mean_return']!).toBeGreaterThan(
      first['eval/greedy_mean_return']! + 0.05
    )
    expect(last['eval/success_rate']!).toBeGreaterThan(first['eval/success_rate']!)
    expect(last['eval/greedy_success_rate']!).toBeGreaterThan(first['eval/greedy_success_rate']!)
    expect(last['eval/success_rate']!).toBeGreaterThan(last['eval/random_success_rate']! + 0.1)
  }, 900_000)

  // With `webshopSubgoals: 'values'` the clone of 300 demonstrations succeeds on 0.135 / 0.105
  // (T 0.4 / greedy), score 0.57 / 0.51; 15 HiMAC iterations lift seed 0 to 0.225 / 0.25, score
  // 0.675 / 0.685. Seeds 1 and 2 raise the score too (+0.03 / +0.09 and +0.03 / +0.09) but not
  // always success (README), so this is a regression check on seed 0's trajectory: score +0.05 at
  // T 0.4 and +0.1 greedy, success +0.05 and +0.1, and blueprints that name search, item and buy.
  it('HiMAC: held-out score and success rise above the cloned planner and executor', async () => {
    const [first, last] = cloneAndLast('webshop himac', await himac)
    expect(last['eval/mean_return']!).toBeGreaterThan(first['eval/mean_return']! + 0.05)
    expect(last['eval/greedy_mean_return']!).toBeGreaterThan(
      first['eval/greedy_mean_return']! + 0.1
    )
    expect(last['eval/success_rate']!).toBeGreaterThan(first['eval/success_rate']! + 0.05)
    expect(last['eval/greedy_success_rate']!).toBeGreaterThan(
      first['eval/greedy_success_rate']! + 0.1
    )
    expect(last['macro/subgoals_per_plan']).toBeGreaterThanOrEqual(3)
  }, 900_000)
})
