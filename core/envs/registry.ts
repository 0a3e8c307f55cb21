// Builds the environment an experiment config asks for.
import type { ExperimentConfig } from '../api/config'
import type { Env } from './env'
import { createSokobanEnv } from './sokoban'

export function createEnvForExperiment(config: ExperimentConfig): Env {
  switch (config.env) {
    case 'sokoban':
      return createSokobanEnv(config.envConfig)
  }
}
