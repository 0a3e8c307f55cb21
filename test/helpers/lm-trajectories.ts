// Synthetic LmTrajectory fixtures for the LM update tests, a tiny transformer, and an independent
// recomputation of per-token log-probs (each chunk encoded alone, masked tempered log-softmax in
// float64) that plays the sampler's role.
import * as tf from '@tensorflow/tfjs'
import type { LmDecision, LmTrajectory } from '../../core/agent/lm/record'
import type { TransformerConfig, TransformerLM } from '../../core/agent/models/transformer'
import { createRng, type Rng } from '../../core/rng'
import { selectBackend } from '../../core/train/backend'

export async function cpuReady(): Promise<void> {
  const choice = await selectBackend('cpu')
  if (choice.backend !== 'cpu') throw new Error(`cpu backend not selected: ${choice.backend}`)
}

export const TINY_LM: TransformerConfig = {
  vocab: 40,
  dModel: 16,
  layers: 1,
  heads: 2,
  context: 64,
  ffMult: 2
}

/** Marker ids of the fixtures; observations are 5…14, actions 20…39. */
export const IDS = { task: 1, obs: 2, act: 3, end: 4 } as const
const OBS = [5, 14] as const
const ACTIONS = [20, 39] as const

function between(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return lo + rng.int(hi - lo + 1)
}

/** `size` distinct ids of the range, always including `must`, sorted ascending. */
function allowedSet(rng: Rng, must: number, size: number, range: readonly [number, number]) {
  const ids = new Set([must])
  while (ids.size < size) ids.add(between(rng, range))
  return Int32Array.from([...ids].sort((a, b) => a - b))
}

type StepPlan = { obs: number; action: number[]; allowed: Int32Array[] }

function trajectoryOf(chunks: StepPlan[][], temperature: number, task: number): LmTrajectory {
  const out: LmTrajectory = { chunks: [], decisions: [] }
  chunks.forEach((steps, c) => {
    const tokens = [IDS.task, task]
    for (const s of steps) {
      tokens.push(IDS.obs, s.obs, IDS.act)
      const positions = Int32Array.from(s.action, (_, j) => tokens.length + j)
      tokens.push(...s.action)
      out.decisions.push({
        chunk: c,
        positions,
        allowed: s.allowed,
        tokenLogProbs: new Float32Array(s.action.length),
        temperature,
        action: s.action.join(' ')
      })
    }
    out.chunks.push(Int32Array.from(tokens))
  })
  return out
}

/**
 * A trajectory of 2 chunks × 2–4 steps; each step's action is a choice among 2–5 allowed ids, a
 * forced id, and an unconstrained id (empty allowed set). tokenLogProbs are 0 until recorded.
 */
export function randomTrajectory(seed: number, temperature = 1): LmTrajectory {
  const rng = createRng(seed)
  const chunks = [0, 1].map(() =>
    Array.from({ length: 2 + rng.int(3) }, (): StepPlan => {
      const a = [between(rng, ACTIONS), between(rng, ACTIONS), between(rng, ACTIONS)]
      return {
        obs: between(rng, OBS),
        action: a,
        allowed: [
          allowedSet(rng, a[0]!, 2 + rng.int(4), ACTIONS),
          Int32Array.of(a[1]!),
          new Int32Array(0)
        ]
      }
    })
  )
  return trajectoryOf(chunks, temperature, between(rng, OBS))
}

/** The demonstrated action of observation o (a fixed permutation onto 20…29). */
export function demonstratedAction(obs: number): number {
  return 20 + (((obs - OBS[0]) * 7 + 3) % 10)
}

/**
 * A demonstration: one chunk of 3 steps; each step reads an observation and answers with the
 * demonstrated action (a choice among 3–6 of 20…29) followed by a forced <end>.
 */
export function demonstration(seed: number): LmTrajectory {
  const rng = createRng(seed)
  const steps = Array.from({ length: 3 }, (): StepPlan => {
    const obs = between(rng, OBS)
    const action = demonstratedAction(obs)
    return {
      obs,
      action: [action, IDS.end],
      allowed: [allowedSet(rng, action, 3 + rng.int(4), [20, 29]), Int32Array.of(IDS.end)]
    }
  })
  return trajectoryOf([steps], 1, between(rng, OBS))
}

/** Logits [position][vocab] of one chunk encoded alone, without padding. */
export function chunkLogits(model: TransformerLM, chunk: Int32Array): Float32Array[] {
  const v = model.config.vocab
  const flat = tf.tidy(() => {
    const logits = model.logits(tf.tensor2d(chunk, [1, chunk.length], 'int32'))
    return logits.dataSync() as Float32Array
  })
  return Array.from({ length: chunk.length }, (_, t) => flat.slice(t * v, (t + 1) * v))
}

/** Masked, tempered log-probs (float64) of one logits row over the allowed ids (empty = all). */
export function maskedLogProbs(
  logits: Float32Array,
  allowed: Int32Array,
  temperature: number
): Map<number, number> {
  const ids = allowed.length === 0 ? Array.from(logits.keys()) : Array.from(allowed)
  const z = ids.map((i) => (logits[i] as number) / temperature)
  const max = Math.max(...z)
  const lse = max + Math.log(z.reduce((s, x) => s + Math.exp(x - max), 0))
  return new Map(ids.map((id, k) => [id, (z[k] as number) - lse]))
}

/** Per-token log-probs of a decision under the model at its temperature (forced tokens: 0). */
export function decisionLogProbs(
  model: TransformerLM,
  trajectory: LmTrajectory,
  d: LmDecision
): Float32Array {
  const chunk = trajectory.chunks[d.chunk] as Int32Array
  const logits = chunkLogits(model, chunk)
  return Float32Array.from(d.positions, (p, j) => {
    const allowed = d.allowed[j] as Int32Array
    if (allowed.length === 1) return 0
    return maskedLogProbs(logits[p - 1] as Float32Array, allowed, d.temperature).get(
      chunk[p] as number
    ) as number
  })
}

/** The trajectory with every decision's tokenLogProbs recorded from the model (as a sampler would). */
export function recordLogProbs(model: TransformerLM, trajectory: LmTrajectory): LmTrajectory {
  return {
    chunks: trajectory.chunks,
    decisions: trajectory.decisions.map((d) => ({
      ...d,
      tokenLogProbs: decisionLogProbs(model, trajectory, d)
    }))
  }
}

/** Greedy choice at every generated position: the allowed id of highest logit. */
export function greedyTokens(
  model: TransformerLM,
  trajectory: LmTrajectory,
  d: LmDecision
): number[] {
  const logits = chunkLogits(model, trajectory.chunks[d.chunk] as Int32Array)
  return Array.from(d.positions, (p, j) => {
    const lp = maskedLogProbs(logits[p - 1] as Float32Array, d.allowed[j] as Int32Array, 1)
    let best = -1
    let bestLp = -Infinity
    for (const [id, x] of lp) if (x > bestLp) [best, bestLp] = [id, x]
    return best
  })
}
