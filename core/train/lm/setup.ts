// From an experiment config to the LM agent's parts: agent options, tokenizer and model size.
import type { ExperimentConfig } from '../../api/config'
import { defaultLmModelConfig, resolveLmAgentOptions, type LmAgentOptions } from '../../agent/lm'
import type { TransformerConfig } from '../../agent/models/transformer'
import { buildEnvTokenizer, type Tokenizer } from '../../agent/tokenizer'
import { EXECUTOR_CONTEXT_EXTRA } from '../himac/options'

export function lmAgentOptionsFor(config: ExperimentConfig): LmAgentOptions {
  const lm = config.policy.lm
  return resolveLmAgentOptions(
    {
      decoding: lm.decoding,
      sokobanView: lm.sokobanView,
      webshopClick: lm.webshopClick,
      markTaskWords: lm.markTaskWords,
      markSubgoalWords: lm.markSubgoalWords,
      markActionWords: lm.markActionWords,
      ...(lm.historyLength !== null ? { historyLength: lm.historyLength } : {})
    },
    config.env
  )
}

let shared: Tokenizer | undefined

/**
 * The closed vocabulary of all three environments (deterministic; built once per process). One
 * vocabulary for every env keeps checkpoints of different envs comparable.
 */
export function lmTokenizerFor(_config: ExperimentConfig): Tokenizer {
  shared ??= buildEnvTokenizer({}).tokenizer
  return shared
}

/** The env's default model, with the sizes the config sets. */
export function lmModelConfigFor(
  config: ExperimentConfig,
  tokenizer: Tokenizer
): TransformerConfig {
  const lm = config.policy.lm
  const base = defaultLmModelConfig(tokenizer, config.env)
  return {
    ...base,
    dModel: lm.dModel,
    layers: lm.layers,
    heads: lm.heads,
    ffMult: lm.ffMult,
    ...(lm.tiedHead ? { tiedHead: true } : {}),
    ...(lm.context !== null
      ? { context: lm.context }
      : config.algo === 'himac'
        ? { context: base.context + EXECUTOR_CONTEXT_EXTRA }
        : {})
  }
}
