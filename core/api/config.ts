// Experiment configuration: the one schema shared by the CLI, the API and the trainer.
import { z } from 'zod'

export const envKindSchema = z.enum(['sokoban', 'alfworld', 'webshop'])
/**
 * 'grpo', 'gigpo' and 'rloo' train one policy (they differ in their advantages); 'himac' trains a
 * planner and an executor (HiMAC, core/train/himac); the reference agents only
 * evaluate: 'expert' (the privileged oracle, upper bound), 'searcher' (a demonstrator that acts only
 * on what the agent observes) and 'random' (lower bound).
 */
export const algoSchema = z.enum(['grpo', 'gigpo', 'rloo', 'himac', 'expert', 'searcher', 'random'])
export type Algo = z.infer<typeof algoSchema>
export const TRAINING_ALGOS = ['grpo', 'gigpo', 'rloo', 'himac'] as const
export type TrainingAlgo = (typeof TRAINING_ALGOS)[number]
export const isTrainingAlgo = (algo: Algo): algo is TrainingAlgo =>
  (TRAINING_ALGOS as readonly string[]).includes(algo)
/** The environments each algorithm supports (the MLP policy: Sokoban only; the LM: all). */
export const TRAINABLE_ENVS: Record<Algo, readonly z.infer<typeof envKindSchema>[]> = {
  grpo: ['sokoban', 'alfworld', 'webshop'],
  gigpo: ['sokoban', 'alfworld', 'webshop'],
  rloo: ['sokoban', 'alfworld', 'webshop'],
  himac: ['sokoban', 'alfworld', 'webshop'],
  expert: ['sokoban', 'alfworld', 'webshop'],
  searcher: ['sokoban', 'alfworld', 'webshop'],
  random: ['sokoban', 'alfworld', 'webshop']
}
export const backendPreferenceSchema = z.enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'])
export const advantageNormSchema = z.enum(['mean_std', 'mean'])

/** How the LM reads Sokoban (core/agent/lm/sokoban-view.ts). */
export const sokobanViewSchema = z.enum(['egocentric', 'grid'])
/** How the LM names a WebShop search result (core/agent/lm/webshop-clicks.ts). */
export const webshopClickSchema = z.enum(['asin', 'title', 'rank'])

/** The language-model policy: model size, how it decodes actions and what context it keeps. */
export const lmPolicySchema = z
  .object({
    dModel: z.int().min(8).max(2048).default(128),
    layers: z.int().min(1).max(24).default(2),
    heads: z.int().min(1).max(32).default(4),
    ffMult: z.int().min(1).max(8).default(4),
    /** The output head is the token embedding (core/agent/models/transformer.ts, `tiedHead`). */
    tiedHead: z.boolean().default(false),
    /** Observations mark the task's content words (core/agent/lm/options.ts, `markTaskWords`). */
    markTaskWords: z.boolean().default(false),
    /** HiMAC executor: observations mark the active subgoal's words (`markSubgoalWords`, same file). */
    markSubgoalWords: z.boolean().default(false),
    /** The marked words are marked in the commands' spelling too (`markActionWords`, same file). */
    markActionWords: z.boolean().default(false),
    /** Positions of the model (longest chunk); null = the agent's default for the env. */
    context: z.int().min(32).max(4096).nullable().default(null),
    /** 'constrained': only admissible commands (prefix tree); 'free': any text, invalid ones penalised. */
    decoding: z.enum(['constrained', 'free']).default('constrained'),
    /** History steps a context keeps at least; null = verl-agent's value for the env. */
    historyLength: z.int().min(0).max(64).nullable().default(null),
    /**
     * How the model reads Sokoban: 'egocentric' (box and target offsets, the cells around the
     * player) or verl-agent's 'grid' text (core/agent/lm/sokoban-view.ts).
     */
    sokobanView: sokobanViewSchema.default('egocentric'),
    /**
     * How the model names a WebShop search result: 'asin' (`click[b0i8m16pfy]`, as the env),
     * 'title' (the result's title) or 'rank' (its position on the page, `click[3]`); the env still
     * gets the ASIN click (core/agent/lm/webshop-clicks.ts).
     */
    webshopClick: webshopClickSchema.default('asin'),
    /** Record every admissible action's probability per step (for the replay): eval, all or off. */
    candidates: z.enum(['eval', 'all', 'off']).default('eval')
  })
  .strict()
  .refine((lm) => !lm.markActionWords || lm.markTaskWords || lm.markSubgoalWords, {
    message:
      'markActionWords marks the words markTaskWords or markSubgoalWords mark: set one of them',
    path: ['markActionWords']
  })

