// A spent budget stops each trainer (MLP, flat LM, HiMAC) after the iteration in progress, and the
// trainer then evaluates the policy it ends with — reported as a final evaluation at the number of
// iterations done, not as one more iteration. A plain stop request evaluates nothing more.
import { describe, expect, it } from 'vitest'
import { experimentConfigSchema, type ExperimentConfigInput } from '../../core/api/config'
import { BUDGET_SPENT } from '../../core/train/budget-stop'
import { runExperiment } from '../../core/train/run'
import type { TrainingSink } from '../../core/train/sink'

type Seen = { metrics: number[]; final: { iteration: number; keys: string[] }[]; loose: number[] }

/** Runs `input`, aborting with `reason` once iteration `stopAfter`'s metrics arrive. */
async function stopAfter(input: ExperimentConfigInput, stopAfter: number, reason?: string) {
  const controller = new AbortController()
  const seen: Seen = { metrics: [], final: [], loose: [] }
  const sink: TrainingSink = {
    started: () => undefined,
    rollouts: (batch) => {
      if (batch.loose.length > 0) seen.loose.push(batch.iteration)
    },
    metrics: (iteration) => {
      seen.metrics.push(iteration)
      if (iteration === stopAfter) controller.abort(reason)
    },
    finalEvaluation: (iteration, values) =>
      seen.final.push({ iteration, keys: Object.keys(values).sort() }),
    progress: () => undefined,
    checkpoint: () => undefined
  }
  const outcome = await runExperiment(experimentConfigSchema.parse(input), sink, {
    signal: controller.signal
  })
  return { outcome, seen }
}

const small = { groupsPerIteration: 2, groupSize: 2, iterations: 20, evalEvery: 3, evalEpisodes: 4 }
const lm = {
  kind: 'lm',
  lm: { dModel: 16, layers: 1, heads: 2 },
  warmStart: { episodes: 4, epochs: 1 }
} as const

describe('a spent budget evaluates the final policy', () => {
  it.each([
    ['MLP on Sokoban', { env: 'sokoban', algo: 'grpo', ...small }],
    ['flat LM on Sokoban', { env: 'sokoban', algo: 'grpo', ...small, policy: lm }],
    ['HiMAC on Sokoban', { env: 'sokoban', algo: 'himac', ...small, policy: lm }]
  ] as const)(
    '%s',
    async (_, input) => {
      // Stop after the second RL iteration (the LMs' first iteration is their cloning epoch).
      const first = input.algo === 'grpo' && !('policy' in input) ? 0 : 1
      const last = first + 1
      const budget = await stopAfter(input, last, BUDGET_SPENT)
      expect(budget.outcome.status).toBe('stopped')
      expect(budget.outcome.iterationsDone).toBe(last + 1)
      expect(budget.seen.metrics.at(-1)).toBe(last)
      expect(budget.seen.final).toHaveLength(1)
      const final = budget.seen.final[0]!
      expect(final.iteration).toBe(last + 1)
      expect(final.keys).toContain('eval/success_rate')
      expect(final.keys.filter((k) => k.startsWith('train/'))).toEqual([])
      expect(budget.outcome.lastMetrics['eval/success_rate']).toBeTypeOf('number')
      expect(budget.seen.loose).toContain(last + 1)

      const plain = await stopAfter(input, last)
      expect(plain.outcome.iterationsDone).toBe(last + 1)
      expect(plain.seen.final).toEqual([])
      expect(plain.seen.loose).not.toContain(last + 1)
    },
    120_000
  )
})
