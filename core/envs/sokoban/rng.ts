// Seeded PRNG (sfc32, seeded through splitmix32) for room generation, and the deterministic re-seed
// used when generation fails. Bit-exact equality with Python's `random`/`np.random` is not a goal:
// the same seed always gives the same room here, and that is what the env promises.
import { createRng, mix32 } from '../../rng'

export type SokobanRng = {
  /** Uniform in [0, 1), like Python's `random.random()`. */
  next(): number
  /** Uniform integer in [0, n), like `np.random.randint(n)` / `random.choice` over n items. */
  int(n: number): number
}

const TWO_32 = 4294967296

/** Folds any safe integer (negative or ≥ 2^32 included) into 32 bits, injectively below 2^32. */
function seedWords(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`sokoban seed must be a safe integer, got ${seed}`)
  const lo = seed >>> 0
  const hi = Math.floor(seed / TWO_32) | 0
  return [lo, hi >>> 0]
}

export function createSokobanRng(seed: number): SokobanRng {
  return createRng(seed)
}

/**
 * The seed tried after a failed generation. verl-agent uses `abs(hash(str(seed))) % 2**32`, which
 * is salted per Python process; we use a fixed 32-bit mix of the seed instead, so retries are
 * reproducible: next = mix32(lo32(seed) XOR mix32(hi32(seed) + 0x5bd1e995) XOR 0x27d4eb2d).
 */
export function reseedSokoban(seed: number): number {
  const [lo, hi] = seedWords(seed)
  return mix32((lo ^ mix32((hi + 0x5bd1e995) >>> 0) ^ 0x27d4eb2d) >>> 0)
}
