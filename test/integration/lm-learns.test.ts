// A short real LM run must lift held-out success above its own warm start (issue 13's test): a
// small transformer cloned from a few BFS demonstrations, then flat GiGPO with verl-agent's update
// settings (entropy 0.001, advantages without std normalisation). The first evaluation runs before
// the first update, so it measures the warm start; every number here is fixed by the seed.
import { describe, it } from 'vitest'
import { evaluations, expectRise, SOKOBAN_SHORT_RUN } from '../helpers/learning'

describe('the LM agent learns beyond its warm start', () => {
  it('Sokoban 6×6: GiGPO raises held-out success well above the cloned policy', async () => {
    const evals = await evaluations({
      ...SOKOBAN_SHORT_RUN,
      algo: 'gigpo'
    })
    expectRise(evals)
  }, 600_000)
})
