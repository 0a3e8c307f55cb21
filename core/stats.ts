// Student-t quantiles for 95 % confidence intervals over seeds (the study report and the compare
// chart's bands). Pure: the renderer imports it too.

/** Two-sided 95 % quantiles of Student's t, t_{0.975}(df), for df = 1…30 (standard tables). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042
]

/** t_{0.975}(df); above 30 degrees of freedom the Cornish–Fisher expansion around z = 1.96. */
export function tCritical975(df: number): number {
  if (!(df >= 1)) return Number.NaN
  const exact = T975[Math.floor(df) - 1]
  if (exact !== undefined) return exact
  const z = 1.959964
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
}
