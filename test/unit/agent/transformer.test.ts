// The LM transformer: padding and segment masks, KV-cache decoding against full re-encoding, row
// forks and drops, compaction, save/load, and the output head at chosen positions only.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { layoutMasks, paddedLayout, padRows } from '../../../core/agent/models/attention-layout'
import { querySlots } from '../../../core/agent/models/query-slots'
import { installNativeKernels, uninstallNativeKernels } from '../../../core/train/native'
import { nativeAvailable } from '../native/helpers'
import {
  createTransformerLM,
  parameterCount,
  transformerFromWeights,
  type TransformerLM
} from '../../../core/agent/models/transformer'
import { aloneLogits, batchLogits, maxAbsDiff, rowsOf, TINY, tokenRows, wasmReady } from './helpers'

await wasmReady()
const available = nativeAvailable()
const V = TINY.vocab
const TOL = 1e-5
let model: TransformerLM
beforeAll(() => {
  model = createTransformerLM(TINY, 11)
})
afterAll(() => model.dispose())

const expectClose = (a: readonly Float32Array[], b: readonly Float32Array[]): void => {
  expect(a.length).toBe(b.length)
  expect(a.length).toBeGreaterThan(0)
  a.forEach((x, i) => expect(maxAbsDiff(x, b[i] as Float32Array)).toBeLessThan(TOL))
}

describe('layout masks', () => {
  it('gives per-path positions and hides padding and sibling segments', () => {
    // one row: pad, prompt (seg 1) ×2, child A (seg 2 → 1) ×2, child B (seg 3 → 1) ×1
    const layout = {
      segments: Int32Array.from([0, 1, 1, 2, 2, 3]),
      parents: Int32Array.from([0, 0, 1, 1])
    }
    const { positions, mask } = layoutMasks(layout, 1, 6)
    expect([...positions]).toEqual([0, 0, 1, 2, 3, 2])
    const visible = (i: number): number[] =>
      [...mask.slice(i * 6, i * 6 + 6)].flatMap((m, j) => (m === 0 ? [j] : []))
    expect(visible(0)).toEqual([])
    expect(visible(2)).toEqual([1, 2])
    expect(visible(4)).toEqual([1, 2, 3, 4])
    expect(visible(5)).toEqual([1, 2, 5])
    expect(() =>
      layoutMasks({ segments: Int32Array.from([1]), parents: Int32Array.from([0, 1]) }, 1, 1)
    ).toThrow(/cyclic/)
  })
})

