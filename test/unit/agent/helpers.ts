// Shared pieces of the model tests: the wasm backend, a tiny config and comparisons of logits.
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../../../core/train/backend'
import { paddedLayout, padRows } from '../../../core/agent/models/attention-layout'
import type { TransformerConfig, TransformerLM } from '../../../core/agent/models/transformer'

export async function wasmReady(): Promise<void> {
  const choice = await selectBackend('wasm')
  if (choice.backend !== 'wasm') throw new Error(`wasm backend failed: ${choice.notes.join('; ')}`)
}

export const TINY: TransformerConfig = {
  vocab: 40,
  dModel: 16,
  layers: 2,
  heads: 2,
  context: 32,
  ffMult: 2
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity
  let max = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number))
    if (!(d <= max)) max = d
  }
  return max
}

/** Seeded token rows of the given lengths (ids 1…vocab−1). */
export function tokenRows(lengths: readonly number[], vocab: number, seed: number): number[][] {
  let s = seed >>> 0
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return 1 + (s % (vocab - 1))
  }
  return lengths.map((n) => Array.from({ length: n }, next))
}

/** Logits of every token of every row, encoded as one padded batch: out[b][i] = Float32Array. */
export function batchLogits(
  model: TransformerLM,
  rows: readonly (readonly number[])[],
  side: 'left' | 'right'
): Float32Array[][] {
  const t = Math.max(...rows.map((r) => r.length))
  const v = model.config.vocab
  const tokens = tf.tensor2d(padRows(rows, t, side), [rows.length, t], 'int32')
  const logits = model.logits(
    tokens,
    paddedLayout(
      rows.map((r) => r.length),
      t,
      side
    )
  )
  const all = logits.dataSync() as Float32Array
  tf.dispose([tokens, logits])
  return rows.map((r, b) => {
    const start = side === 'left' ? t - r.length : 0
    return r.map((_, i) => all.slice((b * t + start + i) * v, (b * t + start + i + 1) * v))
  })
}

/** Logits of one unpadded row through the plain causal path (no layout). */
export function aloneLogits(model: TransformerLM, row: readonly number[]): Float32Array[] {
  const v = model.config.vocab
  const tokens = tf.tensor2d([row as number[]], [1, row.length], 'int32')
  const logits = model.logits(tokens)
  const all = logits.dataSync() as Float32Array
  tf.dispose([tokens, logits])
  return row.map((_, i) => all.slice(i * v, (i + 1) * v))
}

export function rowsOf(t: tf.Tensor2D | null, vocab: number): Float32Array[] {
  if (!t) return []
  const all = t.dataSync() as Float32Array
  return Array.from({ length: t.shape[0] }, (_, k) => all.slice(k * vocab, (k + 1) * vocab))
}
