// Seeded randomness for the WebShop port: mulberry32 (core/rng) from a hashed seed. Never Math.random.
import { mulberry32, rngFrom, type Rng } from '../../rng'

export type { Rng }

export function createRng(seed: number): Rng {
  return rngFrom(mulberry32(hashSeed(seed)))
}

/** Mixes any finite number (incl. negatives and floats) into a 32-bit state. */
function hashSeed(seed: number): number {
  let h = 0x9e3779b9 ^ Math.floor(seed)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  h ^= h >>> 16
  const frac = Math.floor((seed - Math.floor(seed)) * 2 ** 31)
  return (h ^ frac) | 0
}