/** Groups whose members all score the same: kept in the update (verl-agent) or dropped. */
export const zeroVarianceGroupsSchema = z.enum(['keep', 'drop'])

/** Behaviour cloning from the searching demonstrators before RL (the warm start). */
export const warmStartSchema = z
  .object({
    /** Demonstrator episodes on train seeds (0 = no cloning). */
    episodes: z.int().min(0).max(100_000).default(200),
    epochs: z.int().min(0).max(100).default(3),
    /** Decisions per optimizer step. */
    batchDecisions: z.int().min(1).max(4096).default(64),
    learningRate: z.number().positive().max(1).default(0.001),
    /** A saved warm start (`himac warmstart --out`) to start from instead of cloning. */
    from: z.string().min(1).nullable().default(null)
  })
  .strict()

/**
 * HiMAC's options (../shared/spec/himac.md §§3–5). The reconstructed choices are flags with the
 * spec's proposals as defaults; the ablations of the paper's Table 3 are `schedule: 'simultaneous'`,
 * `subDone: false` (a fixed step budget per subgoal) and `phaseBBlueprint: 'random'` (flat GRPO is
 * `algo: 'grpo'`).
 */
export const himacSchema = z
  .object({
    /** Most subgoals in a blueprint; null = the env's default (core/train/himac/options.ts). */
    maxSubgoals: z.int().min(1).max(16).nullable().default(null),
    /** Env steps a subgoal may take before the next is forced (a fallback); null = per env. */
    subgoalBudget: z.int().min(1).max(100).nullable().default(null),
    /** Steps before the active subgoal began that the executor also sees (0 = strict temporal mask). */
    carrySteps: z.int().min(0).max(16).default(0),
    /** Whether the executor may end a subgoal with `<sub_done>` (false: only the budget ends it). */
    subDone: z.boolean().default(true),
    /** 'alternate': Phase A updates the planner, then Phase B the executor; 'simultaneous': one update. */
    schedule: z.enum(['alternate', 'simultaneous']).default('alternate'),
    /** Phase B executes the best blueprint z* of Phase A, or a random member of its group. */
    phaseBBlueprint: z.enum(['best', 'random']).default('best'),
    /**
     * Among blueprints tied for the highest return, z* is the one with the highest plan log-prob
     * ('logprob', the spec's inferred rule) or the highest log-prob per planner decision
     * ('mean-logprob': the sum favours short blueprints, which have fewer decisions to pay for).
     */
    zStarTies: z.enum(['logprob', 'mean-logprob']).default('logprob'),
    /** Phase A and Phase B rounds per iteration (the phaseA:phaseB ratio). */
    phaseA: z.int().min(0).max(16).default(1),
    phaseB: z.int().min(0).max(16).default(1),
    /** Advantage normalisation per level; null = `advantageNorm`. */
    macroNorm: advantageNormSchema.nullable().default(null),
    microNorm: advantageNormSchema.nullable().default(null),
    /**
     * Phase B's executor advantages: 'episode' (the paper's: the group-relative return on every
     * executor token) or 'gigpo' (ours: GiGPO's anchor-state step term added among the executions
     * of the blueprint; core/train/himac/micro-advantages.ts).
     */
    microAdvantage: z.enum(['episode', 'gigpo']).default('episode'),
    /** One set of weights for both roles (the paper's), or a separate planner model. */
    sharedWeights: z.boolean().default(true),
    /**
     * WebShop blueprints: 'words' — query and options subgoals take the instruction's words freely
     * (the clone wrote garbled ones such as 'black of pepper pack of pepper'); 'values' — distinct
     * query words, options subgoals name whole asked values (each once), and the demonstrations
     * choose one value per subgoal; README "HiMAC on WebShop".
     */
    webshopSubgoals: z.enum(['words', 'values']).default('words'),
    /** Sampling temperature of Phase-A blueprints; null = `temperature`. */
    planTemperature: z.number().positive().max(5).nullable().default(null)
  })
  .strict()
  .refine((h) => h.phaseA + h.phaseB > 0, { message: 'phaseA + phaseB must be at least 1' })

