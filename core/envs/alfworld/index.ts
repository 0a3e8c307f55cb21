// ALFWorld text household environment (pure TypeScript). Node-only exports come from gameFiles.ts;
// browser code should import env.ts / engine.ts / types.ts directly.
export { AlfworldGame, type CommandKind } from './engine'
export {
  ALFWORLD_REWARD_WIN,
  ALFWORLD_TASK_LABELS,
  alfworldMetricKey,
  alfworldOptionsSchema,
  alfworldTaskTypeSchema,
  createAlfworldEnv,
  type AlfworldEnv,
  type AlfworldGameData,
  type AlfworldOptions,
  type AlfworldOptionsInput
} from './env'
export { solveAlfworld } from './expert'
export {
  ALFWORLD_TASK_TYPES,
  generateScene,
  generateWorld,
  scenesOfSplit,
  type AlfworldSplit,
  type GenerateOptions
} from './generator'
export { defaultGrammar, grammarFromGameFile, type AlfworldGrammar } from './grammar'
export { parseGameFile, type GameFileJson, type ParsedGameFile } from './pddl'
export { worldToGameFile } from './writer'
export { benchAlfworld, type AlfworldBenchResult } from './bench'
export { alfworldSuccessReport, type AlfworldTypeReport } from './report'
export {
  createAlfworldEnvFromData,
  createAlfworldEnvFromGameFile,
  findAlfworldGameFiles,
  loadAlfworldGameFile,
  loadAlfworldGames,
  resolveAlfworldSplitDir,
  writeGeneratedAlfworldGames
} from './gameFiles'
export { SEEN_SCENES, UNSEEN_SCENES } from './vocab'
export type { AlfworldGoal, AlfworldGrammarVersion, AlfworldTaskType, World } from './types'
