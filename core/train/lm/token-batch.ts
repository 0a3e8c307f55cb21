// Packs LM decisions into the tensors of one update step: each chunk that holds a decision of the
// batch becomes one right-padded row (cut after the last token whose logits are needed), and every
// generated token becomes one row of the token-level arrays (gather position, allowed set, chosen
// id, old log-prob, temperature, advantage, weight). Forced tokens (one allowed id) are packed with
// weight 0: they carry no choice, so neither the loss nor the metrics count them.
import * as tf from '@tensorflow/tfjs'
import type { LmTrajectory } from '../../agent/lm/record'
import { paddedLayout, padRows, type SequenceLayout } from '../../agent/models/attention-layout'
import { maskedLogSoftmax } from '../../agent/models/masked-log-softmax'
import type { TransformerLM } from '../../agent/models/transformer'

/** One decision of a trajectory with the advantage broadcast to all its tokens. */
export type LmSample = { trajectory: LmTrajectory; decision: number; advantage: number }

export type TokenBatch = {
  /** Chunks encoded (rows) and the padded row width. */
  rows: number
  width: number
  /** Row-major [rows·width] token ids, right-padded with 0. */
  tokens: Int32Array
  layout: SequenceLayout
  /** Flat b·width + position − 1 of each generated token: where its logits come from. */
  gather: Int32Array
  /** [tokens·vocab] 1 where the token was allowed (all ones for an unconstrained position). */
  allowed: Uint8Array
  chosen: Int32Array
  oldLogProbs: Float32Array
  temperature: Float32Array
  advantage: Float32Array
  /** 1 for a real choice, 0 for a forced token. */
  weight: Float32Array
  /** Index into the packed samples of each token's decision. */
  sample: Int32Array
  /** Generated tokens (= gather.length) and how many of them were real choices. */
  count: number
  choiceTokens: number
  vocab: number
}

function check(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message())
}

/** Packs the samples (see TokenBatch); throws on a record that does not fit its trajectory. */
export function packTokenBatch(
  samples: readonly LmSample[],
  vocab: number,
  context = Infinity
): TokenBatch {
  const rowOf = new Map<LmTrajectory, Map<number, number>>()
  const rowChunks: Int32Array[] = []
  const rowLengths: number[] = []
  let count = 0
  const placed = samples.map((s, i) => {
    const d = s.trajectory.decisions[s.decision]
    check(d !== undefined, () => `sample ${i}: no decision ${s.decision}`)
    const decision = d!
    const chunk = s.trajectory.chunks[decision.chunk]
    check(chunk !== undefined, () => `sample ${i}: no chunk ${decision.chunk}`)
    const n = decision.positions.length
    check(
      decision.allowed.length === n && decision.tokenLogProbs.length === n,
      () => `sample ${i}: positions, allowed and tokenLogProbs differ in length`
    )
    check(
      decision.temperature > 0 && Number.isFinite(decision.temperature),
      () => `sample ${i}: temperature ${decision.temperature}`
    )
    let rows = rowOf.get(s.trajectory)
    if (!rows) rowOf.set(s.trajectory, (rows = new Map()))
    let row = rows.get(decision.chunk)
    if (row === undefined) {
      row = rowChunks.length
      rows.set(decision.chunk, row)
      rowChunks.push(chunk!)
      rowLengths.push(0)
    }
    let last = 0
    for (const p of decision.positions) {
      check(
        p > last && p < chunk!.length,
        () => `sample ${i}: position ${p} out of order or outside its chunk of ${chunk!.length}`
      )
      last = p
    }
    // Logits at position p − 1 see tokens 0…p − 1: the row needs no token after the last choice.
    rowLengths[row] = Math.max(rowLengths[row] as number, last)
    count += n
    return { decision, chunk: chunk!, row }
  })
  const width = Math.max(1, ...rowLengths)
  check(width <= context, () => `a chunk needs ${width} positions, the model has ${context}`)
  const batch: TokenBatch = {
    rows: rowChunks.length,
    width,
    tokens: padRows(
      rowChunks.map((c, r) => Array.from(c.subarray(0, rowLengths[r]))),
      width,
      'right'
    ),
    layout: paddedLayout(rowLengths, width, 'right'),
    gather: new Int32Array(count),
    allowed: new Uint8Array(count * vocab),
    chosen: new Int32Array(count),
    oldLogProbs: new Float32Array(count),
    temperature: new Float32Array(count),
    advantage: new Float32Array(count),
    weight: new Float32Array(count),
    sample: new Int32Array(count),
    count,
    choiceTokens: 0,
    vocab
  }
  let k = 0
  placed.forEach(({ decision, chunk, row }, i) => {
    const advantage = samples[i]!.advantage
    check(Number.isFinite(advantage), () => `sample ${i}: advantage ${advantage}`)
    decision.positions.forEach((p, j) => {
      const token = chunk[p] as number
      const allowed = decision.allowed[j] as Int32Array
      check(token >= 0 && token < vocab, () => `sample ${i}: token ${token} not in vocab`)
      if (allowed.length === 0) batch.allowed.fill(1, k * vocab, (k + 1) * vocab)
      for (const id of allowed) {
        check(id >= 0 && id < vocab, () => `sample ${i}: allowed id ${id} not in vocab`)
        batch.allowed[k * vocab + id] = 1
      }
      check(
        batch.allowed[k * vocab + token] === 1,
        () => `sample ${i}: token ${token} at position ${p} was not allowed`
      )
      batch.gather[k] = row * width + p - 1
      batch.chosen[k] = token
      batch.oldLogProbs[k] = decision.tokenLogProbs[j] as number
      batch.temperature[k] = decision.temperature
      batch.advantage[k] = advantage
      batch.weight[k] = allowed.length === 1 ? 0 : 1
      batch.sample[k] = i
      batch.choiceTokens += allowed.length === 1 ? 0 : 1
      k++
    })
  })
  return batch
}

/**
 * log π(· | prefix) of every packed token [count, vocab] under the masked distribution, at each
 * token's recorded temperature or at 1. Differentiable in the model's weights.
 */
export function batchLogProbs(
  model: TransformerLM,
  batch: TokenBatch,
  temperature: 'recorded' | 1
): tf.Tensor2D {
  return tf.tidy(() => {
    const tokens = tf.tensor2d(batch.tokens, [batch.rows, batch.width], 'int32')
    const mask = tf.tensor2d(batch.allowed, [batch.count, batch.vocab], 'bool')
    let logits = model.logitsAt(tokens, batch.gather, batch.layout)
    if (temperature === 'recorded' && batch.temperature.some((t) => t !== 1)) {
      logits = logits.div(tf.tensor2d(batch.temperature, [batch.count, 1]))
    }
    return maskedLogSoftmax(logits, mask)
  })
}
