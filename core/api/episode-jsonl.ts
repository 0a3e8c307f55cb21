// The episode interchange format (`himac export` / `himac import`, README "Export and import"): one
// JSON object per line, one episode per line with its steps inline. Two line shapes are accepted:
// our own `himac.episode` v2 (what export writes; v1 = v2 without steps' `subDoneChoices`, still
// read) and `verl-agent.trajectory` v1 (a trajectory
// dumped from a verl-agent run; mapped onto ours by `fromVerlAgent`). Renderer-safe: zod only.
import { z } from 'zod'
import { envKindSchema } from './config'
import { groupLevelSchema } from './group-entities'

export const EPISODE_SCHEMA = 'himac.episode'
export const EPISODE_SCHEMA_VERSION = 2
/** The `himac.episode` versions this build reads. */
const EPISODE_VERSIONS = [1, 2] as const
export const VERL_AGENT_SCHEMA = 'verl-agent.trajectory'

const finite = z.number().refine(Number.isFinite, 'must be a finite number')
const nonNegInt = z.int().min(0)

export const episodeLineStepSchema = z
  .object({
    t: nonNegInt,
    observation: z.string(),
    admissible: z.array(z.string()),
    /** '' on the last row when it is the state the episode ended in (no action taken there). */
    action: z.string(),
    reward: finite,
    done: z.boolean(),
    subgoalIndex: nonNegInt.nullable().default(null),
    subDone: z.boolean().default(false),
    logProb: finite.nullable().default(null),
    advantage: finite.nullable().default(null),
    /** The replay's picture of the state (Sokoban grid, ALFWorld/WebShop page), any JSON. */
    view: z.unknown().default(null),
    candidates: z
      .array(z.object({ action: z.string(), prob: finite }).strict())
      .nullable()
      .default(null),
    invalid: z.boolean().default(false),
    fallback: z.boolean().default(false),
    subDoneProb: finite.nullable().default(null),
    subDoneChoices: z
      .array(z.array(z.object({ action: z.string(), prob: finite }).strict()).min(1))
      .min(1)
      .nullable()
      .default(null)
  })
  .strict()
export type EpisodeLineStep = z.output<typeof episodeLineStepSchema>

/** Group keys are the source's group ids as strings: members of one group share one key. */
const groupKeySchema = z.string().min(1).max(200)

export const episodeLineGroupSchema = z
  .object({
    key: groupKeySchema,
    level: groupLevelSchema,
    taskSeed: z.int(),
    /** This member is the group's chosen one (HiMAC's z*). */
    chosen: z.boolean().default(false),
    /** The blueprint the group executes (Phase B) or chose (Phase A). */
    chosenBlueprint: z.array(z.string()).nullable().default(null),
    /** The key of the group this one descends from (a Phase-B group's Phase-A group). */
    parent: groupKeySchema.nullable().default(null)
  })
  .strict()
export type EpisodeLineGroup = z.output<typeof episodeLineGroupSchema>

function checkSteps(
  e: {
    version?: number
    length: number
    steps: readonly { t: number; action: string; subDoneChoices?: unknown }[]
  },
  ctx: z.RefinementCtx
): void {
  const n = e.steps.length
  const last = e.steps[n - 1]
  // The steps are the actions taken, plus optionally the row of the state the episode ended in.
  const ok = n === e.length || (n === e.length + 1 && last !== undefined && last.action === '')
  if (!ok)
    ctx.addIssue({
      code: 'custom',
      path: ['steps'],
      message: `${n} steps for length ${e.length}: expected ${e.length} (or ${e.length + 1} ending in a row with action "")`
    })
  e.steps.forEach((s, i) => {
    if (e.version === 1 && s.subDoneChoices != null)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', i, 'subDoneChoices'],
        message: 'subDoneChoices came with version 2; this line says version 1'
      })
    if (s.t !== i)
      ctx.addIssue({ code: 'custom', path: ['steps', i, 't'], message: `expected t = ${i}` })
  })
}

