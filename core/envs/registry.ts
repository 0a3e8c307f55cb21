// Builds and validates the environment an experiment config asks for.
import { z } from 'zod'
import type { ExperimentConfig } from '../api/config'
import {
  ALFWORLD_TASK_TYPES,
  alfworldMetricKey,
  alfworldOptionsSchema,
  createAlfworldEnvFromData,
  type AlfworldTaskType
} from './alfworld'
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
  const merged = optionSchemas[config.env].safeParse({
    ...config.envConfig,
    ...config.evalEnvConfig
  })
  if (!merged.success) {
    throw new z.ZodError(
      merged.error.issues.map((i) => ({ ...i, path: [...pathPrefix, 'evalEnvConfig', ...i.path] }))
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

/** The key a task type is reported under (ALFWorld: verl-agent's per-type metric names). */
export function taskMetricKey(env: EnvKind, taskType: string): string {
  if (env === 'alfworld' && (ALFWORLD_TASK_TYPES as readonly string[]).includes(taskType)) {
    return alfworldMetricKey(taskType as AlfworldTaskType)
  }
  return taskType
}
