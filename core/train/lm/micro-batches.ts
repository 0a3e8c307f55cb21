// Splits a minibatch into micro-batches whose attention fits in memory, and sums their gradients
// (each micro-batch's token-mean loss weighted by its share of the choice tokens), so an optimizer
// step sees exactly the minibatch's token-mean loss however it was split. Without this, one PPO
// minibatch of 64 ALFWorld chunks (640 positions) needs over 4 GiB of attention scores: more than
// the wasm heap can ever hold.
import * as tf from '@tensorflow/tfjs'
import type { LmTrajectory } from '../../agent/lm/record'
import type { LmSample } from './token-batch'

/** Attention floats per layer a micro-batch may need (rows × heads × width²): 16 MiB of scores per head batch. */
export const ATTENTION_BUDGET = 2 ** 22

/** Token slots (rows × width, padding included) of a micro-batch: bounds its activations. */
export const SLOT_BUDGET = 8192

/** What one more micro-batch costs, in token slots (its fixed per-op overhead). */
export const MICRO_BATCH_COST = 256

/**
 * Micro-batches of the samples: the decisions of one chunk stay together (the chunk is encoded
 * once); chunks are sorted by length and cut into runs so that the padded slots plus
 * MICRO_BATCH_COST per micro-batch are fewest (a row is padded to the longest of its micro-batch:
 * in insertion order about half of ALFWorld's slots were padding), with rows × heads × width²
 * within `budget` and rows × width within `slots` (a chunk larger than that goes alone).
 * `order: 'arrival'` cuts the chunks in arrival order instead, a micro-batch full (the old split,
 * kept for `himac bench --only lm-update`).
 */
export function microBatches(
  samples: readonly LmSample[],
  heads: number,
  budget = ATTENTION_BUDGET,
  slots = SLOT_BUDGET,
  order: 'length' | 'arrival' = 'length'
): LmSample[][] {
  const ids = new Map<LmTrajectory, number>()
  const groups = new Map<string, { samples: LmSample[]; width: number }>()
  for (const s of samples) {
    const d = s.trajectory.decisions[s.decision]
    if (!d) throw new Error(`no decision ${s.decision} in its trajectory`)
    let id = ids.get(s.trajectory)
    if (id === undefined) ids.set(s.trajectory, (id = ids.size))
    const key = `${id}:${d.chunk}`
    const g = groups.get(key) ?? { samples: [], width: 0 }
    g.samples.push(s)
    g.width = Math.max(g.width, (d.positions[d.positions.length - 1] ?? 0) + 1)
    groups.set(key, g)
  }
  const fits = (rows: number, w: number): boolean =>
    rows === 1 || (rows * heads * w * w <= budget && rows * w <= slots)
  if (order === 'arrival') {
    const out: LmSample[][] = []
    let rows = 0
    let width = 0
    for (const g of groups.values()) {
      if (rows > 0 && !fits(rows + 1, Math.max(width, g.width))) {
        rows = 0
        width = 0
      }
      if (rows === 0) out.push([])
      out[out.length - 1]!.push(...g.samples)
      rows++
      width = Math.max(width, g.width)
    }
    return out
  }
  // A stable sort: equal widths keep the samples' order.
  const sorted = [...groups.values()].sort((a, b) => a.width - b.width)
  // cost[j]: the cheapest cut of the first j groups; a run i…j−1 is padded to the width of j − 1.
  const n = sorted.length
  const cost = new Float64Array(n + 1).fill(Infinity)
  const from = new Int32Array(n + 1)
  cost[0] = 0
  for (let j = 1; j <= n; j++) {
    const w = sorted[j - 1]!.width
    for (let i = j - 1; i >= 0; i--) {
      if (!fits(j - i, w)) break
      const c = cost[i]! + (j - i) * w + MICRO_BATCH_COST
      if (c < cost[j]!) {
        cost[j] = c
        from[j] = i
      }
    }
  }
  const out: LmSample[][] = []
  for (let j = n; j > 0; j = from[j]!) {
    out.push(sorted.slice(from[j]!, j).flatMap((g) => g.samples))
  }
  return out.reverse()
}

/**
 * Σ_parts weight · loss and its gradients with respect to `variables`, one part at a time (only one
 * part's activations are alive at once).
 */
export function accumulatedGradients(
  variables: readonly tf.Variable[],
  parts: readonly { weight: number; loss: () => tf.Scalar }[]
): { value: number; grads: tf.NamedTensorMap } {
  const grads: tf.NamedTensorMap = {}
  let value = 0
  for (const part of parts) {
    const r = tf.variableGrads(
      () => tf.mul(part.loss(), part.weight) as tf.Scalar,
      variables as tf.Variable[]
    )
    value += r.value.dataSync()[0] as number
    r.value.dispose()
    for (const [name, g] of Object.entries(r.grads)) {
      const prev = grads[name]
      if (prev) {
        grads[name] = tf.add(prev, g)
        prev.dispose()
        g.dispose()
      } else grads[name] = g
    }
  }
  return { value, grads }
}
