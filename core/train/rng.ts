// Seeded PRNG (sfc32) for rollouts and sampling: the same seed gives the same numbers everywhere.

export type Rng = {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [0, n). */
  int(n: number): number
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t / 4294967296
  }
  return { next, int: (n) => Math.floor(next() * n) }
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
