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

/**
 * Micro-batches of the samples: the decisions of one chunk stay together (the chunk is encoded
 * once), and rows × heads × width² stays within `budget` (a chunk larger than that goes alone).
 */
export function microBatches(
  samples: readonly LmSample[],
  heads: number,
  budget = ATTENTION_BUDGET
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
  const out: LmSample[][] = []
  let current: LmSample[] = []
  let rows = 0
  let width = 0
  for (const g of groups.values()) {
    const w = Math.max(width, g.width)
    if (rows > 0 && (rows + 1) * heads * w * w > budget) {
      out.push(current)
      current = []
      rows = 0
      width = 0
    }
    current.push(...g.samples)
    rows++
    width = Math.max(width, g.width)
  }
  if (current.length) out.push(current)
  return out
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
