// The counterfactual domain of the contract: re-run a stored LM episode with one change (another
// action at step t, or a rewritten subgoal) and let a run's policy continue; list those made.
import { z } from 'zod'
import type { Episode, Step } from '../entities'

const id = z.int().min(1)

export const counterfactualEditSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('action'),
      t: z.int().min(0),
      action: z.string().trim().min(1).max(500)
    })
    .strict(),
  z
    .object({
      kind: z.literal('subgoal'),
      index: z.int().min(0).max(63),
      text: z.string().trim().min(1).max(200)
    })
    .strict()
])

export const counterfactualInputs = {
  /** Makes and stores one counterfactual of an episode; answers it with its steps. */
  'episodes/counterfactual': z
    .object({
      episodeId: id,
      edit: counterfactualEditSchema,
      /** The run whose newest policy continues (default: the episode's run). */
      policyRunId: id.optional(),
      /** That run's checkpoint at (or the newest before) this iteration instead of its newest. */
      policyIteration: z.int().min(0).optional(),
      temperature: z.number().min(0).max(2).default(0),
      seed: z
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(0)
    })
    .strict(),
  /** The counterfactuals made from an episode, oldest first. */
  'episodes/counterfactuals': z.object({ episodeId: id }).strict(),
  /** The iterations at which a run stored a policy a counterfactual can continue with. */
  'runs/policy-checkpoints': z.object({ runId: id }).strict()
} as const

export type CounterfactualOutputs = {
  'episodes/counterfactual': { episode: Episode; steps: Step[] }
  'episodes/counterfactuals': Episode[]
  'runs/policy-checkpoints': number[]
}
