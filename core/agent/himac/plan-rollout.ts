// The planner's rollouts: for each (task, first observation) a blueprint decoded token by token under
// the blueprint grammar, all rows in one KV cache (prefill the prompts, then one extend per decoding
// step for the rows facing a real choice; forced tokens cost no forward pass). Each plan is recorded
// as a one-chunk, one-decision trajectory (prompt + plan tokens), so the same PPO update that trains
// executor actions trains plan tokens.
import type { EnvKind } from '../../envs/env'
import { createRng, sampleIndex, type Rng } from '../../rng'
import type { DecodingCursor } from '../lm/constraint'
import type { LmDecision, LmTrajectory } from '../lm/record'
import { maskedLogProbs } from '../lm/rollout'
import type { TransformerLM } from '../models/transformer'
import type { Tokenizer } from '../tokenizer'
import { plannerPromptTokens } from './executor-plan'
import type { SokobanView } from '../lm/sokoban-view'

export type PlanRequest = {
  task: string
  /** The env's first observation (what the planner reads besides the task). */
  observation: string
  /** A fresh cursor of the blueprint grammar for this task. */
  cursor: DecodingCursor
}

export type PlanSample = {
  /** The generated tokens: (`<subgoal>` phrase)+ `<end>`. */
  tokens: number[]
  /** The cursor's text of the blueprint. */
  text: string
  /** log π(plan) under the masked, tempered distribution at sampling time. */
  logProb: number
  trajectory: LmTrajectory
}

export type PlanRolloutArgs = {
  model: TransformerLM
  tokenizer: Tokenizer
  env: EnvKind
  requests: readonly PlanRequest[]
  /** 0 = greedy (log-probs recorded at temperature 1). */
  temperature: number
  /** Seeds one sampling stream per request. */
  rng: Rng
  /** Cap on the task and the observation tokens in the prompt. */
  maxPromptTokens: number
  sokobanView?: SokobanView
  /** Counts forward passes and generated tokens. */
  stats?: { forwardPasses: number; tokensFed: number; tokensGenerated: number }
}

type PlanRow = {
  rng: Rng
  prompt: number[]
  cursor: DecodingCursor
  fed: number
  positions: number[]
  allowed: Int32Array[]
  logps: number[]
}

export function rolloutPlans(args: PlanRolloutArgs): PlanSample[] {
  const { model, tokenizer, requests } = args
  if (!(args.temperature >= 0) || !Number.isFinite(args.temperature))
    throw new Error(`temperature must be ≥ 0, got ${args.temperature}`)
  const greedy = args.temperature === 0
  const temperature = greedy ? 1 : args.temperature
  const vocab = model.config.vocab
  const rows: PlanRow[] = requests.map((q) => ({
    rng: createRng(args.rng.int(2 ** 32)),
    prompt: plannerPromptTokens(
      tokenizer,
      args.env,
      q.task,
      q.observation,
      args.maxPromptTokens,
      args.sokobanView
    ),
    cursor: q.cursor,
    fed: 0,
    positions: [],
    allowed: [],
    logps: []
  }))
  const sequence = (r: PlanRow): number[] => [...r.prompt, ...r.cursor.tokens]
  /** Forced tokens until the row faces a choice (true) or its plan is done (false). */
  const toChoice = (r: PlanRow): boolean => {
    for (;;) {
      if (r.cursor.done) return false
      const allowed = r.cursor.allowed()
      if (allowed.length !== 1) return true
      r.positions.push(r.prompt.length + r.cursor.tokens.length)
      r.allowed.push(allowed)
      r.logps.push(0)
      r.cursor.advance(allowed[0] as number)
    }
  }
  const cache = model.createCache(rows.length)
  try {
    for (;;) {
      const waiting = rows.map(toChoice)
      if (!waiting.some(Boolean)) break
      const feeds = rows.map((r, i) => {
        if (!waiting[i]) return []
        const seq = sequence(r)
        const feed = seq.slice(r.fed)
        r.fed = seq.length
        return feed
      })
      for (const f of feeds) if (args.stats) args.stats.tokensFed += f.length
      if (Math.max(...rows.map(sequence).map((s) => s.length)) > model.config.context)
        throw new Error(`a plan prompt overflows the model context ${model.config.context}`)
      const res = model.extend(cache, feeds, 'last')
      if (args.stats) args.stats.forwardPasses++
      const data = res.logits ? (res.logits.dataSync() as Float32Array) : new Float32Array(0)
      res.logits?.dispose()
      res.rows.forEach((ri, k) => {
        const r = rows[ri] as PlanRow
        const logits = data.subarray(k * vocab, (k + 1) * vocab)
        const allowed = r.cursor.allowed()
        const { ids, logp } = maskedLogProbs(logits, allowed, temperature)
        let pick = 0
        if (greedy) {
          for (let i = 1; i < logp.length; i++)
            if ((logp[i] as number) > (logp[pick] as number)) pick = i
        } else {
          pick = sampleIndex(
            Array.from(logp, (x) => Math.exp(x)),
            r.rng
          )
        }
        r.positions.push(r.prompt.length + r.cursor.tokens.length)
        r.allowed.push(allowed)
        r.logps.push(logp[pick] as number)
        r.cursor.advance(ids === null ? pick : (ids[pick] as number))
      })
    }
  } finally {
    cache.dispose()
  }
  return rows.map((r) => {
    const tokens = [...r.cursor.tokens]
    if (args.stats) args.stats.tokensGenerated += tokens.length
    const decision: LmDecision = {
      chunk: 0,
      positions: Int32Array.from(r.positions),
      allowed: r.allowed,
      tokenLogProbs: Float32Array.from(r.logps),
      temperature,
      action: r.cursor.text()
    }
    return {
      tokens,
      text: decision.action,
      logProb: r.logps.reduce((a, b) => a + b, 0),
      trajectory: { chunks: [Int32Array.from([...r.prompt, ...tokens])], decisions: [decision] }
    }
  })
}
