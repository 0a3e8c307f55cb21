// Cloning targets of HiMAC's two roles from a demonstrator episode cut into subgoal segments: the
// planner's trajectory (its prompt and the canonical blueprint's tokens, walked through the grammar)
// and the executor's (per subgoal a chunk with that subgoal's prompt; `<sub_done>` on the first
// observation of the next segment, as the rollout records it).
import type { EnvKind } from '../../envs/env'
import type { StepRecord } from '../../store/records'
import { SUB_DONE, type DecodingCursor } from '../lm/constraint'
import { LmContext } from '../lm/context'
import type { LmAgentOptions } from '../lm/options'
import type { LmDecision, LmTrajectory } from '../lm/record'
import { teacherDecision, walk } from '../lm/teacher'
import type { Tokenizer } from '../tokenizer'
import {
  executorPromptTokens,
  markActiveSubgoal,
  plannerPromptTokens,
  subgoalPhrases,
  type ExecutorPlan
} from './executor-plan'
import type { PlanSegment } from './canonical'
import type { SokobanView } from '../lm/sokoban-view'

/** The planner's decision for `tokens` (a blueprint the grammar behind `cursor` can produce). */
export function teacherPlanTrajectory(
  tokenizer: Tokenizer,
  env: EnvKind,
  task: string,
  observation: string,
  cursor: DecodingCursor,
  tokens: readonly number[],
  maxPromptTokens: number,
  sokobanView?: SokobanView
): LmTrajectory {
  const allowed = walk(cursor, tokens)
  if (!allowed) throw new Error('the blueprint grammar cannot produce this plan')
  const prompt = plannerPromptTokens(
    tokenizer,
    env,
    task,
    observation,
    maxPromptTokens,
    sokobanView
  )
  const decision: LmDecision = {
    chunk: 0,
    positions: Int32Array.from(tokens, (_, i) => prompt.length + i),
    allowed,
    tokenLogProbs: new Float32Array(tokens.length),
    temperature: 1,
    action: cursor.text()
  }
  return { chunks: [Int32Array.from([...prompt, ...tokens])], decisions: [decision] }
}

export type ExecutorTeacherResult =
  | { trajectory: LmTrajectory; fallbacks: number }
  /** The episode does not fit the executor's rules (a segment longer than the step budget). */
  | { trajectory: null; reason: string }

/**
 * The executor's decisions for the episode's actions under `plan`, cut by `segments` (contiguous,
 * in order, covering every acted step). A segment reaching the step budget moves on without
 * `<sub_done>` (the rollout's fallback) when the next step starts a new segment; when it goes on,
 * the episode cannot be cloned under this budget. Without `<sub_done>` (the fixed-budget ablation)
 * the segments are every `budget` steps, as that rollout switches.
 */
export function teacherExecutorTrajectory(
  tokenizer: Tokenizer,
  env: EnvKind,
  episode: { task: string; steps: readonly StepRecord[] },
  plan: ExecutorPlan,
  segments: readonly PlanSegment[],
  options: LmAgentOptions,
  context: number
): ExecutorTeacherResult {
  const phrases = subgoalPhrases(tokenizer, plan.tokens)
  const last = episode.steps.length - 1
  const acted = episode.steps.filter((s, i) => !(i === last && s.action === '' && s.done))
  const segmentOf = new Int32Array(acted.length).fill(-1)
  for (const seg of segments)
    for (let i = seg.firstStep; i <= seg.lastStep && i < acted.length; i++)
      segmentOf[i] = seg.subgoal
  if (segmentOf.some((x) => x < 0))
    return { trajectory: null, reason: 'a step outside every segment' }
  // The fixed-budget ablation has no `<sub_done>`: its rollout moves on every `budget` steps, so
  // its cloning targets do too, rather than at the demonstrator's own boundaries.
  if (!plan.subDone)
    for (let i = 0; i < acted.length; i++)
      segmentOf[i] = Math.min(Math.floor(i / plan.budget), phrases.length)
  const prompt = (active: number): number[] =>
    executorPromptTokens(
      tokenizer,
      env,
      episode.task,
      plan.tokens,
      phrases,
      active,
      options.maxObsTokens
    )
  const ctx = new LmContext(tokenizer, env, options, context, episode.task, prompt(0))
  markActiveSubgoal(ctx, tokenizer, episode.task, phrases, 0, options)
  const decisions: LmDecision[] = []
  let active = 0
  let segSteps = 0
  let fallbacks = 0
  const next = (): void => {
    active++
    segSteps = 0
    ctx.startChunk(plan.carry, prompt(active), 0, plan.carry)
    markActiveSubgoal(ctx, tokenizer, episode.task, phrases, active, options)
  }
  for (let i = 0; i < acted.length; i++) {
    const step = acted[i] as StepRecord
    const target = Math.min(segmentOf[i] as number, phrases.length)
    if (target < active) return { trajectory: null, reason: 'segments out of order' }
    while (active < target) {
      if (plan.subDone) {
        decisions.push(teacherDecision(tokenizer, ctx, step, SUB_DONE, episode.task, options, true))
      }
      next()
    }
    const allowSubDone = plan.subDone && active < phrases.length
    decisions.push(
      teacherDecision(tokenizer, ctx, step, step.action, episode.task, options, allowSubDone)
    )
    segSteps++
    if (active < phrases.length && segSteps >= plan.budget && i + 1 < acted.length) {
      if ((segmentOf[i + 1] as number) === active)
        return { trajectory: null, reason: `subgoal ${active} runs past the budget ${plan.budget}` }
      fallbacks++
      next()
    }
  }
  return { trajectory: { chunks: ctx.chunks(), decisions }, fallbacks }
}
