// Micro-batches of an update: every decision once, a chunk's decisions together, chunks of similar
// length together (shortest first), both budgets kept, and the summed cloning gradients of any
// split equal to the whole minibatch's.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LmTrajectory } from '../../../core/agent/lm/record'
import { createTransformerLM } from '../../../core/agent/models/transformer'
import { cloningGradients } from '../../../core/train/lm/bc'
import { microBatches } from '../../../core/train/lm/micro-batches'
import { packTokenBatch, type LmSample } from '../../../core/train/lm/token-batch'
import { cpuReady, randomTrajectory, TINY_LM } from '../../helpers/lm-trajectories'

beforeAll(cpuReady)

/** A one-chunk trajectory of `length` tokens with one decision at its last token. */
function chunkOf(length: number): LmTrajectory {
  const tokens = Int32Array.from({ length }, (_, i) => 5 + (i % 30))
  return {
    chunks: [tokens],
    decisions: [
      {
        chunk: 0,
        positions: Int32Array.of(length - 1),
        allowed: [Int32Array.of(5, tokens[length - 1]!).sort()],
        tokenLogProbs: new Float32Array(1),
        temperature: 1,
        action: 'a'
      }
    ]
  }
}

const samplesOf = (ts: LmTrajectory[]): LmSample[] =>
  ts.flatMap((trajectory) =>
    trajectory.decisions.map((_, decision) => ({ trajectory, decision, advantage: 1 }))
  )

/** Token slots (rows × width) and real tokens of the packed micro-batches. */
function slots(parts: LmSample[][]): { slots: number; real: number } {
  let all = 0
  let real = 0
  for (const p of parts) {
    const b = packTokenBatch(p, TINY_LM.vocab)
    all += b.rows * b.width
    for (const s of b.layout.segments) real += s === 0 ? 0 : 1
  }
  return { slots: all, real }
}

describe('microBatches', () => {
  it('keeps every decision once and a chunk’s decisions in one micro-batch', () => {
    const samples = samplesOf([1, 2, 3, 4, 5, 6].map((s) => randomTrajectory(s)))
    const parts = microBatches(samples, 2, 2 * 2 * 20 * 20)
    expect(parts.length).toBeGreaterThan(1)
    expect(parts.flat().length).toBe(samples.length)
    expect(new Set(parts.flat())).toEqual(new Set(samples))
    const trajectories = [...new Set(samples.map((s) => s.trajectory))]
    const home = new Map<string, number>()
    parts.forEach((p, i) =>
      p.forEach((s) => {
        const chunk = `${trajectories.indexOf(s.trajectory)}:${s.trajectory.decisions[s.decision]!.chunk}`
        expect(home.get(chunk) ?? i, chunk).toBe(i)
        home.set(chunk, i)
      })
    )
  })

  it('groups chunks of similar length: shortest first, little padding', () => {
    // Insertion order alternates short and long chunks; one micro-batch in that order pads every
    // short chunk to the long width.
    const lengths = [8, 60, 9, 58, 10, 61, 8, 59, 11, 60, 9, 62]
    const samples = samplesOf(lengths.map(chunkOf))
    const budget = 1 * 6 * 64 * 64 // at most 6 rows of the longest chunks
    const parts = microBatches(samples, 1, budget, 10_000)
    const widths = parts.map((p) =>
      Math.max(...p.map((s) => s.trajectory.decisions[s.decision]!.positions.at(-1)!))
    )
    expect(widths).toEqual([...widths].sort((a, b) => a - b))
    const { slots: used, real } = slots(parts)
    expect(real).toBe(lengths.reduce((s, n) => s + n - 1, 0))
    // Two micro-batches of six: the short ones padded to 10, the long ones to 61.
    expect(parts.length).toBe(2)
    expect(used).toBe(6 * 10 + 6 * 61)
    // In arrival order (the old split, kept for the benchmark) every micro-batch pads to ~61.
    const arrival = microBatches(samples, 1, budget, 10_000, 'arrival')
    expect(arrival.flat()).toEqual(samples)
    expect(arrival.map((p) => p.length)).toEqual([6, 6])
    expect(slots(arrival).slots).toBe(6 * 60 + 6 * 61)
  })

  it('keeps rows × heads × width² within the attention budget and rows × width within the slots', () => {
    const lengths = Array.from({ length: 40 }, (_, i) => 6 + ((i * 37) % 50))
    const samples = samplesOf(lengths.map(chunkOf))
    for (const [heads, budget, cap] of [
      [2, 2 * 8 * 30 * 30, 10_000],
      [1, 10 ** 9, 200],
      [4, 4 * 3 * 40 * 40, 150]
    ] as const) {
      for (const p of microBatches(samples, heads, budget, cap)) {
        const b = packTokenBatch(p, TINY_LM.vocab)
        if (b.rows === 1) continue // a chunk larger than the budgets goes alone
        const w = b.width + 1 // the split counts the last generated token's position too
        expect(b.rows * heads * w * w).toBeLessThanOrEqual(budget)
        expect(b.rows * w).toBeLessThanOrEqual(cap)
      }
    }
    // A chunk over both budgets still goes, alone.
    const alone = microBatches(samplesOf([chunkOf(50), chunkOf(50)]), 1, 100, 10)
    expect(alone.map((p) => p.length)).toEqual([1, 1])
  })

  it('summed micro-batch gradients equal the whole minibatch’s, however it is split', () => {
    const model = createTransformerLM(TINY_LM, 3)
    const samples = samplesOf([...[1, 2, 3, 4].map((s) => randomTrajectory(s)), chunkOf(40)])
    const gradsOf = (parts: LmSample[][]): Record<string, Float32Array> => {
      const batches = parts.map((p) => packTokenBatch(p, TINY_LM.vocab, TINY_LM.context))
      return tf.tidy(() => {
        const { grads } = cloningGradients(model, batches)
        return Object.fromEntries(
          Object.entries(grads).map(([k, g]) => [k, g.dataSync() as Float32Array])
        )
      })
    }
    const whole = gradsOf([samples])
    const split = microBatches(samples, TINY_LM.heads, 2 * 2 * 16 * 16)
    expect(split.length).toBeGreaterThan(2)
    const parts = gradsOf(split)
    let largest = 0
    for (const [name, g] of Object.entries(whole)) {
      const p = parts[name]!
      g.forEach((x) => (largest = Math.max(largest, Math.abs(x))))
      g.forEach((x, i) => expect(Math.abs(x - p[i]!), name).toBeLessThan(1e-5 * (1 + largest)))
    }
    expect(largest).toBeGreaterThan(1e-3)
  })
})
