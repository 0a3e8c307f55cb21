// A step's optional LM/HiMAC fields (migration 7): the candidate actions with their probabilities,
// `invalid`, `fallback` and `subDoneProb`. Rows carry them as `extra_json`, a canonical JSON object
// with only the fields present; packs carry a compact form that refers to the step's admissible
// list by index, since the candidates are nearly always that list (plus `<sub_done>`).
import { z } from 'zod'
import type { StepRecord } from './records'

export type Candidate = { action: string; prob: number }

export const stepExtrasSchema = z
  .object({
    candidates: z.array(z.object({ action: z.string(), prob: z.number() }).strict()).optional(),
    invalid: z.literal(true).optional(),
    fallback: z.literal(true).optional(),
    subDoneProb: z.number().optional()
  })
  .strict()
export type StepExtras = z.infer<typeof stepExtrasSchema>

/**
 * Probabilities are stored in units of 10⁻⁴ (|stored − p| ≤ 5·10⁻⁵), so a pack can hold them as
 * small integers. Rows written before kept 4 significant digits; they read back as stored.
 */
export const PROB_UNITS = 1e4

export function roundProb(p: number): number {
  if (!Number.isFinite(p)) throw new Error(`a stored probability must be finite, got ${p}`)
  return Math.round(p * PROB_UNITS) / PROB_UNITS
}

/** The probabilities as integer units, or null when one of them is not an exact multiple. */
function probUnits(probs: readonly number[]): number[] | null {
  const units = probs.map((p) => Math.round(p * PROB_UNITS))
  return units.every((u, i) => u / PROB_UNITS === probs[i]) ? units : null
}

/** Key order fixed so that the same extras always give the same text. */
function canonical(e: StepExtras): string {
  const out: StepExtras = {}
  if (e.candidates) out.candidates = e.candidates.map((c) => ({ action: c.action, prob: c.prob }))
  if (e.invalid) out.invalid = true
  if (e.fallback) out.fallback = true
  if (e.subDoneProb !== undefined) out.subDoneProb = e.subDoneProb
  return JSON.stringify(out)
}

/** The `extra_json` of a step record, or null when it has none of the fields. */
export function extraJsonOf(s: StepRecord): string | null {
  const e: StepExtras = {}
  if (s.candidates)
    e.candidates = s.candidates.map((c) => ({ action: c.action, prob: roundProb(c.prob) }))
  if (s.invalid) e.invalid = true
  if (s.fallback) e.fallback = true
  if (s.subDoneProb !== undefined && s.subDoneProb !== null)
    e.subDoneProb = roundProb(s.subDoneProb)
  return Object.keys(e).length === 0 ? null : canonical(e)
}

export function parseExtraJson(text: string | null): StepExtras {
  return text === null ? {} : stepExtrasSchema.parse(JSON.parse(text))
}

/**
 * In a pack: `p` the probabilities in candidate order; `a` the candidates' actions as
 * `[m, ...rest]`: the first m are the admissible list's first m, each of the rest an index into
 * that list or the action itself; `a` is left out when the candidates are exactly the admissible
 * list. `i`, `f`: invalid, fallback; `s`: subDoneProb. Pack format 2 writes `q`, the probabilities
 * in units of 10⁻⁴, instead of `p` when every one is such a multiple (integers deflate to about
 * 1 byte per candidate less than decimals).
 */
export type PackedExtras = {
  p?: number[]
  q?: number[]
  a?: (number | string)[]
  i?: 1
  f?: 1
  s?: number
}

export function packExtras(
  extraJson: string,
  admissible: readonly string[],
  format: 1 | 2 = 1
): PackedExtras {
  const e = parseExtraJson(extraJson)
  const out: PackedExtras = {}
  if (e.candidates) {
    const c = e.candidates
    const probs = c.map((x) => x.prob)
    const units = format === 2 ? probUnits(probs) : null
    if (units) out.q = units
    else out.p = probs
    let m = 0
    while (m < c.length && m < admissible.length && c[m]!.action === admissible[m]) m++
    const rest = c.slice(m).map((x) => {
      const i = admissible.indexOf(x.action)
      return i >= 0 ? i : x.action
    })
    if (m !== admissible.length || rest.length > 0) out.a = [m, ...rest]
  }
  if (e.invalid) out.i = 1
  if (e.fallback) out.f = 1
  if (e.subDoneProb !== undefined) out.s = e.subDoneProb
  return out
}

export function unpackExtras(packed: PackedExtras, admissible: readonly string[]): string {
  const e: StepExtras = {}
  const probs = packed.q ? packed.q.map((u) => u / PROB_UNITS) : packed.p
  if (probs) {
    const [m = admissible.length, ...rest] = packed.a ?? []
    if (typeof m !== 'number') throw new Error('corrupt step pack: bad candidate list')
    const actions = [
      ...admissible.slice(0, m),
      ...rest.map((r) => (typeof r === 'number' ? admissible[r] : r))
    ]
    if (actions.length !== probs.length || actions.some((a) => a === undefined))
      throw new Error('corrupt step pack: candidates do not match the admissible list')
    e.candidates = probs.map((prob, i) => ({ action: actions[i]!, prob }))
  }
  if (packed.i === 1) e.invalid = true
  if (packed.f === 1) e.fallback = true
  if (packed.s !== undefined) e.subDoneProb = packed.s
  return canonical(e)
}
