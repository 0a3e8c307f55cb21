// Experiment configuration: the one schema shared by the CLI, the API and the trainer.
import { z } from 'zod'

export const envKindSchema = z.enum(['sokoban', 'alfworld', 'webshop'])
/**
 * 'grpo' trains; the reference agents only evaluate: 'expert' (the privileged oracle, upper bound),
 * 'searcher' (a demonstrator that acts only on what the agent observes) and 'random' (lower bound).
 */
export const algoSchema = z.enum(['grpo', 'expert', 'searcher', 'random'])
/** Algorithms that train a policy, and the environments they support. */
export const TRAINABLE_ENVS: Record<
  z.infer<typeof algoSchema>,
  readonly z.infer<typeof envKindSchema>[]
> = {
  grpo: ['sokoban'],
  expert: ['sokoban', 'alfworld', 'webshop'],
  searcher: ['sokoban', 'alfworld', 'webshop'],
  random: ['sokoban', 'alfworld', 'webshop']
}
export const backendPreferenceSchema = z.enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'])
export const advantageNormSchema = z.enum(['mean_std', 'mean'])

export const policyConfigSchema = z
  .object({
    hidden: z.array(z.int().min(4).max(1024)).min(1).max(4).default([128, 128]),
    /** Observation encoding for grid envs: player-centred (default) or absolute positions. */
    encoding: z.enum(['egocentric', 'absolute']).default('egocentric')
  })
  .strict()

export const experimentConfigSchema = z
  .object({
    env: envKindSchema.default('sokoban'),
    algo: algoSchema.default('grpo'),
    iterations: z.int().min(1).max(100_000).default(60),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Tasks (distinct env seeds) per iteration; each gets one group. */
    groupsPerIteration: z.int().min(1).max(256).default(16),
    /** Rollouts per task (GRPO group size N). */
    groupSize: z.int().min(2).max(64).default(8),
    learningRate: z.number().positive().max(1).default(0.001),
    clipEpsilon: z.number().positive().max(1).default(0.2),
    ppoEpochs: z.int().min(1).max(10).default(1),
    /** Shuffled minibatches per epoch (one optimizer step each). */
    minibatches: z.int().min(1).max(64).default(2),
    /** β of the KL penalty to the reference policy (the policy the run started from). */
    klCoef: z.number().min(0).max(10).default(0.01),
    /** Global gradient-norm clip per optimizer step. */
    maxGradNorm: z.number().positive().max(1000).default(1),
    /** Groups whose members all got the same return carry no signal: keep (advantage 0) or drop them. */
    zeroVarianceGroups: z.enum(['keep', 'drop']).default('keep'),
    entropyCoef: z.number().min(0).max(1).default(0.01),
    advantageNorm: advantageNormSchema.default('mean_std'),
    temperature: z.number().positive().max(5).default(1),
    /** Episodes evaluated on held-out seeds every `evalEvery` iterations (0 = never). */
    evalEvery: z.int().min(0).default(10),
    evalEpisodes: z.int().min(1).max(1000).default(64),
    /** Sampling temperature for evaluation; 0 = greedy (verl-agent validates at 0.4). */
    evalTemperature: z.number().min(0).max(5).default(0.4),
    /** A resumable checkpoint every n iterations (0 = only at the end); `himac train --resume`. */
    checkpointEvery: z.int().min(0).default(10),
    backend: backendPreferenceSchema.default('auto'),
    /** Native BLAS kernels under the wasm backend: used when the addon loads ('auto'), or never ('off'). */
    nativeKernels: z.enum(['auto', 'off']).default('auto'),
    /** Options of the environment, validated by that environment's own schema (core/envs/registry). */
    envConfig: z.record(z.string(), z.unknown()).default({}),
    policy: policyConfigSchema.default(() => policyConfigSchema.parse({}))
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!TRAINABLE_ENVS[c.algo].includes(c.env)) {
      ctx.addIssue({
        code: 'custom',
        path: ['env'],
        message: `algo '${c.algo}' supports ${TRAINABLE_ENVS[c.algo].join(', ')}, not '${c.env}'`
      })
    }
  })

export type ExperimentConfig = z.infer<typeof experimentConfigSchema>
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>

/** Iterations a run of this config goes through (reference agents evaluate once). */
export function plannedIterations(config: ExperimentConfig): number {
  return config.algo === 'grpo' ? config.iterations : 1
}
