// HiMAC blueprints (issue 14): the planner's subgoal grammar as a token-level decoding automaton and
// the canonical blueprints of the demonstrators' episodes.
export {
  ALFWORLD_TRANSFORMS,
  alfworldPhrase,
  alfworldTypes,
  DEFAULT_PLAN_OPTION_WORDS,
  DEFAULT_PLAN_QUERY_WORDS,
  phraseSet,
  PUSH_SIDE,
  SOKOBAN_DIRECTIONS,
  sokobanBoxCount,
  sokobanBoxName,
  sokobanPhrase,
  WEBSHOP_BUY,
  WEBSHOP_CHOOSE_ITEM,
  WEBSHOP_OPTIONS,
  WEBSHOP_SEARCH,
  webshopOptionValues,
  webshopOptionWords,
  type AlfworldTransform,
  type PhraseSet,
  type PlanSpec,
  type SlotTemplate,
  type SokobanDirection
} from './phrases'
export {
  createPlanCursor,
  DEFAULT_MAX_SUBGOALS,
  maxPlanTokens,
  parsePlanTokens,
  PlanCursor,
  PlanGrammar,
  planPhrases,
  planTokens
} from './grammar'
export {
  canonicalPlan,
  planSpecOf,
  segmentSteps,
  type CanonicalOptions,
  type CanonicalPlan,
  type PlanSegment
} from './canonical'
export { sokobanStepPhrases } from './canonical-sokoban'
export { demoEpisodeOf, formatPlanReport, planReport, type PlanReportRow } from './report'
