// Batched lockstep rollouts of the LM agent. Every running env has one row in one KV cache; each
// decoding step runs one `model.extend` for all rows that face a real choice, each row appending
// what it has pending (its new observation, forced tokens, the last sampled token), with logits
// only at each row's last token. A row's chunk is prefilled once and then extended; a new chunk
// becomes a new root segment of that row (positions restart at 0), the old one is forgotten and the
// cache compacted now and then. Finished rows are dropped with `cache.select`. Tokens with a
// single allowed choice are appended without a forward pass.
import * as tf from '@tensorflow/tfjs'
import type { Env, EnvObservation } from '../../envs/env'
import { createRng, sampleIndex, type Rng } from '../../rng'
import { finalStateStep, type StepRecord } from '../../store/records'
import { paddedLayout, padRows } from '../models/attention-layout'
import type { KvCache } from '../models/kv-cache'
import type { TransformerLM } from '../models/transformer'
import type { Tokenizer } from '../tokenizer'
import {
  FreeCursor,
  matchFreeAction,
  stepConstraint,
  SUB_DONE,
  type CommandConstraint,
  type DecodingCursor
} from './constraint'
import { LmContext } from './context'
import { forceAction, forcedTokens } from './teacher'
import {
  executorPromptTokens,
  markActiveSubgoal,
  subgoalPhrases,
  type ExecutorPlan
} from '../himac/executor-plan'
import type { LmAgentOptions } from './options'
import type { LmDecision, LmTrajectory } from './record'

/** verl-agent's invalid-action penalty (envs.md §4.1). */
export const INVALID_ACTION_PENALTY = 0.1

export type LmBatchStats = {
  /** model.extend calls (or full re-encodings). */
  forwardPasses: number
  /** Real tokens run through the model (padding excluded). */
  tokensFed: number
  /** Token slots the model computed: rows × width per forward pass (padding included). */
  tokenSlots: number
  /** Generated action tokens, forced ones included. */
  tokensGenerated: number
  /** Tokens chosen from more than one allowed token (sampled or argmax). */
  choices: number
  envSteps: number
  decisions: number
  invalidActions: number
  chunks: number
  /** Kept history steps dropped because they did not fit (0 when the context is sized right). */
  droppedHistory: number
  compactions: number
  /** Wall time per phase, ms. */
  ms: {
    env: number
    model: number
    sample: number
    candidates: number
    other: number
    total: number
  }
}

export type LmEpisodeStats = {
  envSteps: number
  decisions: number
  tokensGenerated: number
  choices: number
  chunks: number
  invalidActions: number
  /** The batch this episode was rolled out in (shared by all its episodes). */
  batch: LmBatchStats
}

export type LmRollout = {
  seed: number
  task: string
  /** The env's task-type label (per-type reports), when it has one. */
  taskType?: string
  /** One per env step, then the final-state step (as core/train/rollout.ts builds them). */
  steps: StepRecord[]
  return: number
  success: boolean
  trajectory: LmTrajectory
  stats: LmEpisodeStats
}

export type LmLogitsProbe = {
  env: number
  chunk: number
  /** The row's tokens of that chunk up to the position whose logits these are. */
  tokens: Int32Array
  logits: Float32Array
}

export type LmRolloutArgs = {
  model: TransformerLM
  tokenizer: Tokenizer
  envs: Env[]
  seeds: number[]
  /** Sampling temperature; 0 = greedy (log-probs then recorded at temperature 1). */
  temperature: number
  /** Seeds one sampling stream per env (drawn in env order). */
  rng: Rng
  options: LmAgentOptions
  /** Record every admissible action's probability per step (StepRecord.candidates). */
  candidates?: boolean
  /** 'reencode' runs the whole chunk at every decoding step instead of the cache (benchmark). */
  encoding?: 'kv-cache' | 'reencode'
  /**
   * HiMAC: each env's blueprint (null or absent = a flat agent). The executor reads the active
   * subgoal's prompt, may choose `<sub_done>` (no env step) to move to the next one, is moved on by
   * the step budget otherwise (a fallback), and acts on the task alone after the last subgoal.
   */
  plans?: readonly (ExecutorPlan | null)[]
  /**
   * Decisions each env takes before its policy chooses (actions, `<sub_done>` as SUB_DONE), decoded
   * as forced tokens with log-prob 0: a recorded episode's prefix replayed into the same context
   * (counterfactual replay). One that the decoder cannot produce throws.
   */
  forced?: readonly (readonly string[] | null | undefined)[]
  /** Called when an agent chooses `<sub_done>` (e.g. to start the next subgoal's chunk). */
  onSubDone?: (env: number, context: LmContext) => void
  /** Sees every logits row used for a choice (checks). */
  onLogits?: (probe: LmLogitsProbe) => void
}

