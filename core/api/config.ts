// Experiment configuration: the one schema shared by the CLI, the API and the trainer.
import { z } from 'zod'

export const envKindSchema = z.enum(['sokoban'])
export const algoSchema = z.enum(['grpo'])
export const backendPreferenceSchema = z.enum(['auto', 'tensorflow', 'wasm', 'cpu'])
export const advantageNormSchema = z.enum(['mean_std', 'mean'])

export const sokobanEnvConfigSchema = z
  .object({
    dimRoom: z.tuple([z.int().min(5).max(12), z.int().min(5).max(12)]).default([6, 6]),
    numBoxes: z.int().min(1).max(4).default(1),
    maxSteps: z.int().min(1).max(200).default(15),
    searchDepth: z.int().min(1).max(300).default(30)
  })
  .strict()

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
    seed: z.int().min(0).max(2 ** 31 - 1).default(0),
    /** Tasks (distinct env seeds) per iteration; each gets one group. */
    groupsPerIteration: z.int().min(1).max(256).default(16),
    /** Rollouts per task (GRPO group size N). */
    groupSize: z.int().min(2).max(64).default(8),
    learningRate: z.number().positive().max(1).default(0.003),
    clipEpsilon: z.number().positive().max(1).default(0.2),
    ppoEpochs: z.int().min(1).max(10).default(2),
    entropyCoef: z.number().min(0).max(1).default(0.01),
    advantageNorm: advantageNormSchema.default('mean_std'),
    temperature: z.number().positive().max(5).default(1),
    /** Episodes evaluated on held-out seeds every `evalEvery` iterations (0 = never). */
    evalEvery: z.int().min(0).default(10),
    evalEpisodes: z.int().min(1).max(1000).default(64),
    /** Sampling temperature for evaluation; 0 = greedy (verl-agent validates at 0.4). */
    evalTemperature: z.number().min(0).max(5).default(0.4),
    backend: backendPreferenceSchema.default('auto'),
    envConfig: sokobanEnvConfigSchema.default(() => sokobanEnvConfigSchema.parse({})),
    policy: policyConfigSchema.default(() => policyConfigSchema.parse({}))
  })
  .strict()

export type ExperimentConfig = z.infer<typeof experimentConfigSchema>
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>
