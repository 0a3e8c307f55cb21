// A short real LM run on the ALFWorld-like household must lift held-out success above its own warm
// start (issue 13's "a short real run per env"). The clone of the searching demonstrator succeeds at
// T 0.4 but loops when greedy; 10 GiGPO updates lift greedy success by +0.13 to +0.26 on every seed
// and thread count tried, while the T 0.4 success moves by −0.01 to +0.27 (README), so this test
// asks greedy success to rise by more than 0.1 and the tempered policy to stay well above random.
import { describe, expect, it } from 'vitest'
import { ALFWORLD_SHORT_RUN, evaluations } from '../helpers/learning'

describe('the LM agent learns beyond its warm start', () => {
  it('ALFWorld pick-and-place: GiGPO lifts greedy held-out success well above the clone', async () => {
    const evals = await evaluations(ALFWORLD_SHORT_RUN)
    expect(evals.length).toBe(2)
    const first = evals[0]!.values
    const last = evals[1]!.values
    console.log(
      JSON.stringify(
        evals.map((p) => [
          p.iteration,
          p.values['eval/success_rate'],
          p.values['eval/greedy_success_rate']
        ])
      )
    )
    expect(last['eval/greedy_success_rate']!).toBeGreaterThan(
      first['eval/greedy_success_rate']! + 0.1
    )
    expect(last['eval/success_rate']!).toBeGreaterThan(last['eval/random_success_rate']! + 0.1)
  }, 900_000)
})
