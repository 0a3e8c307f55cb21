// An episode's steps stored as one compressed record (migration 0004). Within an episode the
// admissible lists, observations and replay views repeat almost verbatim from step to step, so
// deflate over the whole episode, primed with a per-environment dictionary, brings text envs from
// ~1 KB to a few dozen bytes per step. The stored row strings come back byte for byte.
// Migration 7 appends a 12th tuple element, the step's extras (step-extras.ts), only to steps
// that have any: packs written before read back with `extra_json` null, and steps without extras
// cost what they did.
import zlib from 'node:zlib'
import { packDictionaries } from './pack-dictionaries'
import type { StepRecord } from './records'
import { extraJsonOf, packExtras, unpackExtras, type PackedExtras } from './step-extras'
import { packView, unpackView } from './view-pack'

/** One row of the `steps` view, exactly as stored (texts as their JSON strings). */
export type StepRow = {
  t: number
  observation: string
  admissible_json: string
  action: string
  reward: number
  done: number
  subgoal_index: number | null
  sub_done: number
  log_prob: number | null
  advantage: number | null
  view_json: string | null
  /** Candidates, invalid, fallback, subDoneProb (step-extras.ts); null when the step has none. */
  extra_json: string | null
}

export const STEP_ROW_COLUMNS = [
  't',
  'observation',
  'admissible_json',
  'action',
  'reward',
  'done',
  'subgoal_index',
  'sub_done',
  'log_prob',
  'advantage',
  'view_json',
  'extra_json'
] as const satisfies readonly (keyof StepRow)[]

type BaseTuple = [
  number,
  string,
  string,
  string,
  number,
  number,
  number | null,
  number,
  number | null,
  number | null,
  string | null
]

/**
 * Format 2 marks a packed WebShop view (view-pack.ts) by a leading NUL, which a view's JSON text
 * never has; the rest stays JSON text, escaped in the tuple like the views the dictionary was cut from.
 */
const PACKED_VIEW = '\u0000'
type Tuple = BaseTuple | [...BaseTuple, PackedExtras]

/**
 * Codec ids are stored with each pack and never reused: a dictionary or tuple format, once
 * shipped, is frozen. 1 = deflate without a dictionary; 2–4 = deflate primed with that
 * environment's dictionary. 5–8 = the same four with tuple format 2: probabilities as integer
 * units (step-extras.ts) and WebShop views without their derivable fields (view-pack.ts).
 */
const CODEC_PLAIN = 1
const DICTIONARY_CODECS: Record<number, keyof typeof packDictionaries> = {
  2: 'sokoban',
  3: 'alfworld',
  4: 'webshop'
}
const FORMAT_2_OFFSET = 4
const LATEST_CODECS = [5, 6, 7, 8]

const dictionaryCache = new Map<number, Buffer>()

const formatOf = (codec: number): 1 | 2 => (codec > FORMAT_2_OFFSET ? 2 : 1)

function dictionaryFor(stored: number): Buffer | undefined {
  const codec = formatOf(stored) === 2 ? stored - FORMAT_2_OFFSET : stored
  const name = DICTIONARY_CODECS[codec]
  if (name === undefined) {
    if (codec === CODEC_PLAIN && (stored === CODEC_PLAIN || LATEST_CODECS.includes(stored)))
      return undefined
    throw new Error(`unknown step pack codec ${stored}`)
  }
  let dict = dictionaryCache.get(codec)
  if (!dict) {
    dict = zlib.inflateRawSync(Buffer.from(packDictionaries[name], 'base64'))
    dictionaryCache.set(codec, dict)
  }
  return dict
}

/** The codec a writer uses now for an environment's packs. */
export function codecForEnv(env: string): number {
  for (const [codec, name] of Object.entries(DICTIONARY_CODECS))
    if (name === env) return +codec + FORMAT_2_OFFSET
  return CODEC_PLAIN + FORMAT_2_OFFSET
}

/** The JSON text a pack compresses (also what the dictionaries are cut from). */
export function serializeSteps(steps: readonly StepRow[], format: 1 | 2 = 1): string {
  return JSON.stringify(
    steps.map((s): Tuple => {
      const admissible = (): string[] => JSON.parse(s.admissible_json) as string[]
      const packed =
        format === 2 && s.view_json !== null
          ? packView(s.view_json, s.observation, admissible())
          : null
      const view = packed ? PACKED_VIEW + JSON.stringify(packed) : s.view_json
      const base: BaseTuple = [
        s.t,
        s.observation,
        s.admissible_json,
        s.action,
        s.reward,
        s.done,
        s.subgoal_index,
        s.sub_done,
        s.log_prob,
        s.advantage,
        view
      ]
      // Rows read from a pre-7 `steps` view (migration 4) have no extra_json at all.
      const extra = s.extra_json ?? null
      if (extra === null) return base
      return [...base, packExtras(extra, admissible(), format)]
    })
  )
}

/**
 * `level`: deflate's; 9 (the default) for what trainers write, lower where speed matters more
 * than the last few bytes (imports: level 6 is ~2.5× faster for ~7 % more bytes on ALFWorld text).
 */
export function packSteps(
  env: string,
  steps: readonly StepRow[],
  level = 9
): { codec: number; body: Buffer } {
  const codec = codecForEnv(env)
  const dictionary = dictionaryFor(codec)
  const ordered = [...steps].sort((a, b) => a.t - b.t)
  ordered.forEach((s, i) => {
    if (i > 0 && s.t === ordered[i - 1]!.t) throw new Error(`step t = ${s.t} appears twice`)
  })
  const body = zlib.deflateRawSync(serializeSteps(ordered, formatOf(codec)), {
    level,
    ...(dictionary ? { dictionary } : {})
  })
  return { codec, body }
}

export function unpackSteps(codec: number, body: Uint8Array): StepRow[] {
  const dictionary = dictionaryFor(codec)
  const text = zlib.inflateRawSync(body, dictionary ? { dictionary } : {}).toString('utf8')
  const format = formatOf(codec)
  return (JSON.parse(text) as Tuple[]).map((s) => {
    const admissible = (): string[] => JSON.parse(s[2]) as string[]
    const view = s[10]
    return {
      t: s[0],
      observation: s[1],
      admissible_json: s[2],
      action: s[3],
      reward: s[4],
      done: s[5],
      subgoal_index: s[6],
      sub_done: s[7],
      log_prob: s[8],
      advantage: s[9],
      view_json:
        format === 2 && view?.startsWith(PACKED_VIEW)
          ? unpackView(JSON.parse(view.slice(1)) as Record<string, unknown>, s[1], admissible())
          : view,
      extra_json: s.length === 12 ? unpackExtras(s[11], admissible()) : null
    }
  })
}

/** The row a writer stores for a step record. */
export function stepRowOf(s: StepRecord): StepRow {
  return {
    t: s.t,
    observation: s.observation,
    admissible_json: JSON.stringify(s.admissibleActions),
    action: s.action,
    reward: s.reward,
    done: s.done ? 1 : 0,
    subgoal_index: s.subgoalIndex ?? null,
    sub_done: s.subDone ? 1 : 0,
    log_prob: s.logProb ?? null,
    advantage: s.advantage ?? null,
    view_json: s.view === undefined ? null : JSON.stringify(s.view),
    extra_json: extraJsonOf(s)
  }
}
