// Counterfactual replay of a stored LM episode: the deterministic environment is re-run from the
// episode's seed through its recorded decisions up to a step t (each replayed step must reproduce
// the stored observation, reward and subgoal, or nothing is made), then one change is applied —
// another action at t, or a subgoal of the blueprint rewritten (t = the first step of that
// subgoal) — and a stored policy's executor continues from there. The recorded prefix is fed as
// forced tokens, so the executor continues in the same context it had (same chunks, same history).
import { evaluationConfig, policyKind, type ExperimentConfig } from '../api/config'
import type { Episode, Step } from '../api/entities'
import { blueprintTokens } from '../agent/himac/executor-plan'
import { rolloutLm, SUB_DONE, type LmRollout } from '../agent/lm'
import { createEnvForExperiment } from '../envs/registry'
import { createRng } from '../rng'
import type { EpisodeRecord, StepRecord } from '../store/records'
import { executorPlan } from './himac/phases'
import { himacOptionsFor } from './himac/options'
import { lmAgentOptionsFor } from './lm/setup'
import type { LoadedPolicy } from './lm/run-policy'

export type CounterfactualEdit =
  { kind: 'action'; t: number; action: string } | { kind: 'subgoal'; index: number; text: string }

/** Why a counterfactual cannot be made (bad edit, an episode the env no longer reproduces). */
export class CounterfactualError extends Error {}

export type CounterfactualResult = {
  record: EpisodeRecord
  /** The first step that differs from the origin's (the edited one). */
  from: number
}

export type CounterfactualArgs = {
  origin: Episode
  steps: readonly Step[]
  /** The origin run's config: its environment (evaluation episodes use the evaluation env). */
  originConfig: ExperimentConfig
  policy: LoadedPolicy
  edit: CounterfactualEdit
  /** 0 = greedy. */
  temperature: number
  seed: number
}

/**
 * The recorded decisions before step t's action: each action, and each `<sub_done>` — read from
 * the subgoal index moving on without a budget fallback (a `<sub_done>` chosen before a subgoal's
 * first step leaves no flag), or from a flat agent's `subDone` flag. `enter` is the subgoal to be
 * in at step t (default: the one step t was in).
 */
function forcedDecisions(steps: readonly Step[], t: number, enter?: number): string[] {
  const out: string[] = []
  let segment = 0
  let fallback = false
  for (let k = 0; k <= t; k++) {
    const s = steps[k] as Step
    const target = k === t && enter !== undefined ? enter : s.subgoalIndex
    if (target !== null) {
      const chosen = target - segment - (fallback ? 1 : 0)
      for (let i = 0; i < chosen; i++) out.push(SUB_DONE)
      segment = target
    }
    if (k === t) break
    out.push(s.action)
    if (s.subgoalIndex === null && s.subDone) out.push(SUB_DONE)
    fallback = s.fallback
  }
  return out
}

function toStepRecord(s: Step): StepRecord {
  return {
    t: s.t,
    observation: s.observation,
    admissibleActions: s.admissibleActions,
    action: s.action,
    reward: s.reward,
    done: s.done,
    subgoalIndex: s.subgoalIndex,
    subDone: s.subDone,
    logProb: s.logProb,
    advantage: null,
    view: s.view,
    ...(s.candidates ? { candidates: s.candidates } : {}),
    ...(s.invalid ? { invalid: true } : {}),
    ...(s.fallback ? { fallback: true } : {}),
    ...(s.subDoneProb !== null ? { subDoneProb: s.subDoneProb } : {}),
    ...(s.subDoneChoices ? { subDoneChoices: s.subDoneChoices } : {})
  }
}