export const episodeLineSchema = z
  .object({
    schema: z.literal(EPISODE_SCHEMA),
    version: z.union(EPISODE_VERSIONS.map((v) => z.literal(v))),
    env: envKindSchema,
    task: z.string(),
    seed: z.int(),
    iteration: nonNegInt,
    phase: z.enum(['train', 'eval']),
    memberIndex: nonNegInt.default(0),
    return: finite,
    success: z.boolean(),
    length: nonNegInt,
    blueprint: z.array(z.string()).nullable().default(null),
    planLogProb: finite.nullable().default(null),
    planAdvantage: finite.nullable().default(null),
    group: episodeLineGroupSchema.nullable().default(null),
    /** The algorithm that produced it (an experiment config `algo`), if known. */
    algo: z.string().max(100).nullable().default(null),
    /** Where it was exported from; informational (import assigns new ids). */
    source: z
      .object({ run: z.int().nullable(), episode: z.int().nullable() })
      .strict()
      .nullable()
      .default(null),
    steps: z.array(episodeLineStepSchema)
  })
  .strict()
  .superRefine(checkSteps)
export type EpisodeLine = z.output<typeof episodeLineSchema>
export type EpisodeLineInput = z.input<typeof episodeLineSchema>

/**
 * A trajectory as a verl-agent run can dump it: one line per `traj_uid`, its step samples in order
 * (README "Export and import" maps each field).
 */
export const verlAgentLineSchema = z
  .object({
    schema: z.literal(VERL_AGENT_SCHEMA),
    version: z.literal(1),
    /** `data_source` / env name: alfworld, webshop or sokoban (verl-agent's own names accepted). */
    env: z.string().min(1),
    uid: z.string().min(1),
    traj_uid: z.string().min(1),
    /** The trainer's `global_steps` (0 when absent). */
    iteration: nonNegInt.default(0),
    /** 'val' (validation) or 'train'. */
    phase: z.enum(['train', 'val', 'eval']).default('train'),
    seed: z.int().nullable().default(null),
    task: z.string().nullable().default(null),
    episode_rewards: finite,
    episode_lengths: nonNegInt,
    won: z.boolean(),
    steps: z.array(
      z
        .object({
          anchor_obs: z.string(),
          /** The decoded model response; its `<action>…</action>` is the action when `action` is absent. */
          response: z.string().nullable().default(null),
          action: z.string().nullable().default(null),
          rewards: finite,
          dones: z.boolean(),
          is_action_valid: z.boolean().default(true),
          admissible_actions: z.array(z.string()).default([]),
          advantages: finite.nullable().default(null),
          old_log_prob: finite.nullable().default(null)
        })
        .strict()
    )
  })
  .strict()
export type VerlAgentLine = z.output<typeof verlAgentLineSchema>

const VERL_ENVS: Record<string, z.infer<typeof envKindSchema>> = {
  alfworld: 'alfworld',
  alfworldtwenv: 'alfworld',
  alfredtwenv: 'alfworld',
  webshop: 'webshop',
  sokoban: 'sokoban'
}

/** verl-agent's env names (`alfworld/AlfredTWEnv`, `webshop`, `sokoban`) → ours, or null. */
export function verlAgentEnv(name: string): z.infer<typeof envKindSchema> | null {
  const parts = name.toLowerCase().split(/[/.:]/)
  for (const p of parts) {
    const env = VERL_ENVS[p]
    if (env) return env
  }
  return null
}

/** The text between the first `<action>` and `</action>`, lower-cased (verl-agent's projection). */
export function projectedAction(response: string): string | null {
  const m = /<action>([\s\S]*?)<\/action>/i.exec(response)
  return m?.[1] === undefined ? null : m[1].trim().toLowerCase()
}

/** ALFWorld's first observation names the task ("Your task is to: …"). */
function taskOf(observation: string | undefined): string {
  const m = /Your task is to: ([^\n]*)/.exec(observation ?? '')
  return m?.[1]?.trim() ?? ''
}

/**
 * A verl-agent trajectory as our episode line. `groupSeed` numbers the `uid` groups of a file in
 * order of appearance (verl-agent does not dump env seeds); `memberIndex` counts within the uid.
 */
