// Where objects tend to be: counts over generated train-split households of the receptacle type each
// object type starts in, and how often each receptacle type is openable. Checked in as
// prior.json (regenerate: node --import tsx core/agent/demonstrators/alfworld/make-prior.ts);
// a test checks that regenerating gives the same file.
import { generateWorld, type AlfworldSplit } from '../../../envs/alfworld/generator'

export type AlfworldPrior = {
  /** How the counts were made. */
  source: string
  /** Object type → receptacle type → number of objects found there at the start (lower case). */
  located: Record<string, Record<string, number>>
  /** Receptacle type → instances seen and how many of them were openable. */
  receptacles: Record<string, { instances: number; openable: number }>
}

export const PRIOR_SEEDS = 2000

/** Counts the first `seeds` generated worlds of a split (seeds 0 … seeds−1, all task types). */
export function buildAlfworldPrior(
  seeds = PRIOR_SEEDS,
  split: AlfworldSplit = 'train'
): AlfworldPrior {
  const located = new Map<string, Map<string, number>>()
  const receptacles = new Map<string, { instances: number; openable: number }>()
  for (let seed = 0; seed < seeds; seed++) {
    const world = generateWorld({ split, seed })
    for (const r of world.receptacles) {
      const type = r.type.toLowerCase()
      const entry = receptacles.get(type) ?? { instances: 0, openable: 0 }
      entry.instances++
      if (r.openable) entry.openable++
      receptacles.set(type, entry)
    }
    for (const o of world.objects) {
      const counts = located.get(o.type.toLowerCase()) ?? new Map<string, number>()
      for (const r of o.inReceptacles) {
        const type = world.receptacles[r]?.type.toLowerCase()
        if (type !== undefined) counts.set(type, (counts.get(type) ?? 0) + 1)
      }
      located.set(o.type.toLowerCase(), counts)
    }
  }
  const sorted = <V>(m: Map<string, V>): [string, V][] =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return {
    source: `generated ALFWorld ${split} split, seeds 0-${seeds - 1}, initial object placements`,
    located: Object.fromEntries(
      sorted(located).map(([obj, counts]) => [obj, Object.fromEntries(sorted(counts))])
    ),
    receptacles: Object.fromEntries(sorted(receptacles))
  }
}

/** The prior as the file holds it: two-space JSON with a final newline. */
export function serializeAlfworldPrior(prior: AlfworldPrior): string {
  return JSON.stringify(prior, null, 2) + '\n'
}

/** P(receptacle type | object type) with add-one smoothing over the receptacle types seen. */
export function locationProbability(
  prior: AlfworldPrior,
  object: string,
  receptacle: string
): number {
  const counts = prior.located[object] ?? {}
  let total = 0
  for (const n of Object.values(counts)) total += n
  const types = Object.keys(prior.receptacles).length
  return ((counts[receptacle] ?? 0) + 1) / (total + Math.max(types, 1))
}

/** P(an instance of this receptacle type is openable), add-one smoothed. */
export function openableProbability(prior: AlfworldPrior, receptacle: string): number {
  const r = prior.receptacles[receptacle]
  return ((r?.openable ?? 0) + 1) / ((r?.instances ?? 0) + 2)
}
