// Critic-free group-relative advantages (GRPO): each return compared with its group.

export type AdvantageNorm = 'mean_std' | 'mean'

/** A_i = (R_i − mean) / (std + eps) ('mean_std', GRPO) or R_i − mean ('mean', GiGPO w/o std). */
export function groupAdvantages(
  returns: readonly number[],
  norm: AdvantageNorm,
  eps = 1e-6
): number[] {
  const n = returns.length
  if (n === 0) return []
  const mean = returns.reduce((s, r) => s + r, 0) / n
  if (norm === 'mean') return returns.map((r) => r - mean)
  // Unbiased std, as torch.std in verl-agent's GRPO.
  const variance = n > 1 ? returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (n - 1) : 0
  const std = Math.sqrt(variance)
  return returns.map((r) => (r - mean) / (std + eps))
}

/**
 * RLOO: A_i = R_i − mean_{j≠i} R_j (leave-one-out baseline), = n/(n−1)·(R_i − mean). A group of
 * one has no baseline: 0.
 */
export function rlooAdvantages(returns: readonly number[]): number[] {
  const n = returns.length
  if (n < 2) return returns.map(() => 0)
  const sum = returns.reduce((s, r) => s + r, 0)
  return returns.map((r) => r - (sum - r) / (n - 1))
}

/** Groups whose returns are all equal (a group of one included): no relative signal. */
export function zeroVarianceShare(groups: readonly (readonly number[])[]): {
  groups: number
  zeroVariance: number
  share: number
} {
  let zeroVariance = 0
  for (const g of groups) if (g.length > 0 && Math.max(...g) === Math.min(...g)) zeroVariance++
  return {
    groups: groups.length,
    zeroVariance,
    share: groups.length === 0 ? 0 : zeroVariance / groups.length
  }
}

export type GigpoEpisode = {
  /** Raw env reward of each step (e.g. 10 on the winning step). */
  rewards: readonly number[]
  /** The raw observation each step acted on (no history, no prompt): the anchor state. */
  anchors: readonly string[]
  /** R(τ); default: the sum of `rewards`. */
  episodeReturn?: number
  /** Invalid-format penalty of each step (verl-agent: 0.1 when invalid), default 0. */
  penalties?: readonly number[]
}

export type GigpoOptions = {
  /** The episodes of ONE group (same initial state). */
  episodes: readonly GigpoEpisode[]
  /** Discount of the step returns (verl-agent: 0.95). */
  gamma?: number
  /** Weight of the step-level advantage (verl-agent: 1). */
  omega?: number
  /** F_norm: unbiased std ('mean_std') or 1 ('mean'). */
  norm: AdvantageNorm
  eps?: number
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length
}

function unbiasedStd(xs: readonly number[], m: number): number {
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1))
}

/** Step groups of one episode group: identical anchors share an id. Ids per step and group sizes. */
export function anchorStepGroups(anchors: readonly (readonly string[])[]): {
  group: number[][]
  sizes: number[]
} {
  const ids = new Map<string, number>()
  const sizes: number[] = []
  const group = anchors.map((steps) =>
    steps.map((a) => {
      let id = ids.get(a)
      if (id === undefined) {
        id = sizes.length
        ids.set(a, id)
        sizes.push(0)
      }
      sizes[id]!++
      return id
    })
  )
  return { group, sizes }
}

/** Σ_{k≥t} γ^{k−t} r_k for every t. */
export function discountedReturns(rewards: readonly number[], gamma: number): number[] {
  const out = new Array<number>(rewards.length)
  let running = 0
  for (let t = rewards.length - 1; t >= 0; t--) {
    running = (rewards[t] as number) + gamma * running
    out[t] = running
  }
  return out
}

/**
 * GiGPO (envs.md §4.2, verl-agent core_gigpo.py): per-step A = A^E + ω·A^S.
 * A^E: each step sample scores R(τ) − penalty_t; mean and std over all step samples of the group
 * (longer episodes weigh more); a group with a single step sample uses mean 0, std 1.
 * A^S: step return R_t = Σ γ^{k−t} r_k − penalty_t, normalised within its anchor group (identical
 * observation text); a singleton anchor group gets exactly 0 (its mean is itself, std taken as 1).
 */
export function gigpoAdvantages(options: GigpoOptions): number[][] {
  const { episodes, norm } = options
  const gamma = options.gamma ?? 0.95
  const omega = options.omega ?? 1
  const eps = options.eps ?? 1e-6
  episodes.forEach((e, i) => {
    if (e.anchors.length !== e.rewards.length || (e.penalties?.length ?? 0) > e.rewards.length) {
      throw new Error(`episode ${i}: ${e.rewards.length} rewards, ${e.anchors.length} anchors`)
    }
  })
  const penalty = (e: GigpoEpisode, t: number): number => e.penalties?.[t] ?? 0
  const normalise = (x: number, xs: readonly number[]): number => {
    const m = xs.length === 1 ? 0 : mean(xs)
    const std = xs.length === 1 ? 1 : unbiasedStd(xs, m)
    return norm === 'mean' ? x - m : (x - m) / (std + eps)
  }

  const scores = episodes.map((e) => {
    const r = e.episodeReturn ?? e.rewards.reduce((s, x) => s + x, 0)
    return e.rewards.map((_, t) => r - penalty(e, t))
  })
  const flatScores = scores.flat()
  const episodeAdv = scores.map((steps) => steps.map((s) => normalise(s, flatScores)))

  const stepReturns = episodes.map((e) =>
    discountedReturns(e.rewards, gamma).map((r, t) => r - penalty(e, t))
  )
  const { group, sizes } = anchorStepGroups(episodes.map((e) => e.anchors))
  const members: number[][] = sizes.map(() => [])
  group.forEach((ids, i) => ids.forEach((g, t) => members[g]!.push(stepReturns[i]![t]!)))
  return episodes.map((_, i) =>
    episodeAdv[i]!.map((a, t) => {
      const xs = members[group[i]![t]!]!
      // A singleton: (x − x) / (1 + ε) = 0 under either norm (verl-agent's mean over one element).
      const step = xs.length === 1 ? 0 : normalise(stepReturns[i]![t]!, xs)
      return a + omega * step
    })
  )
}
