// Experiment upkeep in the contract: rename, edit the config of its next runs, tags, notes,
// archive; duplicate. (Create, start and stop are in the contract's first block.)
import { z } from 'zod'
import { experimentConfigSchema } from '../config'
import type { Experiment } from '../entities'

const id = z.int().min(1)
const tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}_.:/-]+$/u, 'letters, digits and _ . : / - only')

export const experimentInputs = {
  'experiments/update': z
    .object({
      experimentId: id,
      name: z.string().trim().min(1).max(200).optional(),
      /** The config of its next runs (runs keep the config they started with). */
      config: experimentConfigSchema.optional(),
      tags: z
        .array(tag)
        .max(20)
        .refine((t) => new Set(t).size === t.length, 'tags must differ')
        .optional(),
      notes: z.string().max(20_000).optional(),
      archived: z.boolean().optional()
    })
    .strict()
    .refine(
      (u) => Object.keys(u).some((k) => k !== 'experimentId'),
      'give at least one of name, config, tags, notes, archived'
    ),
  /** A new experiment with the same preset, config and tags (no runs). */
  'experiments/duplicate': z
    .object({ experimentId: id, name: z.string().trim().min(1).max(200).optional() })
    .strict()
} as const

export type ExperimentOutputs = {
  'experiments/update': Experiment
  'experiments/duplicate': Experiment
}
