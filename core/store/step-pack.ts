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
import {
  isAdmissibleMark,
  packAdmissible,
  packView,
  unpackAdmissible,
  unpackView,
  webshopViewOf,
  type PackedView
} from './view-pack'

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
 * units (step-extras.ts) and WebShop views without their derivable fields (view-pack.ts). 9–12:
 * codecs 5–8 whose deflate is primed with a base episode's pack text as well (migration 16,
 * `step_packs.base_episode_id`): another episode of the same run and task, which has no base itself.
 * Episodes of one task visit the same pages, so the text a WebShop group repeats is stored once.
 * 13–16 and 17–20 (with a base): tuple format 3, which also leaves out what a WebShop view repeats
 * of the step before (a view with the same keys is an array of values), its url, the done page's
 * text and the admissible list of a search, results or item page (view-pack.ts); WebShop's are
 * primed with a dictionary cut from format-3 packs (`webshop3`).
 */
type Codec = { format: 1 | 2 | 3; dictionary: keyof typeof packDictionaries | null; based: boolean }
/** The environments with a dictionary, in codec order within each block of four. */
const ENVS = [null, 'sokoban', 'alfworld', 'webshop'] as const
/** Format 3's WebShop dictionary is cut from format-3 packs (scripts/store-dictionaries.ts). */
const dictionaryOf = (env: (typeof ENVS)[number], format: 1 | 2 | 3): Codec['dictionary'] =>
  env === 'webshop' && format === 3 ? 'webshop3' : env
const CODECS = new Map<number, Codec>(
  (
    [
      [1, false],
      [2, false],
      [2, true],
      [3, false],
      [3, true]
    ] as const
  ).flatMap(([format, based], block) =>
    ENVS.map((env, i): [number, Codec] => [
      1 + block * 4 + i,
      { format, dictionary: dictionaryOf(env, format), based }
    ])
  )
)
const FORMAT_3_CODECS = [13, 14, 15, 16]
/** Deflate's window: only the last 32 KiB of a dictionary can be referenced. */
const WINDOW = 32 * 1024

const dictionaryCache = new Map<string, Buffer>()

function codecOf(stored: number): Codec {
  const codec = CODECS.get(stored)
  if (!codec) throw new Error(`unknown step pack codec ${stored}`)
  return codec
}

/** Whether packs of this codec need their base episode's pack to be read. */
export const codecHasBase = (codec: number): boolean => CODECS.get(codec)?.based === true

function dictionaryFor(stored: number): Buffer | undefined {
  const name = codecOf(stored).dictionary
  if (name === null) return undefined
  let dict = dictionaryCache.get(name)
  if (!dict) {
    dict = zlib.inflateRawSync(Buffer.from(packDictionaries[name], 'base64'))
    dictionaryCache.set(name, dict)
  }
  return dict
}

/** The codec a writer uses now for an environment's packs. */
export function codecForEnv(env: string): number {
  const i = ENVS.findIndex((name) => name === env)
  return FORMAT_3_CODECS[Math.max(0, i)]!
}

/** The codec of a pack like `codec`'s, primed with a base. */
const basedCodec = (codec: number): number => codec + 4