type Choice = { positions: number[]; allowed: Int32Array[]; logps: number[] }

type PlanState = {
  plan: ExecutorPlan
  phrases: number[][]
  /** Index of the active subgoal (= phrases.length after the last). */
  active: number
  /** Env steps taken toward the active subgoal. */
  segSteps: number
}

type Row = {
  index: number
  /** The row's own sampling stream: its samples do not depend on how rows share forward passes. */
  rng: Rng
  env: Env
  ctx: LmContext
  obs: EnvObservation
  constraint: CommandConstraint | null
  cursor: DecodingCursor | null
  choice: Choice
  candidates: { action: string; prob: number }[] | null
  /** Candidates of `<sub_done>` choices made in the current state, for the next env step. */
  subDoneChoices: { action: string; prob: number }[][]
  wantCandidates: boolean
  subDoneOk: boolean
  /** P(`<sub_done>`) at this step's first choice, where it was allowed. */
  subDoneProb: number | null
  plan: PlanState | null
  /** Decisions still to force, in order. */
  forced: string[]
  fed: number
  chunk: number
  segment: number
  rollout: LmRollout
  done: boolean
}

const now = (): number => performance.now()

/** log-softmax(logits / T) over the allowed ids (all when empty), in float64. */
export function maskedLogProbs(
  logits: Float32Array,
  allowed: Int32Array,
  temperature: number
): { ids: Int32Array | null; logp: Float64Array } {
  const n = allowed.length === 0 ? logits.length : allowed.length
  const logp = new Float64Array(n)
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const z = (logits[allowed.length === 0 ? i : (allowed[i] as number)] as number) / temperature
    logp[i] = z
    if (z > max) max = z
  }
  let sum = 0
  for (let i = 0; i < n; i++) sum += Math.exp((logp[i] as number) - max)
  const lse = max + Math.log(sum)
  for (let i = 0; i < n; i++) logp[i] = (logp[i] as number) - lse
  return { ids: allowed.length === 0 ? null : allowed, logp }
}

function logProbOf(logits: Float32Array, allowed: Int32Array, temperature: number, token: number) {
  const { ids, logp } = maskedLogProbs(logits, allowed, temperature)
  const k = ids === null ? token : ids.indexOf(token)
  if (k < 0) throw new Error(`token ${token} is not allowed`)
  return logp[k] as number
}