export const policyConfigSchema = z
  .object({
    /** 'mlp' (Sokoban grid features) or 'lm' (the language-model agent); null = mlp on Sokoban, lm elsewhere. */
    kind: z.enum(['mlp', 'lm']).nullable().default(null),
    lm: lmPolicySchema.default(() => lmPolicySchema.parse({})),
    warmStart: warmStartSchema.default(() => warmStartSchema.parse({})),
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
    /** Adam's step size; null = the policy's default (MLP 1e-3, LM 1e-4: keeps the LM's clip fraction low). */
    learningRate: z.number().positive().max(1).nullable().default(null),
    clipEpsilon: z.number().positive().max(1).default(0.2),
    ppoEpochs: z.int().min(1).max(10).default(1),
    /** Shuffled minibatches per epoch (one optimizer step each). */
    minibatches: z.int().min(1).max(64).default(2),
    /** β of the KL penalty to the reference policy (the policy the run started from). */
    klCoef: z.number().min(0).max(10).default(0.01),
    /** Global gradient-norm clip per optimizer step. */
    maxGradNorm: z.number().positive().max(1000).default(1),
    /** Groups whose members all got the same return carry no signal: keep (advantage 0) or drop them. */
    zeroVarianceGroups: zeroVarianceGroupsSchema.default('keep'),
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
    /** Options that held-out evaluations use instead (merged over envConfig), e.g. {"split":"valid_unseen"}. */
    evalEnvConfig: z.record(z.string(), z.unknown()).default({}),
    policy: policyConfigSchema.default(() => policyConfigSchema.parse({})),
    himac: himacSchema.default(() => himacSchema.parse({}))
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.policy.kind === 'mlp' && c.algo === 'himac') {
      ctx.addIssue({
        code: 'custom',
        path: ['policy', 'kind'],
        message: "HiMAC's planner and executor are language models; use policy kind 'lm' or null"
      })
    }
    if (c.policy.kind === 'mlp' && c.env !== 'sokoban' && isTrainingAlgo(c.algo)) {
      ctx.addIssue({
        code: 'custom',
        path: ['policy', 'kind'],
        message: `the MLP policy reads Sokoban grids only; use policy kind 'lm' on ${c.env}`
      })
    }
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
  if (!isTrainingAlgo(config.algo)) return 1
  return config.iterations + warmStartEpochs(config)
}

/** Behaviour-cloning epochs a run reports as its first iterations (LM runs that clone). */
export function warmStartEpochs(config: ExperimentConfig): number {
  const w = config.policy.warmStart
  return policyKind(config) === 'lm' && w.from === null && w.episodes > 0 ? w.epochs : 0
}

/** The config held-out evaluation episodes are played under (evalEnvConfig over envConfig). */
export function evaluationConfig(config: ExperimentConfig): ExperimentConfig {
  return Object.keys(config.evalEnvConfig).length === 0
    ? config
    : { ...config, envConfig: { ...config.envConfig, ...config.evalEnvConfig } }
}

/** The learning rate a run uses (its own, or its policy's default). */
export function learningRateOf(config: ExperimentConfig): number {
  return config.learningRate ?? (policyKind(config) === 'lm' ? 1e-4 : 1e-3)
}

/**
 * A config as its run uses it, for tables and diffs: the learning rate and policy kind resolved,
 * and the options of the policy (and of HiMAC) it does not use dropped.
 */
export function effectiveConfig(config: ExperimentConfig): Omit<
  ExperimentConfig,
  'policy' | 'himac'
> & {
  himac?: ExperimentConfig['himac']
  learningRate: number
  policy: Partial<ExperimentConfig['policy']>
} {
  const kind = policyKind(config)
  const { lm, warmStart, hidden, encoding } = config.policy
  const policy = kind === 'lm' ? { kind, lm, warmStart } : { kind, hidden, encoding }
  const { himac, ...rest } = config
  return {
    ...rest,
    ...(config.algo === 'himac' ? { himac } : {}),
    learningRate: learningRateOf(config),
    policy
  }
}

/**
 * The policy a training config trains: HiMAC always the LM; otherwise the MLP on Sokoban unless told
 * otherwise, the LM elsewhere.
 */
export function policyKind(config: ExperimentConfig): 'mlp' | 'lm' {
  if (config.algo === 'himac') return 'lm'
  return config.policy.kind ?? (config.env === 'sokoban' ? 'mlp' : 'lm')
}
