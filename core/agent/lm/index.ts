// The language-model agent's acting side (issue 13, parts 3–4): options, constrained decoding,
// compact contexts, batched lockstep rollouts with a KV cache, teacher trajectories and re-scoring.
export { actionLogProb, choiceCount, type LmDecision, type LmTrajectory } from './record'
export {
  DEFAULT_LM_CONTEXT,
  DEFAULT_MAX_OBS_TOKENS,
  defaultLmModelConfig,
  lmAgentOptionsSchema,
  resolveLmAgentOptions,
  VERL_HISTORY_LENGTH,
  type LmAgentOptions,
  type LmAgentOptionsInput
} from './options'
export {
  CommandConstraint,
  ConstrainedCursor,
  constrainedSearchAction,
  FreeCursor,
  instructionWords,
  matchFreeAction,
  stepConstraint,
  SUB_DONE,
  type ConstraintSpec,
  type DecodingCursor
} from './constraint'
export {
  cappedTokens,
  compactObservation,
  LmContext,
  markTaskWords,
  observationTokens,
  SOKOBAN_TASK,
  taskPromptTokens,
  taskWordIds,
  type ContextStats
} from './context'
export {
  INVALID_ACTION_PENALTY,
  maskedLogProbs,
  rolloutLm,
  type LmBatchStats,
  type LmEpisodeStats,
  type LmLogitsProbe,
  type LmRollout,
  type LmRolloutArgs
} from './rollout'
export { teacherTrajectory } from './teacher'
export { resultClickTexts, WEBSHOP_CLICKS, type WebshopClick } from './webshop-clicks'
export { recomputeTokenLogProbs } from './score'