/** Runs every env to done (or env.maxSteps decisions), all in lockstep. */
export function rolloutLm(args: LmRolloutArgs): LmRollout[] {
  const { model, tokenizer, envs, seeds, rng, options } = args
  if (envs.length !== seeds.length) throw new Error(`${envs.length} envs for ${seeds.length} seeds`)
  if (!(args.temperature >= 0) || !Number.isFinite(args.temperature))
    throw new Error(`temperature must be ≥ 0, got ${args.temperature}`)
  const greedy = args.temperature === 0
  const temperature = greedy ? 1 : args.temperature
  const reencode = args.encoding === 'reencode'
  if (reencode && args.candidates) throw new Error('candidates need the KV cache')
  const vocab = model.config.vocab
  const stats: LmBatchStats = {
    forwardPasses: 0,
    tokensFed: 0,
    tokenSlots: 0,
    tokensGenerated: 0,
    choices: 0,
    envSteps: 0,
    decisions: 0,
    invalidActions: 0,
    chunks: 0,
    droppedHistory: 0,
    compactions: 0,
    ms: { env: 0, model: 0, sample: 0, candidates: 0, other: 0, total: 0 }
  }
  const t0 = now()
  let tEnv = 0
  const rows: Row[] = envs.map((env, index) => {
    const seed = seeds[index] as number
    const s = now()
    const r = env.reset(seed)
    tEnv += now() - s
    const p = args.plans?.[index] ?? null
    const plan: PlanState | null = p
      ? { plan: p, phrases: subgoalPhrases(tokenizer, p.tokens), active: 0, segSteps: 0 }
      : null
    const ctx = new LmContext(
      tokenizer,
      env.kind,
      options,
      model.config.context,
      r.task,
      plan ? executorPrompt(env.kind, r.task, plan) : undefined
    )
    if (plan) markActiveSubgoal(ctx, tokenizer, r.task, plan.phrases, 0, options)
    return {
      index,
      rng: createRng(rng.int(2 ** 32)),
      env,
      ctx,
      obs: r,
      constraint: null,
      cursor: null,
      choice: { positions: [], allowed: [], logps: [] },
      candidates: null,
      subDoneChoices: [],
      wantCandidates: false,
      subDoneOk: true,
      subDoneProb: null,
      plan,
      forced: [...(args.forced?.[index] ?? [])],
      fed: 0,
      chunk: -1,
      segment: 1,
      done: false,
      rollout: {
        seed,
        task: r.task,
        ...(typeof r.info.taskType === 'string' ? { taskType: r.info.taskType } : {}),
        steps: [],
        return: 0,
        success: false,
        trajectory: { chunks: [], decisions: [] },
        stats: {
          envSteps: 0,
          decisions: 0,
          tokensGenerated: 0,
          choices: 0,
          chunks: 0,
          invalidActions: 0,
          batch: stats
        }
      }
    }
  })

  function executorPrompt(kind: Env['kind'], task: string, p: PlanState): number[] {
    return executorPromptTokens(
      tokenizer,
      kind,
      task,
      p.plan.tokens,
      p.phrases,
      p.active,
      options.maxObsTokens
    )
  }

  /** The next subgoal's chunk: its prompt and no history (or the last `carry` steps). */
  const nextSubgoal = (row: Row, p: PlanState): void => {
    p.active++
    p.segSteps = 0
    const prompt = executorPrompt(row.env.kind, row.rollout.task, p)
    row.ctx.startChunk(p.plan.carry, prompt, 0, p.plan.carry)
    markActiveSubgoal(row.ctx, tokenizer, row.rollout.task, p.phrases, p.active, options)
  }

  const beginStep = (row: Row): void => {
    const admissible = row.obs.admissibleActions
    row.constraint = stepConstraint(
      tokenizer,
      {
        env: row.env.kind,
        observation: row.obs.observation,
        admissible,
        task: row.rollout.task
      },
      options,
      row.plan
        ? row.plan.plan.subDone && row.plan.active < row.plan.phrases.length
        : options.allowSubDone && row.subDoneOk,
      row.ctx.markedWords
    )
    row.cursor =
      options.decoding === 'free'
        ? new FreeCursor(tokenizer, options.maxActionTokens)
        : row.constraint.cursor()
    const bound = options.decoding === 'free' ? options.maxActionTokens : row.constraint.maxTokens
    row.ctx.observe(row.obs.observation, bound)
    row.choice = { positions: [], allowed: [], logps: [] }
    row.wantCandidates = args.candidates === true
    row.candidates = null
    row.subDoneProb = null
  }

  const finishEpisode = (row: Row, last: EnvObservation & { done?: boolean }): void => {
    const steps = row.rollout.steps
    const lastStep = steps[steps.length - 1]
    if (lastStep) lastStep.done = true
    steps.push(finalStateStep(steps.length, last))
    row.done = true
  }

  const finishAction = (row: Row): void => {
    const cursor = row.cursor as DecodingCursor
    const constraint = row.constraint as CommandConstraint
    let text = cursor.text()
    let invalid = false
    if (options.decoding === 'free') {
      const m = matchFreeAction(constraint, cursor.tokens, text)
      text = m.action
      invalid = !m.valid
    }
    const positions = row.ctx.act(cursor.tokens)
    const decision: LmDecision = {
      chunk: row.ctx.chunkIndex,
      positions,
      allowed: row.choice.allowed,
      tokenLogProbs: Float32Array.from(row.choice.logps),
      temperature,
      action: text
    }
    row.rollout.trajectory.decisions.push(decision)
    const rs = row.rollout.stats
    rs.decisions++
    stats.decisions++
    rs.tokensGenerated += cursor.tokens.length
    stats.tokensGenerated += cursor.tokens.length
    if (row.wantCandidates) {
      // Every token was forced: the one reachable action is certain.
      row.candidates = constraint.actions.map((a) => ({ action: a, prob: a === text ? 1 : 0 }))
    }
    row.cursor = null
    const logProb = decision.tokenLogProbs.reduce((p, x) => p + x, 0)
    if (text === SUB_DONE) {
      if (row.candidates) row.subDoneChoices.push(row.candidates)
      const prev = row.rollout.steps[row.rollout.steps.length - 1]
      if (row.plan) {
        if (prev && prev.subgoalIndex === row.plan.active) prev.subDone = true
        nextSubgoal(row, row.plan)
        return
      }
      if (prev) prev.subDone = true
      row.subDoneOk = false
      args.onSubDone?.(row.index, row.ctx)
      return
    }
    const s = now()
    const res = row.env.step(text)
    tEnv += now() - s
    rs.envSteps++
    stats.envSteps++
    const reward = res.reward - (invalid ? INVALID_ACTION_PENALTY : 0)
    if (invalid) {
      rs.invalidActions++
      stats.invalidActions++
    }
    const step: StepRecord = {
      t: row.rollout.steps.length,
      observation: row.obs.observation,
      admissibleActions: row.obs.admissibleActions,
      action: text,
      reward,
      done: res.done,
      logProb,
      view: row.obs.view
    }
    if (row.candidates) step.candidates = row.candidates
    if (row.subDoneChoices.length > 0) {
      step.subDoneChoices = row.subDoneChoices
      row.subDoneChoices = []
    }
    if (invalid) step.invalid = true
    if (row.subDoneProb !== null) step.subDoneProb = row.subDoneProb
    const plan = row.plan
    if (plan) {
      step.subgoalIndex = plan.active
      step.subDone = false
      plan.segSteps++
    }
    row.rollout.steps.push(step)
    row.rollout.return += reward
    row.subDoneOk = true
    row.obs = res
    if (res.done) {
      row.rollout.success = res.info.won
      finishEpisode(row, res)
    } else if (rs.envSteps >= row.env.maxSteps) {
      // verl-agent runs env.max_steps rounds whatever the env counts (Sokoban does not count
      // invalid actions).
      finishEpisode(row, res)
    } else if (plan && plan.active < plan.phrases.length && plan.segSteps >= plan.plan.budget) {
      step.fallback = true
      nextSubgoal(row, plan)
    }
  }

  /** Decodes the row's next forced decision as forced tokens (log-prob 0). */
  const forceNext = (row: Row): void => {
    const action = row.forced.shift() as string
    const constraint = row.constraint as CommandConstraint
    const forced = forceAction(
      tokenizer,
      () =>
        options.decoding === 'free'
          ? new FreeCursor(tokenizer, options.maxActionTokens)
          : constraint.cursor(),
      action,
      row.env.kind === 'webshop' ? row.rollout.task : null,
      options.maxQueryWords,
      forcedTokens(tokenizer, constraint, options.decoding === 'free')
    )
    if (!forced)
      throw new Error(
        `env ${row.index} step ${row.rollout.steps.length}: the decoder cannot produce the forced ${JSON.stringify(action)}`
      )
    row.cursor = forced.cursor
    row.choice = {
      positions: forced.allowed.map((_, i) => i),
      allowed: forced.allowed,
      logps: forced.allowed.map(() => 0)
    }
  }

  /** Forced tokens and finished actions until the row needs logits (true) or is done (false). */
  const advanceToChoice = (row: Row): boolean => {
    for (;;) {
      if (row.done) return false
      if (!row.cursor) beginStep(row)
      if (row.forced.length > 0 && (row.cursor as DecodingCursor).tokens.length === 0)
        forceNext(row)
      const cursor = row.cursor as DecodingCursor
      if (cursor.done) {
        finishAction(row)
        continue
      }
      const allowed = cursor.allowed()
      if (allowed.length === 1) {
        const token = allowed[0] as number
        row.choice.positions.push(cursor.tokens.length)
        row.choice.allowed.push(allowed)
        row.choice.logps.push(0)
        cursor.advance(token)
        continue
      }
      return true
    }
  }

  const sequenceOf = (row: Row): number[] => [
    ...row.ctx.tokens,
    ...(row.cursor as DecodingCursor).tokens
  ]

  let cache: KvCache | null = reencode ? null : model.createCache(rows.length)
  let live = rows.slice()
  try {
    for (;;) {
      let s = now()
      const waiting = live.filter(advanceToChoice)
      if (waiting.length !== live.length && cache) {
        const keep = live.flatMap((r, i) => (r.done ? [] : [i]))
        const next = cache.select(keep)
        cache.dispose()
        cache = next
      }
      live = waiting
      stats.ms.other += now() - s
      if (live.length === 0) break

      s = now()
      const seqs = live.map(sequenceOf)
      // Logits row of each live row, null while it is still feeding a long prefix.
      let rowLogits: (Float32Array | null)[]
      if (cache) {
        const c = cache
        const pending = live.map((row, r) => {
          const seq = seqs[r] as number[]
          if (row.chunk !== row.ctx.chunkIndex) {
            if (row.chunk >= 0) {
              c.forgetSegment(r, row.segment)
              row.segment = c.startSegment(r, 0)
            }
            row.chunk = row.ctx.chunkIndex
            row.fed = 0
          }
          return seq.length - row.fed
        })
        // A row with a long prefix to feed (a new chunk, a long observation) feeds it over several
        // decoding steps, `width` tokens each, so that it does not pad every other row to its length.
        const total = pending.reduce((p, n) => p + n, 0)
        const longest = Math.max(...pending)
        let width = Math.max(FEED_WIDTH.min, Math.ceil((FEED_WIDTH.factor * total) / live.length))
        // Splitting a step barely longer than the width costs a pass and saves little padding.
        if (longest * 3 <= width * 4) width = longest
        const feeds = live.map((row, r) => {
          const seq = seqs[r] as number[]
          const out = seq.slice(row.fed, row.fed + width)
          row.fed += out.length
          stats.tokensFed += out.length
          return out
        })
        const outputs = live.map((row, r) =>
          row.fed === (seqs[r] as number[]).length ? [(feeds[r] as number[]).length - 1] : []
        )
        stats.tokenSlots += live.length * Math.max(...feeds.map((f) => f.length))
        const res = model.extend(c, feeds, outputs)
        const data = res.logits ? (res.logits.dataSync() as Float32Array) : new Float32Array(0)
        res.logits?.dispose()
        rowLogits = live.map(() => null)
        res.rows.forEach((r, k) => (rowLogits[r] = data.subarray(k * vocab, (k + 1) * vocab)))
        const visible = Math.max(...live.map((r) => r.fed))
        if (c.length > visible + Math.max(COMPACT_SLACK, visible >> 2)) {
          c.compact()
          stats.compactions++
        }
      } else {
        const t = Math.max(...seqs.map((q) => q.length))
        const lengths = seqs.map((q) => q.length)
        for (const n of lengths) stats.tokensFed += n
        stats.tokenSlots += live.length * t
        const data = tf.tidy(() => {
          const tokens = tf.tensor2d(padRows(seqs, t, 'right'), [seqs.length, t], 'int32')
          const out = model.logitsAt(
            tokens,
            lengths.map((n, b) => b * t + n - 1),
            paddedLayout(lengths, t, 'right')
          )
          return out.dataSync() as Float32Array
        })
        rowLogits = live.map((_, r) => data.subarray(r * vocab, (r + 1) * vocab))
      }
      stats.forwardPasses++
      stats.ms.model += now() - s

      if (args.candidates) {
        s = now()
        scoreCandidates(model, cache as KvCache, live, rowLogits, temperature, options)
        stats.ms.candidates += now() - s
      }

      s = now()
      live.forEach((row, r) => {
        const logits = rowLogits[r]
        if (!logits) return
        args.onLogits?.({
          env: row.index,
          chunk: row.ctx.chunkIndex,
          tokens: Int32Array.from(seqs[r] as number[]),
          logits: logits.slice()
        })
        const cursor = row.cursor as DecodingCursor
        const allowed = cursor.allowed()
        const { ids, logp } = maskedLogProbs(logits, allowed, temperature)
        if (cursor.tokens.length === 0 && ids !== null) {
          const at = ids.indexOf(tokenizer.special.subDone)
          if (at >= 0) row.subDoneProb = Math.exp(logp[at] as number)
        }
        let k: number
        if (greedy) {
          k = 0
          for (let i = 1; i < logp.length; i++) if ((logp[i] as number) > (logp[k] as number)) k = i
        } else {
          k = sampleIndex(
            Array.from(logp, (x) => Math.exp(x)),
            row.rng
          )
        }
        const token = ids === null ? k : (ids[k] as number)
        row.choice.positions.push(cursor.tokens.length)
        row.choice.allowed.push(allowed)
        row.choice.logps.push(logp[k] as number)
        cursor.advance(token)
        row.rollout.stats.choices++
        stats.choices++
      })
      stats.ms.sample += now() - s
    }
  } finally {
    cache?.dispose()
  }
  for (const row of rows) {
    row.rollout.trajectory.chunks = row.ctx.chunks()
    row.rollout.stats.chunks = row.ctx.stats.chunks
    stats.chunks += row.ctx.stats.chunks
    stats.droppedHistory += row.ctx.stats.droppedHistory
  }
  stats.ms.env += tEnv
  stats.ms.total = now() - t0
  for (const k of Object.keys(stats.ms) as (keyof LmBatchStats['ms'])[])
    stats.ms[k] = Math.round(stats.ms[k] * 10) / 10
  return rows.map((r) => r.rollout)
}

