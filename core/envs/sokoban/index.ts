// Public API of the Sokoban environment.
export {
  createSokobanEnv,
  parseSokobanDirection,
  EXPERT_SUBGOAL,
  PENALTY_BOX_OFF_TARGET,
  PENALTY_FOR_STEP,
  REWARD_BOX_ON_TARGET,
  REWARD_FINISHED,
  type SokobanEnv
} from './env'
export { sokobanOptionsSchema, type SokobanOptions, type SokobanOptionsInput } from './options'
export {
  DIRECTIONS,
  DIRECTION_DELTAS,
  moveOnly,
  pushOrMove,
  type SokobanDirection
} from './dynamics'
export {
  FULL9_ACTIONS,
  parseSokobanAction,
  sokobanActionNames,
  type SokobanActionSpace
} from './actions'
export {
  BOX,
  BOX_ON_TARGET,
  FLOOR,
  PLAYER,
  PLAYER_ON_TARGET,
  TARGET,
  WALL,
  cloneGrid,
  gridFromRoom,
  gridToRoom,
  type SokobanGrid,
  type SokobanRoom
} from './grid'
export {
  RAGEN_GRID_LOOKUP,
  SOKOBAN_RGB,
  VERL_GRID_LOOKUP,
  renderSokobanText,
  roomToRgb,
  type Rgb,
  type SokobanTextMode
} from './render'
export { solveSokoban, SOLVER_MAX_DEPTH } from './solver'
export {
  generateSokobanRoom,
  MAX_EXPLORED_STATES,
  MAX_RESEEDS,
  type GenerateOptions,
  type GeneratedRoom
} from './generate'
export { createSokobanRng, reseedSokoban, type SokobanRng } from './rng'
export { benchSokoban, type SokobanBench } from './bench'
