// Shared pieces of the LM-agent tests: one small tokenizer, seeded envs and demonstrator episodes.
import { createAlfworldEnv } from '../../../core/envs/alfworld'
import type { Env, EnvKind } from '../../../core/envs/env'
import { createSokobanEnv } from '../../../core/envs/sokoban'
import { createWebshopEnv } from '../../../core/envs/webshop'
import {
  createAlfworldDemonstrator,
  createSokobanDemonstrator,
  createWebshopDemonstrator,
  runDemonstrator,
  type DemoEpisode
} from '../../../core/agent/demonstrators'
import { buildEnvTokenizer, type Tokenizer } from '../../../core/agent/tokenizer'

export const LM_ENVS: readonly EnvKind[] = ['sokoban', 'alfworld', 'webshop']

let cached: Tokenizer | null = null

/** The env tokenizer from 20 episodes per env (built once per test file). */
export function testTokenizer(): Tokenizer {
  cached ??= buildEnvTokenizer({ episodes: 20 }).tokenizer
  return cached
}

/** An env with default options, or with fewer steps to keep rollouts short. */
export function testEnv(kind: EnvKind, maxSteps?: number): Env {
  const o = maxSteps === undefined ? {} : { maxSteps }
  switch (kind) {
    case 'sokoban':
      return createSokobanEnv(o)
    case 'alfworld':
      return createAlfworldEnv(o)
    case 'webshop':
      return createWebshopEnv(o)
  }
}

export function demoEpisode(kind: EnvKind, seed: number): DemoEpisode {
  const demo =
    kind === 'sokoban'
      ? createSokobanDemonstrator()
      : kind === 'alfworld'
        ? createAlfworldDemonstrator()
        : createWebshopDemonstrator()
  return runDemonstrator(testEnv(kind), demo, seed)
}
