// A step's optional LM/HiMAC fields (migration 7): the candidate actions with their probabilities,
// `invalid`, `fallback`, `subDoneProb` and the `<sub_done>` choices made before the step's action. Rows carry them as `extra_json`, a canonical JSON object
// with only the fields present; packs carry a compact form that refers to the step's admissible
// list by index, since the candidates are nearly always that list (plus `<sub_done>`).
import { z } from 'zod'
import type { StepRecord } from './records'

export type Candidate = { action: string; prob: number }

const candidatesSchema = z.array(z.object({ action: z.string(), prob: z.number() }).strict())

export const stepExtrasSchema = z
  .object({
    candidates: candidatesSchema.optional(),
    invalid: z.literal(true).optional(),
    fallback: z.literal(true).optional(),
    subDoneProb: z.number().optional(),
    subDoneChoices: z.array(candidatesSchema).min(1).optional()
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
  if (e.subDoneChoices)
    out.subDoneChoices = e.subDoneChoices.map((c) =>
      c.map((x) => ({ action: x.action, prob: x.prob }))
    )
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
  if (s.subDoneChoices && s.subDoneChoices.length > 0)
    e.subDoneChoices = s.subDoneChoices.map((c) =>
      c.map((x) => ({ action: x.action, prob: roundProb(x.prob) }))
    )
  return Object.keys(e).length === 0 ? null : canonical(e)
}

export function parseExtraJson(text: string | null): StepExtras {
  return text === null ? {} : stepExtrasSchema.parse(JSON.parse(text))
}

/**
 * In a pack: `p` the probabilities in candidate order; `a` the candidates' actions as
 * `[m, ...rest]`: the first m are the admissible list's first m, each of the rest an index into
 * that list or the action itself; `a` is left out when the candidates are exactly the admissible
 * list. `i`, `f`: invalid, fallback; `s`: subDoneProb; `d`: the `<sub_done>` choices, each packed
 * like the candidates (`p` or `q`, and `a`). Pack format 2 writes `q`, the probabilities
 * in units of 10⁻⁴, instead of `p` when every one is such a multiple (integers deflate to about
 * 1 byte per candidate less than decimals).
 */
type PackedCandidates = { p?: number[]; q?: number[]; a?: (number | string)[] }

export type PackedExtras = PackedCandidates & {
  i?: 1
  f?: 1
  s?: number
  d?: PackedCandidates[]
}

function packCandidates(
  c: readonly Candidate[],
  admissible: readonly string[],
  format: 1 | 2
): PackedCandidates {
  const out: PackedCandidates = {}
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
  return out
}

function unpackCandidates(
  packed: PackedCandidates,
  admissible: readonly string[]
): Candidate[] | undefined {
  const probs = packed.q ? packed.q.map((u) => u / PROB_UNITS) : packed.p
  if (!probs) return undefined
  const [m = admissible.length, ...rest] = packed.a ?? []
  if (typeof m !== 'number') throw new Error('corrupt step pack: bad candidate list')
  const actions = [
    ...admissible.slice(0, m),
    ...rest.map((r) => (typeof r === 'number' ? admissible[r] : r))
  ]
  if (actions.length !== probs.length || actions.some((a) => a === undefined))
    throw new Error('corrupt step pack: candidates do not match the admissible list')
  return probs.map((prob, i) => ({ action: actions[i]!, prob }))
}

export function packExtras(
  extraJson: string,
  admissible: readonly string[],
  format: 1 | 2 = 1
): PackedExtras {
  const e = parseExtraJson(extraJson)
  const out: PackedExtras = e.candidates ? packCandidates(e.candidates, admissible, format) : {}
  if (e.invalid) out.i = 1
  if (e.fallback) out.f = 1
  if (e.subDoneProb !== undefined) out.s = e.subDoneProb
  if (e.subDoneChoices) out.d = e.subDoneChoices.map((c) => packCandidates(c, admissible, format))
  return out
}

export function unpackExtras(packed: PackedExtras, admissible: readonly string[]): string {
  const e: StepExtras = {}
  const candidates = unpackCandidates(packed, admissible)
  if (candidates) e.candidates = candidates
  if (packed.i === 1) e.invalid = true
  if (packed.f === 1) e.fallback = true
  if (packed.s !== undefined) e.subDoneProb = packed.s
  if (packed.d) {
    e.subDoneChoices = packed.d.map((c) => {
      const choice = unpackCandidates(c, admissible)
      if (!choice) throw new Error('corrupt step pack: a <sub_done> choice without candidates')
      return choice
    })
  }
  return canonical(e)
}