for (const native of [false, true]) {
  describe.skipIf(native && !available)(native ? 'wasm + native kernels' : 'stock wasm', () => {
    beforeAll(() => {
      if (native) expect(installNativeKernels().enabled).toBe(true)
    })
    afterAll(() => uninstallNativeKernels())

    describe('padding and segments', () => {
      it("padding on either side does not change a row's logits", () => {
        const rows = tokenRows([7, 3, 5, 1], V, 1)
        const alone = rows.map((r) => aloneLogits(model, r))
        for (const side of ['left', 'right'] as const) {
          const batch = batchLogits(model, rows, side)
          rows.forEach((_, b) =>
            expectClose(batch[b] as Float32Array[], alone[b] as Float32Array[])
          )
        }
      })

      it('packed independent sequences do not see each other', () => {
        const [a, b] = tokenRows([5, 4], V, 2) as [number[], number[]]
        const tokens = tf.tensor2d([[...a, ...b]], [1, 9], 'int32')
        const segments = Int32Array.from([1, 1, 1, 1, 1, 2, 2, 2, 2])
        const logits = model.logits(tokens, { segments })
        const all = rowsOf(logits.reshape([9, V]) as tf.Tensor2D, V)
        expectClose(all.slice(0, 5), aloneLogits(model, a))
        expectClose(all.slice(5), aloneLogits(model, b))
        // without the segment ids the second sequence does see the first
        const plain = rowsOf(model.logits(tokens).reshape([9, V]) as tf.Tensor2D, V)
        expect(maxAbsDiff(plain[5] as Float32Array, all[5] as Float32Array)).toBeGreaterThan(1e-3)
        tf.dispose([tokens, logits])
      })

      it('a continuation sees its prompt but not its sibling continuation', () => {
        const [p, c1, c2] = tokenRows([4, 3, 3], V, 3) as [number[], number[], number[]]
        const tokens = tf.tensor2d([[...p, ...c1, ...c2]], [1, 10], 'int32')
        const layout = {
          segments: Int32Array.from([1, 1, 1, 1, 2, 2, 2, 3, 3, 3]),
          parents: Int32Array.from([0, 0, 1, 1])
        }
        const all = rowsOf(model.logitsAt(tokens, [...Array(10).keys()], layout), V)
        expectClose(all.slice(0, 7), aloneLogits(model, [...p, ...c1]))
        expectClose(all.slice(7), aloneLogits(model, [...p, ...c2]).slice(4))
        tokens.dispose()
      })

      it('logitsAt equals the full logits at those positions', () => {
        const rows = tokenRows([6, 4], V, 4)
        const tokens = tf.tensor2d(
          [...(rows[0] as number[]), ...(rows[1] as number[]), 0, 0],
          [2, 6],
          'int32'
        )
        const layout = paddedLayout([6, 4], 6, 'right')
        const full = rowsOf(model.logits(tokens, layout).reshape([12, V]) as tf.Tensor2D, V)
        const at = [5, 9, 0, 6]
        const some = rowsOf(model.logitsAt(tokens, at, layout), V)
        at.forEach((flat, k) =>
          expect(maxAbsDiff(some[k] as Float32Array, full[flat] as Float32Array)).toBeLessThan(TOL)
        )
        tokens.dispose()
      })
    })

    it("logitsAt's last block at the wanted positions only: same logits and gradients as the full pass", () => {
      // Row 0 wants 3 positions (one twice), row 1 two, row 2 none: 3 query slots per row of 7.
      const rows = tokenRows([7, 5, 6], V, 9)
      const tokens = tf.tensor2d(padRows(rows, 7, 'right'), [3, 7], 'int32')
      const layout = paddedLayout([7, 5, 6], 7, 'right')
      const at = [6, 2, 9, 2, 11]
      expect(querySlots(Int32Array.from(at), 3, 7)?.width).toBe(3)
      const weights = tf.randomNormal([at.length, V], 0, 1, 'float32', 3)
      const idx = tf.tensor1d(at, 'int32')
      const sparse = tf.variableGrads(
        () => model.logitsAt(tokens, at, layout).mul(weights).sum() as tf.Scalar,
        model.variables
      )
      const full = tf.variableGrads(
        () =>
          tf
            .gather(model.logits(tokens, layout).reshape([21, V]), idx)
            .mul(weights)
            .sum() as tf.Scalar,
        model.variables
      )
      expect(
        Math.abs((sparse.value.dataSync()[0] as number) - (full.value.dataSync()[0] as number))
      ).toBeLessThan(1e-4)
      let compared = 0
      for (const v of model.variables) {
        const a = sparse.grads[v.name] as tf.Tensor
        const b = full.grads[v.name] as tf.Tensor
        // relative to the largest gradient (the embeddings' reach ~300 here)
        const scale = Math.max(1, ...Array.from(b.dataSync(), Math.abs))
        expect(maxAbsDiff(a.dataSync(), b.dataSync()) / scale).toBeLessThan(TOL)
        compared++
      }
      expect(compared).toBe(model.variables.length)
      tf.dispose([tokens, weights, idx, sparse.value, full.value])
      tf.dispose([...Object.values(sparse.grads), ...Object.values(full.grads)])
    })

    describe('KV cache', () => {
      it('prefill + extends on a padded batch equal full re-encoding', () => {
        const before = tf.memory().numTensors
        const prompts = tokenRows([6, 2, 9], V, 5)
        const seqs = prompts.map((r) => [...r])
        const cache = model.createCache(3)
        const check = (
          out: { logits: tf.Tensor2D | null; rows: Int32Array; steps: Int32Array },
          added: readonly (readonly number[])[]
        ): void => {
          const full = batchLogits(model, seqs, 'left')
          const got = rowsOf(out.logits, V)
          const want = [...out.rows].map((b, k) => {
            const row = seqs[b] as number[]
            const n = (added[b] as readonly number[]).length
            return (full[b] as Float32Array[])[
              row.length - n + (out.steps[k] as number)
            ] as Float32Array
          })
          expectClose(got, want)
          out.logits?.dispose()
        }
        check(model.extend(cache, prompts, 'all'), prompts)
        expect(cache.length).toBe(9)
        for (const step of [
          [[3], [4], [5]],
          [[6], [7], [8]],
          [[9, 10, 11], [], [12, 13]],
          [[14], [15], [16]]
        ]) {
          step.forEach((add, b) => (seqs[b] as number[]).push(...add))
          check(model.extend(cache, step, step[1]?.length === 0 ? 'all' : 'last'), step)
        }
        expect(cache.length).toBe(9 + 1 + 1 + 3 + 1)
        expect([0, 1, 2].map((b) => cache.nextPosition(b))).toEqual([12, 5, 14])
        // compaction drops the padding columns (row 2 has the most tokens: 14) and changes nothing
        cache.compact()
        expect(cache.length).toBe(14)
        const more = [[17, 18], [19], [20, 21, 22]]
        more.forEach((add, b) => (seqs[b] as number[]).push(...add))
        check(model.extend(cache, more, 'all'), more)
        // only some new tokens' logits (the last block's queries at those alone), then none at all
        const some = [[23, 24, 25], [26], [27, 28]]
        some.forEach((add, b) => (seqs[b] as number[]).push(...add))
        check(model.extend(cache, some, [[0, 2], [], [1]]), some)
        const none = [
          [29, 30],
          [31, 32],
          [33, 34]
        ]
        none.forEach((add, b) => (seqs[b] as number[]).push(...add))
        expect(model.extend(cache, none, 'none').logits).toBeNull()
        const last = [[35], [36], [37]]
        last.forEach((add, b) => (seqs[b] as number[]).push(...add))
        check(model.extend(cache, last, 'last'), last)
        cache.dispose()
        expect(tf.memory().numTensors).toBe(before)
      })

      it('select forks and drops rows without touching the original', () => {
        const prompts = tokenRows([5, 3, 7], V, 6)
        const cache = model.createCache(3)
        model.extend(cache, prompts, 'none')
        const fork = cache.select([1, 1, 0])
        expect(fork.rows).toBe(3)
        const out = model.extend(fork, [[30], [31, 32], [33]], 'all')
        const seqs = [
          [...(prompts[1] as number[]), 30],
          [...(prompts[1] as number[]), 31, 32],
          [...(prompts[0] as number[]), 33]
        ]
        const want = [
          aloneLogits(model, seqs[0] as number[])[3],
          ...aloneLogits(model, seqs[1] as number[]).slice(3),
          aloneLogits(model, seqs[2] as number[])[5]
        ] as Float32Array[]
        expectClose(rowsOf(out.logits, V), want)
        expect([...out.rows]).toEqual([0, 1, 1, 2])
        expect([...out.steps]).toEqual([0, 0, 1, 0])
        // explicit outputs: only row 1's first new token
        const twin = cache.select([1])
        const one = model.extend(twin, [[31, 32]], [[0]])
        expect([...one.rows, ...one.steps]).toEqual([0, 0])
        expectClose(rowsOf(one.logits, V), [want[1] as Float32Array])
        one.logits?.dispose()
        twin.dispose()
        // the original still decodes its own rows; dropping row 1 keeps rows 0 and 2
        const kept = cache.select([2, 0])
        const last = model.extend(kept, [[1], [2]])
        expectClose(rowsOf(last.logits, V), [
          aloneLogits(model, [...(prompts[2] as number[]), 1])[7] as Float32Array,
          aloneLogits(model, [...(prompts[0] as number[]), 2])[5] as Float32Array
        ])
        tf.dispose([out.logits as tf.Tensor, last.logits as tf.Tensor])
        for (const c of [cache, fork, kept]) c.dispose()
      })

      it('segments: a new subgoal segment sees the prompt only; forgotten segments compact away', () => {
        const [p, c1, c2] = tokenRows([4, 3, 3], V, 7) as [number[], number[], number[]]
        const cache = model.createCache(1)
        model.extend(cache, [p], 'none')
        const prompt = cache.segmentOf(0)
        cache.startSegment(0, prompt)
        model.extend(cache, [c1], 'none')
        const first = cache.segmentOf(0)
        cache.startSegment(0, prompt)
        const out = model.extend(cache, [c2], 'all')
        expectClose(rowsOf(out.logits, V), aloneLogits(model, [...p, ...c2]).slice(4))
        expect(cache.nextPosition(0)).toBe(7)
        cache.forgetSegment(0, first)
        cache.compact()
        expect(cache.length).toBe(7)
        const next = model.extend(cache, [[5]])
        expectClose(rowsOf(next.logits, V), [
          aloneLogits(model, [...p, ...c2, 5])[7] as Float32Array
        ])
        expect(() => cache.startSegment(0, 99)).toThrow(/no segment 99/)
        tf.dispose([out.logits as tf.Tensor, next.logits as tf.Tensor])
        cache.dispose()
      })

      it('scoreTree: every node gets the logits of its path, the cache is unchanged', () => {
        const prompts = tokenRows([5, 3, 6], V, 8)
        const cache = model.createCache(3)
        model.extend(cache, prompts, 'none')
        const length = cache.length
        const before = tf.memory().numTensors
        // Row 0: 30 → {31 → 33, 32}; row 1: nothing; row 2: two roots 34 and 35 → 36.
        const trees = [
          { tokens: [30, 31, 32, 33], parents: [-1, 0, 0, 1] },
          { tokens: [], parents: [] },
          { tokens: [34, 35, 36], parents: [-1, -1, 1] }
        ]
        const logits = model.scoreTree(cache, trees)
        const [p0, , p2] = prompts as [number[], number[], number[]]
        const want = [
          aloneLogits(model, [...p0, 30])[5],
          aloneLogits(model, [...p0, 30, 31])[6],
          aloneLogits(model, [...p0, 30, 32])[6],
          aloneLogits(model, [...p0, 30, 31, 33])[7],
          aloneLogits(model, [...p2, 34])[6],
          aloneLogits(model, [...p2, 35])[6],
          aloneLogits(model, [...p2, 35, 36])[7]
        ] as Float32Array[]
        expectClose(rowsOf(logits, V), want)
        logits?.dispose()
        expect(tf.memory().numTensors).toBe(before)
        expect(cache.length).toBe(length)
        // The cache still extends as if nothing had been scored.
        const next = model.extend(cache, [[1], [2], [3]])
        expectClose(rowsOf(next.logits, V), [
          aloneLogits(model, [...p0, 1])[5] as Float32Array,
          aloneLogits(model, [...(prompts[1] as number[]), 2])[3] as Float32Array,
          aloneLogits(model, [...p2, 3])[6] as Float32Array
        ])
        next.logits?.dispose()
        expect(
          model.scoreTree(cache, [
            { tokens: [], parents: [] },
            { tokens: [], parents: [] },
            { tokens: [], parents: [] }
          ])
        ).toBeNull()
        expect(() =>
          model.scoreTree(cache, [
            { tokens: [1, 2], parents: [-1, 1] },
            { tokens: [], parents: [] },
            { tokens: [], parents: [] }
          ])
        ).toThrow(/parent/)
        cache.dispose()
      })

      it('refuses tokens past the context and ids outside the vocabulary', () => {
        const cache = model.createCache(1)
        expect(() => model.extend(cache, [Array(TINY.context + 1).fill(1)])).toThrow(/context/)
        expect(() => model.extend(cache, [[V]])).toThrow(/not in vocab/)
        expect(() => model.extend(cache, [[1], [2]])).toThrow(/rows/)
        expect(() => model.extend(cache, [[1, 2]], [[2]])).toThrow(/no output at 2/)
        cache.dispose()
      })
    })
  })
}

