// Builds and validates the environment an experiment config asks for.
import { z } from 'zod'
import type { ExperimentConfig } from '../api/config'
import { alfworldOptionsSchema, createAlfworldEnvFromData } from './alfworld'
import type { Env, EnvKind } from './env'
import { createSokobanEnv, sokobanOptionsSchema } from './sokoban'
import { createWebshopEnv, webshopOptionsSchema } from './webshop'

const optionSchemas: Record<EnvKind, z.ZodType> = {
  sokoban: sokobanOptionsSchema,
  alfworld: alfworldOptionsSchema,
  webshop: webshopOptionsSchema
}

/** Checks `config.envConfig` against the environment's schema; issues are reported under `envConfig`. */
export function validateEnvConfig(config: ExperimentConfig, pathPrefix: string[] = []): void {
  const result = optionSchemas[config.env].safeParse(config.envConfig)
  if (!result.success) {
    throw new z.ZodError(
      result.error.issues.map((i) => ({ ...i, path: [...pathPrefix, 'envConfig', ...i.path] }))
    )
  }
}

export function createEnvForExperiment(config: ExperimentConfig): Env {
  switch (config.env) {
    case 'sokoban':
      return createSokobanEnv(config.envConfig)
    case 'alfworld':
      return createAlfworldEnvFromData(config.envConfig)
    case 'webshop':
      return createWebshopEnv(config.envConfig)
  }
}