/** Where the change happens, the blueprint the executor follows, and the decisions it is forced. */
function plan(args: CounterfactualArgs): {
  from: number
  blueprint: string[] | null
  forced: string[]
} {
  const { origin, steps, edit } = args
  const acted = steps.filter((s) => s.action !== '')
  if (edit.kind === 'action') {
    const step = acted[edit.t]
    if (!step)
      throw new CounterfactualError(
        `step ${edit.t} is not an action of episode ${origin.id} (it has ${acted.length})`
      )
    if (edit.action === step.action)
      throw new CounterfactualError(`step ${edit.t} already took '${edit.action}': choose another`)
    if (!step.admissibleActions.includes(edit.action) && !edit.action.startsWith('search['))
      throw new CounterfactualError(
        `'${edit.action}' is not admissible at step ${edit.t} (${step.admissibleActions.length} actions are)`
      )
    return {
      from: edit.t,
      blueprint: origin.blueprint,
      forced: [...forcedDecisions(steps, edit.t), edit.action]
    }
  }
  const blueprint = origin.blueprint
  if (!blueprint) throw new CounterfactualError(`episode ${origin.id} has no blueprint to edit`)
  if (edit.index < 0 || edit.index >= blueprint.length)
    throw new CounterfactualError(
      `subgoal ${edit.index + 1} is not in the blueprint (it has ${blueprint.length})`
    )
  const text = edit.text.trim()
  if (text === '' || text === blueprint[edit.index])
    throw new CounterfactualError('the edited subgoal must be new, non-empty text')
  const start = acted.findIndex((s) => s.subgoalIndex !== null && s.subgoalIndex >= edit.index)
  if (start < 0)
    throw new CounterfactualError(
      `the recorded execution never reached subgoal ${edit.index + 1}: nothing to re-run from`
    )
  const edited = blueprint.map((b, i) => (i === edit.index ? text : b))
  return { from: start, blueprint: edited, forced: forcedDecisions(steps, start, edit.index) }
}

/** The prefix the rollout replayed must be the stored one, step for step. */
function checkPrefix(origin: Episode, stored: readonly Step[], replayed: LmRollout, from: number) {
  for (let t = 0; t < from; t++) {
    const a = stored[t] as Step
    const b = replayed.steps[t]
    const same =
      b !== undefined &&
      b.observation === a.observation &&
      b.action === a.action &&
      b.reward === a.reward &&
      (b.subgoalIndex ?? null) === a.subgoalIndex
    if (!same)
      throw new CounterfactualError(
        `the environment did not reproduce step ${t} of episode ${origin.id} (seed ${origin.seed}): ` +
          'it was recorded by a different environment version or config'
      )
  }
}

export function counterfactualEpisode(args: CounterfactualArgs): CounterfactualResult {
  const { origin, policy } = args
  const config = policy.config
  if (policyKind(config) !== 'lm')
    throw new CounterfactualError('counterfactual replay needs a language-model policy')
  if (config.env !== origin.env)
    throw new CounterfactualError(
      `the policy acts in ${config.env}, the episode is from ${origin.env}`
    )
  if (!(args.temperature >= 0 && args.temperature <= 2))
    throw new CounterfactualError('temperature must be in [0, 2]')
  const { from, blueprint, forced } = plan(args)
  const envConfig =
    origin.phase === 'eval' ? evaluationConfig(args.originConfig) : args.originConfig
  const env = createEnvForExperiment(envConfig)
  const himac = blueprint !== null && config.algo === 'himac'
  if (blueprint !== null && !himac)
    throw new CounterfactualError('an episode with a blueprint needs a HiMAC policy to continue it')
  if (blueprint) {
    const unknown = blueprint.filter((b) =>
      args.policy.tokenizer.encode(b).includes(args.policy.tokenizer.special.unk)
    )
    if (unknown.length > 0)
      throw new CounterfactualError(`the policy's vocabulary cannot spell subgoal '${unknown[0]}'`)
  }
  const [rollout] = rolloutLm({
    model: policy.model,
    tokenizer: policy.tokenizer,
    envs: [env],
    seeds: [origin.seed],
    temperature: args.temperature,
    rng: createRng(args.seed),
    options: lmAgentOptionsFor(config),
    candidates: config.policy.lm.candidates !== 'off',
    forced: [forced],
    ...(blueprint
      ? {
          plans: [
            executorPlan(himacOptionsFor(config), blueprintTokens(policy.tokenizer, blueprint))
          ]
        }
      : {})
  })
  if (!rollout) throw new Error('no rollout')
  checkPrefix(origin, args.steps, rollout, from)
  const steps = [...args.steps.slice(0, from).map(toStepRecord), ...rollout.steps.slice(from)]
  return {
    from,
    record: {
      phase: origin.phase,
      memberIndex: 0,
      env: origin.env,
      task: rollout.task || origin.task,
      seed: origin.seed,
      blueprint,
      return: steps.reduce((sum, s) => sum + s.reward, 0),
      success: rollout.success,
      length: rollout.trajectory.decisions.length,
      steps
    }
  }
}
