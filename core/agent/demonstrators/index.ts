// Observation-only demonstrators for behaviour cloning (ALFWorld search, WebShop shopper, Sokoban
// BFS), the episode runner and the report beside the oracle.
export { SubgoalCounter, type DemoChoice, type Demonstrator } from './types'
export {
  ALFWORLD_PRIOR,
  createAlfworldDemonstrator,
  type AlfworldDemonstrator,
  type AlfworldDemonstratorOptions,
  type SearchOrder
} from './alfworld/demonstrator'
export {
  buildAlfworldPrior,
  locationProbability,
  openableProbability,
  serializeAlfworldPrior,
  PRIOR_SEEDS,
  type AlfworldPrior
} from './alfworld/prior'
export { parseTask, type ParsedTask } from './alfworld/parse'
export { createWebshopDemonstrator } from './webshop/demonstrator'
export { createSokobanDemonstrator } from './sokoban'
export { runDemonstrator, runOracle, type DemoEpisode, type OracleEpisode } from './run'
export {
  demonstratorReport,
  formatDemonstratorReport,
  type DemoReportOptions,
  type DemoReportRow
} from './report'
