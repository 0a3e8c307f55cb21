// Re-computes a trajectory's per-token log-probs under the model's current weights: every chunk in
// one padded batch, logits at each generated position − 1, the decision's masked, tempered
// log-softmax. Not differentiable (the update has its own); for tests and checks.
import * as tf from '@tensorflow/tfjs'
import { paddedLayout, padRows } from '../models/attention-layout'
import { allowedTokenMask, maskedLogSoftmax, pickLogProbs } from '../models/masked-log-softmax'
import type { TransformerLM } from '../models/transformer'
import type { LmTrajectory } from './record'

export function recomputeTokenLogProbs(
  model: TransformerLM,
  trajectory: LmTrajectory
): Float32Array[] {
  const { chunks, decisions } = trajectory
  const out = decisions.map((d) => new Float32Array(d.positions.length))
  if (chunks.length === 0 || decisions.length === 0) return out
  const vocab = model.config.vocab
  const all = Array.from({ length: vocab }, (_, i) => i)
  const t = Math.max(...chunks.map((c) => c.length))
  const at: number[] = []
  const allowed: (readonly number[])[] = []
  const targets: number[] = []
  const temps: number[] = []
  for (const d of decisions) {
    const chunk = chunks[d.chunk]
    if (!chunk) throw new Error(`decision points at chunk ${d.chunk} of ${chunks.length}`)
    d.positions.forEach((p, i) => {
      if (p < 1 || p >= chunk.length) throw new Error(`position ${p} outside chunk ${d.chunk}`)
      at.push(d.chunk * t + p - 1)
      const a = d.allowed[i] as Int32Array
      allowed.push(a.length === 0 ? all : Array.from(a))
      targets.push(chunk[p] as number)
      temps.push(d.temperature)
    })
  }
  const picked = tf.tidy(() => {
    const tokens = tf.tensor2d(
      padRows(
        Array.from(chunks, (c) => Array.from(c)),
        t,
        'right'
      ),
      [chunks.length, t],
      'int32'
    )
    const logits = model.logitsAt(
      tokens,
      at,
      paddedLayout(
        chunks.map((c) => c.length),
        t,
        'right'
      )
    )
    const result = new Float32Array(at.length)
    for (const temp of new Set(temps)) {
      const rows = temps.flatMap((x, k) => (x === temp ? [k] : []))
      const sub = tf.gather(logits, tf.tensor1d(Int32Array.from(rows), 'int32'))
      const logp = maskedLogSoftmax(
        sub as tf.Tensor2D,
        allowedTokenMask(
          rows.map((k) => allowed[k] as readonly number[]),
          vocab
        ),
        temp
      )
      const values = pickLogProbs(
        logp,
        rows.map((k) => targets[k] as number)
      ).dataSync()
      rows.forEach((k, j) => (result[k] = values[j] as number))
    }
    return result
  })
  let k = 0
  for (const o of out) for (let i = 0; i < o.length; i++) o[i] = picked[k++] as number
  return out
}
