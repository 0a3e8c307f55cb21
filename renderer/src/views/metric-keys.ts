// How a metric key reads on a chart: its axis title, its domain, its test id.

/** Rates and fractions live in [0, 1]; per-type rates (`eval/success_rate/<type>`) included. */
export function isRate(key: string): boolean {
  return key.split('/').some((part) => /(_rate|fraction|zero_variance_groups)$/.test(part))
}

/** The y-axis title: the key's last word group ("mean return", "env steps / s"). */
export function axisTitle(key: string): string {
  const last = key.split('/').filter((p) => !/^(train|eval|perf)$/.test(p))
  const name = last.join(' ')
  return name
    .replace(/_per_s$/, ' / s')
    .replace(/_s$/, ' (s)')
    .replace(/_/g, ' ')
}

export const keyId = (key: string): string => key.replace(/[^a-z0-9_]+/gi, '-')
