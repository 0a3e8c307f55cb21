// The tokenizer file stored with every checkpoint: versioned JSON whose hash covers the token list
// (what fixes the ids), validated with zod on load.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { createTokenizer, type Tokenizer } from './tokenizer'

export const TOKENIZER_FORMAT = 'himac-word-tokenizer'
export const TOKENIZER_VERSION = 1
/** Names the normalisation of pieces.ts; a change there needs a new name and version. */
export const TOKENIZER_NORMALIZATION = 'lowercase+collapse-whitespace+spacing-flags'

export const tokenizerJsonSchema = z
  .object({
    format: z.literal(TOKENIZER_FORMAT),
    version: z.literal(TOKENIZER_VERSION),
    normalization: z.literal(TOKENIZER_NORMALIZATION),
    tokens: z.array(z.string().min(1)).min(1),
    /** "sha256:<hex>" of the canonical JSON of format, version, normalization and tokens. */
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    /** How it was built (informative; not hashed). */
    sources: z.record(z.string(), z.unknown()).optional()
  })
  .strict()

export type TokenizerJson = z.infer<typeof tokenizerJsonSchema>

export function tokenizerHash(tokens: readonly string[]): string {
  const canonical = JSON.stringify([
    TOKENIZER_FORMAT,
    TOKENIZER_VERSION,
    TOKENIZER_NORMALIZATION,
    tokens
  ])
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`
}

export function tokenizerToJson(
  tokenizer: Tokenizer,
  sources?: Record<string, unknown>
): TokenizerJson {
  const tokens = [...tokenizer.tokens]
  return {
    format: TOKENIZER_FORMAT,
    version: TOKENIZER_VERSION,
    normalization: TOKENIZER_NORMALIZATION,
    tokens,
    hash: tokenizerHash(tokens),
    ...(sources ? { sources } : {})
  }
}

/** Parses and checks a stored tokenizer (schema, hash, token forms); throws with the reason. */
export function tokenizerFromJson(json: unknown): Tokenizer {
  const parsed = tokenizerJsonSchema.parse(json)
  const expected = tokenizerHash(parsed.tokens)
  if (parsed.hash !== expected) {
    throw new Error(`tokenizer hash mismatch: file says ${parsed.hash}, tokens give ${expected}`)
  }
  return createTokenizer(parsed.tokens)
}
