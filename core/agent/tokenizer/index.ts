// Closed word-level tokenizer of the language-model agent (issue 13, part 1).
export {
  NEWLINE,
  normalizeText,
  SPECIAL_TOKENS,
  splitPieces,
  WORD_RUN,
  type Piece,
  type SpecialToken
} from './pieces'
export {
  addText,
  ASCII_CHARS,
  charToken,
  continuationToken,
  emptyInventory,
  NUMBER_WORDS,
  vocabularyTokens,
  type TextInventory
} from './vocabulary'
export { createTokenizer, type EncodeStats, type SpecialIds, type Tokenizer } from './tokenizer'
export {
  tokenizerFromJson,
  tokenizerHash,
  tokenizerJsonSchema,
  tokenizerToJson,
  TOKENIZER_FORMAT,
  TOKENIZER_NORMALIZATION,
  TOKENIZER_VERSION,
  type TokenizerJson
} from './serialize'
export {
  episodeTexts,
  envTexts,
  seedRange,
  type EnvText,
  type EnvTextKind,
  type EpisodeTextOptions
} from './env-texts'
export {
  alfworldGameTexts,
  buildEnvTokenizer,
  defaultEnv,
  ENV_KINDS,
  envTableTexts,
  webshopCatalogTexts,
  type EnvTokenizerOptions,
  type TokenizerSources
} from './env-vocabulary'
export { oovReport, type OovReport, type OovRow } from './oov'