export function fromVerlAgent(
  v: VerlAgentLine,
  memberIndex: number,
  groupSeed: number
): EpisodeLineInput | { error: string; path: (string | number)[] } {
  const env = verlAgentEnv(v.env)
  if (!env) return { error: `unknown env '${v.env}' (alfworld, webshop or sokoban)`, path: ['env'] }
  if (v.steps.length !== v.episode_lengths)
    return {
      error: `${v.steps.length} steps for episode_lengths ${v.episode_lengths}`,
      path: ['steps']
    }
  const steps = v.steps.map((s, t) => {
    const action = s.action ?? projectedAction(s.response ?? '') ?? (s.response ?? '').slice(-30)
    return {
      t,
      observation: s.anchor_obs,
      admissible: s.admissible_actions,
      action,
      reward: s.rewards,
      done: s.dones,
      logProb: s.old_log_prob,
      advantage: s.advantages,
      invalid: !s.is_action_valid
    }
  })
  const seed = v.seed ?? groupSeed
  return {
    schema: EPISODE_SCHEMA,
    version: EPISODE_SCHEMA_VERSION,
    env,
    task: v.task ?? taskOf(v.steps[0]?.anchor_obs),
    seed,
    iteration: v.iteration,
    phase: v.phase === 'train' ? 'train' : 'eval',
    memberIndex,
    return: v.episode_rewards,
    success: v.won,
    length: v.episode_lengths,
    group:
      v.phase === 'train'
        ? { key: `uid:${v.iteration}:${v.uid}`, level: 'flat', taskSeed: seed }
        : null,
    algo: null,
    steps
  }
}

export type LineIssue = { path: string; message: string }
export type ParsedLine = { ok: true; line: EpisodeLine } | { ok: false; issues: LineIssue[] }

const pathText = (path: readonly PropertyKey[]): string =>
  path.length === 0
    ? '(line)'
    : path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`))
        .join('')

function zodIssues(error: z.ZodError): LineIssue[] {
  return error.issues.map((i) => ({ path: pathText(i.path), message: i.message }))
}

/**
 * Parses lines of one file in order: JSON, then the line's shape by `schema` and `version`. Keeps
 * what verl-agent lines need across lines (their uid groups' seeds and member numbers).
 */
export function createLineParser(): (text: string) => ParsedLine {
  const uidSeeds = new Map<string, number>()
  const uidMembers = new Map<string, number>()
  return (text) => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      return {
        ok: false,
        issues: [{ path: '(line)', message: `not JSON: ${(err as Error).message}` }]
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return {
        ok: false,
        issues: [{ path: '(line)', message: 'expected one JSON object per line' }]
      }
    const o = value as { schema?: unknown; version?: unknown }
    if (o.schema !== EPISODE_SCHEMA && o.schema !== VERL_AGENT_SCHEMA)
      return {
        ok: false,
        issues: [
          {
            path: 'schema',
            message: `expected "${EPISODE_SCHEMA}" or "${VERL_AGENT_SCHEMA}", got ${JSON.stringify(o.schema)}`
          }
        ]
      }
    const versions: readonly unknown[] = o.schema === EPISODE_SCHEMA ? EPISODE_VERSIONS : [1]
    if (!versions.includes(o.version))
      return {
        ok: false,
        issues: [
          {
            path: 'version',
            message: `${String(o.schema)} version ${JSON.stringify(o.version)} is not supported (this build reads version ${versions.join(' and ')})`
          }
        ]
      }
    if (o.schema === EPISODE_SCHEMA) {
      const r = episodeLineSchema.safeParse(value)
      return r.success ? { ok: true, line: r.data } : { ok: false, issues: zodIssues(r.error) }
    }
    const v = verlAgentLineSchema.safeParse(value)
    if (!v.success) return { ok: false, issues: zodIssues(v.error) }
    const key = `${v.data.iteration}:${v.data.uid}`
    let seed = uidSeeds.get(key)
    if (seed === undefined) uidSeeds.set(key, (seed = uidSeeds.size))
    const member = uidMembers.get(key) ?? 0
    const mapped = fromVerlAgent(v.data, member, seed)
    if ('error' in mapped)
      return { ok: false, issues: [{ path: pathText(mapped.path), message: mapped.error }] }
    const r = episodeLineSchema.safeParse(mapped)
    if (!r.success) return { ok: false, issues: zodIssues(r.error) }
    uidMembers.set(key, member + 1)
    return { ok: true, line: r.data }
  }
}
