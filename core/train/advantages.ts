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