describe('weights', () => {
  it('save → load gives identical logits; a mismatched config is refused', () => {
    const other = createTransformerLM(TINY, 99)
    const row = (tokenRows([8], V, 8)[0] ?? []) as number[]
    const mine = aloneLogits(model, row)
    expect(
      maxAbsDiff(aloneLogits(other, row)[7] as Float32Array, mine[7] as Float32Array)
    ).toBeGreaterThan(1e-3)
    const saved = model.serialize()
    expect(saved.data.length).toBe(parameterCount(TINY))
    expect(saved.names[0]).toBe('tok_emb')
    other.load(saved)
    aloneLogits(other, row).forEach((l, i) =>
      expect(maxAbsDiff(l, mine[i] as Float32Array)).toBe(0)
    )
    const copy = transformerFromWeights(saved)
    aloneLogits(copy, row).forEach((l, i) => expect(maxAbsDiff(l, mine[i] as Float32Array)).toBe(0))
    const wider = createTransformerLM({ ...TINY, dModel: 32 }, 1)
    expect(() => wider.load(saved)).toThrow(/dModel/)
    expect(() => other.load({ ...saved, data: saved.data.slice(1) })).toThrow(/floats/)
    for (const m of [other, copy, wider]) m.dispose()
  })
})

describe('tied head', () => {
  it('scores tokens with the embedding: the logits of an untied model whose head is the embedding transposed; gradient reaches the embedding through the head', () => {
    const tied = createTransformerLM({ ...TINY, tiedHead: true }, 5)
    const untied = createTransformerLM(TINY, 5)
    const saved = tied.serialize()
    expect(saved.names).not.toContain('head')
    expect(saved.data.length).toBe(parameterCount({ ...TINY, tiedHead: true }))
    expect(parameterCount(TINY) - saved.data.length).toBe(TINY.vocab * TINY.dModel)
    // The untied model's weights: the tied model's, and head = tok_embᵀ.
    const byName = new Map<string, Float32Array>()
    let o = 0
    saved.names.forEach((n, i) => {
      const size = (saved.shapes[i] as number[]).reduce((a, b) => a * b, 1)
      byName.set(n, saved.data.slice(o, o + size))
      o += size
    })
    const emb = byName.get('tok_emb') as Float32Array
    const d = TINY.dModel
    const headT = new Float32Array(d * V)
    for (let t = 0; t < V; t++)
      for (let j = 0; j < d; j++) headT[j * V + t] = emb[t * d + j] as number
    byName.set('head', headT)
    const target = untied.serialize()
    const data = new Float32Array(target.data.length)
    o = 0
    target.names.forEach((n) => {
      const w = byName.get(n) as Float32Array
      data.set(w, o)
      o += w.length
    })
    untied.load({ ...target, data })
    const row = (tokenRows([9], V, 3)[0] ?? []) as number[]
    expectClose(aloneLogits(tied, row), aloneLogits(untied, row))
    if (available) {
      // The native kernels' fused matmul with a transposed operand and a bias: the same logits.
      expect(installNativeKernels().enabled).toBe(true)
      try {
        expectClose(aloneLogits(tied, row), aloneLogits(untied, row))
      } finally {
        uninstallNativeKernels()
      }
    }
    // A token that is never an input still gets gradient in its embedding row (through the head).
    const unused = [...Array(V).keys()].find((t) => !row.includes(t)) as number
    const tokens = tf.tensor2d([row], [1, row.length], 'int32')
    const targets = tf.tensor2d([row.map(() => unused)], [1, row.length], 'int32')
    const advantages = tf.ones([1, row.length]) as tf.Tensor2D
    const embVar = tied.variables[0] as tf.Variable
    const { grads } = tf.variableGrads(() => tied.policyLoss(tokens, targets, advantages), [embVar])
    const g = grads[embVar.name]!.arraySync() as number[][]
    expect(Math.max(...(g[unused] as number[]).map(Math.abs))).toBeGreaterThan(0)
    tf.dispose([tokens, targets, advantages, ...Object.values(grads)])
    // Tied and untied weights do not load into each other.
    expect(() => untied.load(saved)).toThrow(/tiedHead/)
    expect(() => tied.load(untied.serialize())).toThrow(/tiedHead/)
    tied.dispose()
    untied.dispose()
  })
})

describe('initial weights', () => {
  it('are the same for the same seed, seed 0 included (tfjs reads seed 0 as unseeded)', () => {
    for (const seed of [0, 1]) {
      const a = createTransformerLM(TINY, seed)
      const b = createTransformerLM(TINY, seed)
      expect(Array.from(a.serialize().data)).toEqual(Array.from(b.serialize().data))
      a.dispose()
      b.dispose()
    }
    const zero = createTransformerLM(TINY, 0)
    const one = createTransformerLM(TINY, 1)
    expect(zero.serialize().data[0]).not.toBe(one.serialize().data[0])
    zero.dispose()
    one.dispose()
  })
})