/**
 * Per-step feed width: at least `min`, and `factor` × the mean pending tokens. 0.75 measured best
 * among 2, 1, 0.75, 0.5 (token slots and wall time of 8-env ALFWorld and WebShop rollouts).
 */
export const FEED_WIDTH = { min: 16, factor: 0.75 }

/**
 * Padding and forgotten columns tolerated before a compaction (at least this, or a quarter of the
 * longest visible row): every extend attends to and copies all cached columns.
 */
const COMPACT_SLACK = 32

/** Most mask entries (rows × tree width × keys) of one candidate-scoring pass (~16 MB). */
const TREE_MASK_BUDGET = 1 << 22

/** Token sequences inserted into a prefix tree: its nodes as a model.scoreTree tree. */
class FeedTree {
  readonly tokens: number[] = []
  readonly parents: number[] = []
  private readonly children = new Map<string, number>()

  /** Inserts a sequence; returns the node of each of its prefixes (lengths 1…n). */
  insert(seq: readonly number[]): number[] {
    const nodes: number[] = []
    let at = -1
    for (const token of seq) {
      const key = `${at}:${token}`
      let node = this.children.get(key)
      if (node === undefined) {
        node = this.tokens.length
        this.tokens.push(token)
        this.parents.push(at)
        this.children.set(key, node)
      }
      nodes.push(node)
      at = node
    }
    return nodes
  }
}