/** The JSON text a pack compresses (also what the dictionaries are cut from). */
export function serializeSteps(steps: readonly StepRow[], format: 1 | 2 | 3 = 1): string {
  let prev: Record<string, unknown> | null = null
  return JSON.stringify(
    steps.map((s): Tuple => {
      const admissible = (): string[] => JSON.parse(s.admissible_json) as string[]
      const packed =
        format > 1 && s.view_json !== null
          ? packView(s.view_json, s.observation, admissible(), format === 3 ? 3 : 2, prev)
          : null
      if (format === 3) prev = webshopViewOf(s.view_json)
      const view = packed ? PACKED_VIEW + JSON.stringify(packed) : s.view_json
      const admissibleMark = format === 3 ? packAdmissible(s.observation, s.admissible_json) : null
      const base: BaseTuple = [
        s.t,
        s.observation,
        admissibleMark ?? s.admissible_json,
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
      return [...base, packExtras(extra, admissible(), format === 1 ? 1 : 2)]
    })
  )
}

/** A stored pack as read from `step_packs`. */
export type StoredPack = { codec: number; body: Uint8Array }

/** A base episode's pack; `text` (its inflated JSON) saves inflating it again. */
export type PackBase = StoredPack & { text?: string }

/** The JSON text a stored pack holds (what deflate compressed). */
export function packText(pack: StoredPack, base?: PackBase | null): string {
  return zlib.inflateRawSync(pack.body, inflateOptions(pack.codec, base)).toString('utf8')
}

function inflateOptions(codec: number, base: PackBase | null | undefined): zlib.ZlibOptions {
  const dictionary = dictionaryFor(codec)
  if (!codecHasBase(codec)) return dictionary ? { dictionary } : {}
  if (!base) throw new Error(`a step pack of codec ${codec} is read with its base episode's pack`)
  return { dictionary: baseDictionary(dictionary, baseText(base)) }
}

function baseText(base: PackBase): string {
  if (codecHasBase(base.codec)) throw new Error('a base episode has no base of its own')
  return base.text ?? packText(base)
}

function baseDictionary(dictionary: Buffer | undefined, text: string): Buffer {
  const joined = Buffer.concat([dictionary ?? Buffer.alloc(0), Buffer.from(text, 'utf8')])
  return joined.subarray(Math.max(0, joined.length - WINDOW))
}

/**
 * `level`: deflate's; 9 (the default) for what trainers write, lower where speed matters more
 * than the last few bytes (imports: level 6 is ~2.5× faster for ~7 % more bytes on ALFWorld text).
 * With a `base` the steps are packed both ways and the smaller kept (`based` says which): the base
 * saves half of a WebShop pack and next to nothing on ALFWorld, whose episodes outgrow the window.
 * `text` is what was compressed, for a caller that keeps this pack as a base.
 */
export function packSteps(
  env: string,
  steps: readonly StepRow[],
  level = 9,
  base?: PackBase
): { codec: number; body: Buffer; based: boolean; text: string } {
  const codec = codecForEnv(env)
  const dictionary = dictionaryFor(codec)
  const ordered = [...steps].sort((a, b) => a.t - b.t)
  ordered.forEach((s, i) => {
    if (i > 0 && s.t === ordered[i - 1]!.t) throw new Error(`step t = ${s.t} appears twice`)
  })
  const text = serializeSteps(ordered, codecOf(codec).format)
  const body = zlib.deflateRawSync(text, { level, ...(dictionary ? { dictionary } : {}) })
  if (!base) return { codec, body, based: false, text }
  const primed = zlib.deflateRawSync(text, {
    level,
    dictionary: baseDictionary(dictionary, baseText(base))
  })
  return primed.length < body.length
    ? { codec: basedCodec(codec), body: primed, based: true, text }
    : { codec, body, based: false, text }
}

export function unpackSteps(codec: number, body: Uint8Array, base?: PackBase | null): StepRow[] {
  const text = packText({ codec, body }, base)
  const format = codecOf(codec).format
  let prev: Record<string, unknown> | null = null
  return (JSON.parse(text) as Tuple[]).map((s) => {
    const admissibleJson =
      format === 3 && isAdmissibleMark(s[2]) ? unpackAdmissible(s[1], s[2]) : s[2]
    const admissible = (): string[] => JSON.parse(admissibleJson) as string[]
    const view = s[10]
    const viewJson =
      format > 1 && view?.startsWith(PACKED_VIEW)
        ? unpackView(JSON.parse(view.slice(1)) as PackedView, s[1], admissible(), prev)
        : view
    if (format === 3) prev = webshopViewOf(viewJson)
    return {
      t: s[0],
      observation: s[1],
      admissible_json: admissibleJson,
      action: s[3],
      reward: s[4],
      done: s[5],
      subgoal_index: s[6],
      sub_done: s[7],
      log_prob: s[8],
      advantage: s[9],
      view_json: viewJson,
      extra_json: s.length === 12 ? unpackExtras(s[11], admissible()) : null
    }
  })
}

/** A `step_packs` row joined with its base's codec and body (null when it has none). */
export type PackRow = StoredPack & { base_codec: number | null; base_body: Uint8Array | null }

export function unpackRow(r: PackRow): StepRow[] {
  const base =
    r.base_codec !== null && r.base_body !== null
      ? { codec: r.base_codec, body: r.base_body }
      : null
  return unpackSteps(r.codec, r.body, base)
}

/**
 * Log-probs and advantages are stored to 10⁻⁶ (|stored − x| ≤ 5·10⁻⁷): their last ten digits
 * cost ~7 bytes a step in a WebShop pack and mean nothing to a reader.
 */
export const STORED_UNITS = 1e6

const roundStored = (x: number | null | undefined): number | null =>
  x === null || x === undefined
    ? null
    : Number.isFinite(x)
      ? Math.round(x * STORED_UNITS) / STORED_UNITS
      : x

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
    log_prob: roundStored(s.logProb),
    advantage: roundStored(s.advantage),
    view_json: s.view === undefined ? null : JSON.stringify(s.view),
    extra_json: extraJsonOf(s)
  }
}
