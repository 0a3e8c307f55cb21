// Small seeded PRNG (mulberry32) with the helpers the WebShop port needs. Never Math.random.

export type Rng = {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
  /** Uniform float in [lo, hi] (Python's random.uniform). */
  uniform(lo: number, hi: number): number
  /** k distinct elements in random order (Python's random.sample). */
  sample<T>(items: readonly T[], k: number): T[]
  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[]
  pick<T>(items: readonly T[]): T
}

export function createRng(seed: number): Rng {
  let state = hashSeed(seed)
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  const rng: Rng = {
    next,
    int,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    sample: (items, k) => {
      const pool = items.slice()
      const out = []
      for (let i = 0; i < k && pool.length > 0; i++) {
        const j = int(pool.length)
        out.push(pool[j] as (typeof items)[number])
        pool[j] = pool[pool.length - 1] as (typeof items)[number]
        pool.pop()
      }
      return out
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1)
        const tmp = items[i] as (typeof items)[number]
        items[i] = items[j] as (typeof items)[number]
        items[j] = tmp
      }
      return items
    },
    pick: (items) => items[int(items.length)] as (typeof items)[number]
  }
  return rng
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