/**
 * For rows at their action's first choice: every admissible action's probability under the
 * current masked, tempered policy. Each row's candidates' remaining tokens form one prefix tree,
 * scored on the cache in one pass (`scoreTree`, the cache unchanged); forced tokens contribute
 * probability 1.
 */
function scoreCandidates(
  model: TransformerLM,
  cache: KvCache,
  live: Row[],
  rowLogits: readonly (Float32Array | null)[],
  temperature: number,
  options: LmAgentOptions
): void {
  type Job = { row: Row; r: number; a: number; rest: number[]; allowed: Int32Array[] }
  const jobs: Job[] = []
  const totals = new Map<Row, Float64Array>()
  const vocab = model.config.vocab
  live.forEach((row, r) => {
    if (!row.wantCandidates || !rowLogits[r]) return
    row.wantCandidates = false
    const constraint = row.constraint as CommandConstraint
    const done = (row.cursor as DecodingCursor).tokens.length
    totals.set(row, new Float64Array(constraint.actions.length))
    constraint.actionTokens.forEach((tokens, a) => {
      const allowed: Int32Array[] = []
      if (options.decoding === 'free') {
        const end = Int32Array.of(constraint.endToken)
        tokens.forEach((_, i) =>
          allowed.push(i >= options.maxActionTokens - 1 ? end : new Int32Array(0))
        )
      } else {
        const c = constraint.cursor()
        for (const t of tokens) {
          allowed.push(c.allowed())
          c.advance(t)
        }
      }
      jobs.push({ row, r, a, rest: tokens.slice(done), allowed: allowed.slice(done) })
    })
  })
  // Tokens each candidate must feed: up to the last one whose successor is a real choice. A row's
  // feeds go into one prefix tree (shared prefixes are one node), scored in one pass on the cache.
  const trees = Array.from({ length: cache.rows }, () => new FeedTree())
  const nodesOf = jobs.map((j) => {
    let last = 0
    j.allowed.forEach((al, i) => {
      if (i > 0 && al.length !== 1) last = i
    })
    return (trees[j.r] as FeedTree).insert(j.rest.slice(0, last))
  })
  // Only rows with a tree are scored (one copy of their cache rows: the others would be padding),
  // in groups whose mask (rows × width × keys) stays within TREE_MASK_BUDGET.
  const scoredRows = trees.flatMap((t, r) => (t.tokens.length > 0 ? [r] : []))
  const rowTreeLogits: Float32Array[] = []
  const scoreGroup = (group: number[]) => {
    const sub = group.length === cache.rows ? cache : cache.select(group)
    try {
      const scored = model.scoreTree(
        sub,
        group.map((r) => trees[r] as FeedTree)
      )
      const data = scored?.dataSync() as Float32Array
      scored?.dispose()
      let at = 0
      for (const r of group) {
        const n = (trees[r] as FeedTree).tokens.length
        rowTreeLogits[r] = data.subarray(at * vocab, (at + n) * vocab)
        at += n
      }
    } finally {
      if (sub !== cache) sub.dispose()
    }
  }
  let group: number[] = []
  let width = 0
  for (const r of scoredRows) {
    const n = (trees[r] as FeedTree).tokens.length
    const w = Math.max(width, n)
    if (group.length > 0 && (group.length + 1) * w * (cache.length + w) > TREE_MASK_BUDGET) {
      scoreGroup(group)
      group = []
      width = 0
    }
    group.push(r)
    width = Math.max(width, n)
  }
  if (group.length > 0) scoreGroup(group)
  const nodeLogits = (r: number, node: number): Float32Array =>
    (rowTreeLogits[r] as Float32Array).subarray(node * vocab, (node + 1) * vocab)
  jobs.forEach((j, k) => {
    let logp = 0
    j.rest.forEach((token, i) => {
      const al = j.allowed[i] as Int32Array
      if (al.length === 1) {
        // Free decoding forces <end> at its last position: a longer candidate is impossible.
        if (al[0] !== token) logp = -Infinity
        return
      }
      const src =
        i === 0
          ? (rowLogits[j.r] as Float32Array)
          : nodeLogits(j.r, (nodesOf[k] as number[])[i - 1] as number)
      logp += logProbOf(src, al, temperature, token)
    })
    const t = totals.get(j.row) as Float64Array
    t[j.a] = logp
  })
  for (const [row, t] of totals) {
    const constraint = row.constraint as CommandConstraint
    row.candidates = constraint.actions.map((action, a) => ({
      action,
      prob: Math.exp(t[a] as number)
    }))
  }
}
