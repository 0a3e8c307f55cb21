// The project's seeded random numbers: two small generators and one set of helpers over them.
// Nothing seeded may use Math.random. The same seed gives the same stream on every platform.

/** A uniform source in [0, 1). */
export type RandomSource = () => number

export type Rng = {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
  /** Uniform float in [lo, hi] (Python's random.uniform). */
  uniform(lo: number, hi: number): number
  /** One element, uniformly (throws on an empty list). */
  pick<T>(items: readonly T[]): T
  /** In-place Fisher–Yates shuffle (from the end, like Python's random.shuffle). */
  shuffle<T>(items: T[]): T[]
  /** k distinct elements in random order (Python's random.sample). */
  sample<T>(items: readonly T[], k: number): T[]
}

const TWO_32 = 4294967296

/** The splitmix32 output function: a strong 32-bit mixer. */
export function mix32(x: number): number {
  let z = x >>> 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
  return (z ^ (z >>> 16)) >>> 0
}

/** mulberry32 from a 32-bit state: tiny and fast (worlds, catalogs, benchmark inputs). */
export function mulberry32(seed: number): RandomSource {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / TWO_32
  }
}

/** The four 32-bit words of an sfc32 generator: enough to continue its stream exactly. */
export type Sfc32State = [number, number, number, number]

/** An sfc32 source whose position in its stream can be read and restored (checkpoints). */
export type StatefulSource = RandomSource & { state(): Sfc32State }

/** sfc32 continuing from a state read with `state()`. */
export function sfc32FromState(state: Sfc32State): StatefulSource {
  let [a, b, c, d] = state.map((w) => w >>> 0) as Sfc32State
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t / TWO_32
  }
  return Object.assign(next, { state: (): Sfc32State => [a >>> 0, b >>> 0, c >>> 0, d >>> 0] })
}

/**
 * sfc32 seeded through splitmix32 from any safe integer (negative or ≥ 2^32 included), with a few
 * outputs discarded so that nearby seeds decorrelate fully (rooms, rollouts, sampling).
 */
export function sfc32(seed: number): StatefulSource {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`)
  const lo = seed >>> 0
  const hi = (Math.floor(seed / TWO_32) | 0) >>> 0
  let s = (lo ^ mix32(hi ^ 0x6a09e667)) >>> 0
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0
    return mix32(s)
  }
  const a = split()
  const b = split()
  const c = split()
  const d = split()
  const next = sfc32FromState([a, b, c, d])
  for (let i = 0; i < 8; i++) next()
  return next
}

/** The helpers over any uniform source. */
export function rngFrom(next: RandomSource): Rng {
  const int = (n: number): number => Math.floor(next() * n)
  return {
    next,
    int,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[int(items.length)] as T
    },
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1)
        const tmp = items[i] as T
        items[i] = items[j] as T
        items[j] = tmp
      }
      return items
    },
    sample<T>(items: readonly T[], k: number): T[] {
      const pool = items.slice()
      const out: T[] = []
      for (let i = 0; i < k && pool.length > 0; i++) {
        const j = int(pool.length)
        out.push(pool[j] as T)
        pool[j] = pool[pool.length - 1] as T
        pool.pop()
      }
      return out
    }
  }
}

/** An Rng whose stream position can be saved in a checkpoint and restored with `restoreRng`. */
export type SeededRng = Rng & { state(): Sfc32State }

/** The default seeded Rng (sfc32). */
export function createRng(seed: number): SeededRng {
  const source = sfc32(seed)
  return { ...rngFrom(source), state: source.state }
}

/** The Rng that continues exactly where the one whose `state()` was saved stopped. */
export function restoreRng(state: Sfc32State): SeededRng {
  const source = sfc32FromState(state)
  return { ...rngFrom(source), state: source.state }
}

/** Samples an index from unnormalised probabilities. */
export function sampleIndex(probs: ArrayLike<number>, rng: Rng): number {
  let total = 0
  for (let i = 0; i < probs.length; i++) total += probs[i] as number
  let u = rng.next() * total
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i] as number
    if (u < 0) return i
  }
  return probs.length - 1
}
