// Short real runs on the ALFWorld-like household must lift held-out success above their own warm
// starts: the flat LM agent with GiGPO (issue 13's "a short real run per env") and HiMAC's planner
// and executor (issue 14's). The two runs train side by side in child processes, one BLAS thread
// each (the numbers do not depend on the thread count); the first evaluation of each runs before
// its first update, so it measures the warm start, and every number is fixed by the seed.
import { describe, expect, it } from 'vitest'
import {
  ALFWORLD_HIMAC_SHORT_RUN,
  ALFWORLD_SHORT_RUN,
  cloneAndLast,
  evaluationsInChild
} from '../helpers/learning'

const flat = evaluationsInChild(ALFWORLD_SHORT_RUN)
const himac = evaluationsInChild(ALFWORLD_HIMAC_SHORT_RUN)
// Each test awaits its own run; a failure of the other is reported by the other test.
flat.catch(() => undefined)
himac.catch(() => undefined)

describe('ALFWorld pick-and-place: short runs learn beyond their warm starts', () => {
  // The clone of the searching demonstrator succeeds at T 0.4 but loops when greedy; 10 GiGPO
  // updates at lr 3e-4 lift seed 0 from 0.18 / 0.02 (T 0.4 / greedy) to 0.31 / 0.20 and keep rising
  // to 20 (README; at lr 1e-3 the T 0.4 success moved by −0.07 to +0.27 across seeds and kernels).
  // So this asks greedy success to rise by more than 0.1, the tempered one to rise, and both to
  // stay well above random.
  it('the flat LM agent: GiGPO lifts greedy held-out success well above the clone', async () => {
    const [first, last] = cloneAndLast('alfworld gigpo', await flat)
    expect(last['eval/greedy_success_rate']!).toBeGreaterThan(
      first['eval/greedy_success_rate']! + 0.1
    )
    expect(last['eval/success_rate']!).toBeGreaterThan(first['eval/success_rate']!)
    expect(last['eval/success_rate']!).toBeGreaterThan(last['eval/random_success_rate']! + 0.1)
  }, 900_000)

  // HiMAC's executor marks the active subgoal's words; 10 iterations at lr 3e-4 lift seed 0 from
  // 0.38 / 0.33 to 0.65 / 0.41 with the pinned Haswell kernels (+0.19 / +0.12 with other float
  // bits), other seeds by less (README), so this asks +0.1 at T 0.4 and +0.05 greedy of seed 0.
  it('HiMAC: held-out success rises well above the cloned planner and executor', async () => {
    const [first, last] = cloneAndLast('alfworld himac', await himac)
    expect(last['eval/success_rate']!).toBeGreaterThan(first['eval/success_rate']! + 0.1)
    expect(last['eval/greedy_success_rate']!).toBeGreaterThan(
      first['eval/greedy_success_rate']! + 0.05
    )
    expect(last['macro/subgoals_per_plan']).toBeGreaterThanOrEqual(1)
  }, 900_000)
})
