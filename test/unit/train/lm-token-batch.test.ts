// Packing decisions into an update batch: one row per chunk in use, cut after its last needed
// token; one token row per generated token with its gather position, mask, weight and advantage.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTransformerLM } from '../../../core/agent/models/transformer'
import { pickLogProbs } from '../../../core/agent/models/masked-log-softmax'
import { batchLogProbs, packTokenBatch } from '../../../core/train/lm/token-batch'
import {
  cpuReady,
  decisionLogProbs,
  randomTrajectory,
  TINY_LM
} from '../../helpers/lm-trajectories'

beforeAll(cpuReady)

const V = TINY_LM.vocab

describe('packTokenBatch', () => {
  it('encodes only the chunks of the batch, each once, cut after its last generated token', () => {
    const a = randomTrajectory(1)
    const b = randomTrajectory(2)
    // a's first decision (chunk 0) and last decision (chunk 1); b's first two (both in chunk 0)
    const lastA = a.decisions.length - 1
    const batch = packTokenBatch(
      [
        { trajectory: a, decision: 0, advantage: 0.5 },
        { trajectory: b, decision: 0, advantage: -1 },
        { trajectory: a, decision: lastA, advantage: 2 },
        { trajectory: b, decision: 1, advantage: 3 }
      ],
      V
    )
    expect(batch.rows).toBe(3)
    const lastPos = (t: typeof a, d: number) => t.decisions[d]!.positions.at(-1)!
    const lengths = [lastPos(a, 0), lastPos(b, 1), lastPos(a, lastA)]
    expect(batch.width).toBe(Math.max(...lengths))
    // row 1 holds b's chunk 0 up to (excluding) the last token of decision 1
    const row1 = batch.tokens.slice(batch.width, batch.width + lengths[1]!)
    expect(Array.from(row1)).toEqual(Array.from(b.chunks[0]!.slice(0, lengths[1])))
    expect(batch.count).toBe(12)
    expect(batch.choiceTokens).toBe(8) // per decision: choice, forced, unconstrained
    expect(Array.from(batch.weight.slice(0, 3))).toEqual([1, 0, 1])
    expect(Array.from(batch.advantage)).toEqual([0.5, 0.5, 0.5, -1, -1, -1, 2, 2, 2, 3, 3, 3])
    expect(Array.from(batch.sample)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
    // gather: b's decision 1 sits in row 1 (the same chunk as b's decision 0)
    const d = b.decisions[1]!
    expect(batch.gather[9]).toBe(1 * batch.width + d.positions[0]! - 1)
    expect(batch.chosen[9]).toBe(b.chunks[0]![d.positions[0]!])
    // masks: the allowed set, a single id, and the whole vocabulary
    const row = (k: number) => Array.from(batch.allowed.slice(k * V, (k + 1) * V))
    const allowed0 = Array.from(a.decisions[0]!.allowed[0]!)
    expect(row(0).flatMap((x, i) => (x ? [i] : []))).toEqual(allowed0)
    expect(row(1).reduce((s, x) => s + x, 0)).toBe(1)
    expect(row(2).every((x) => x === 1)).toBe(true)
  })

  it('rejects records that do not fit their trajectory', () => {
    const t = randomTrajectory(3)
    const bad = structuredClone(t)
    // the chosen id is one of 20…39, so a set of {0, 1} does not hold it
    bad.decisions[0]!.allowed[0] = Int32Array.of(0, 1)
    expect(() => packTokenBatch([{ trajectory: bad, decision: 0, advantage: 0 }], V)).toThrow(
      /not allowed/
    )
    expect(() => packTokenBatch([{ trajectory: t, decision: 99, advantage: 0 }], V)).toThrow(
      /no decision/
    )
    expect(() => packTokenBatch([{ trajectory: t, decision: 0, advantage: 0 }], V, 3)).toThrow(
      /positions/
    )
  })

  it('gives each token the log-prob of its chunk encoded alone', () => {
    const model = createTransformerLM(TINY_LM, 5)
    const ts = [randomTrajectory(4, 0.7), randomTrajectory(5, 1.3)]
    const samples = ts.flatMap((trajectory) =>
      trajectory.decisions.map((_, decision) => ({ trajectory, decision, advantage: 0 }))
    )
    const batch = packTokenBatch(samples, V)
    const got = tf.tidy(() => pickLogProbs(batchLogProbs(model, batch, 'recorded'), batch.chosen))
    const values = got.dataSync()
    got.dispose()
    const expected = samples.flatMap((s) =>
      Array.from(decisionLogProbs(model, s.trajectory, s.trajectory.decisions[s.decision]!))
    )
    let max = 0
    expected.forEach((x, k) => (max = Math.max(max, Math.abs(x - (values[k] as number)))))
    expect(max).toBeLessThan(1e-5)
    model.dispose()
  })
})
