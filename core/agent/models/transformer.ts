// The causal transformer language model of the LM agent (and the model `himac bench` measures):
// pre-LayerNorm blocks, separate q/k/v projections with 4-D transposes, GELU written with x*x*x,
// embedding via tf.gather, untied head (tied on request), learned positions — the layout the wasm
// backend runs fast
// (toolchain.md §3). Padding, packed segments and incremental decoding with a KV cache share one
// block function; without a layout the forward pass is exactly the reference benchmark's.
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import { attentionSoftmax } from './attention-softmax'
import { gelu } from './gelu'
import { layerNorm } from './layer-norm'
import { logSoftmax } from './log-softmax'
import { layoutMasks, type SequenceLayout } from './attention-layout'
import { KvCache, type ExtendPlan, type LayerKV } from './kv-cache'
import { querySlots, slotMask } from './query-slots'

export const transformerConfigSchema = z
  .object({
    vocab: z.int().positive(),
    dModel: z.int().positive(),
    layers: z.int().positive(),
    heads: z.int().positive(),
    /** Longest path (positional table size). */
    context: z.int().positive(),
    /** Feed-forward width = ffMult × dModel. */
    ffMult: z.int().positive(),
    /**
     * The output head is the token embedding (transposed; its own bias kept): a token's logit is
     * the residual stream's dot product with that token's embedding, so copying a word of the
     * prompt (the task's object into `take <object>`) is one shared attention map, not a mapping
     * learned per word. Absent = an untied head (every model before this flag).
     */
    tiedHead: z.boolean().optional()
  })
  .strict()
  .refine((c) => c.dModel % c.heads === 0, { message: 'dModel must be divisible by heads' })

export type TransformerConfig = z.infer<typeof transformerConfigSchema>

/** The benchmark model: 512 vocab, d_model 128, 2 layers, 4 heads, context 128. */
export const REFERENCE_TRANSFORMER: TransformerConfig = {
  vocab: 512,
  dModel: 128,
  layers: 2,
  heads: 4,
  context: 128,
  ffMult: 4
}

/** Weights as one Float32Array in `variables` order, with names, shapes and the config. */
export type SerializedTransformer = {
  config: TransformerConfig
  names: string[]
  shapes: number[][]
  data: Float32Array
}

/** New tokens as a tree: parents[i] < i is the node token i continues, −1 the cached end. */
export type TokenTree = { tokens: readonly number[]; parents: readonly number[] }

/** Which of the new tokens of an extend get logits. */
export type ExtendOutputs = 'last' | 'all' | 'none' | readonly (readonly number[])[]

export type ExtendResult = {
  /** [K, vocab] logits, or null when no position was asked for. */
  logits: tf.Tensor2D | null
  /** Row and index (within that row's new tokens) of each logits row. */
  rows: Int32Array
  steps: Int32Array
}

export type TransformerLM = {
  readonly config: TransformerConfig
  /** All trainable weights, in a fixed order. */
  readonly variables: tf.Variable[]
  /** Logits [B, T, vocab] for int32 tokens [B, T] (T ≤ context), causal within the layout. */
  logits(tokens: tf.Tensor2D, layout?: SequenceLayout): tf.Tensor3D
  /** Logits [K, vocab] only at the flat positions `at` (b·T + t): the head runs on K rows. */
  logitsAt(
    tokens: tf.Tensor2D,
    at: Int32Array | readonly number[],
    layout?: SequenceLayout
  ): tf.Tensor2D
  /** log π(target_t | tokens_≤t), shape [B, T] (padding positions hold meaningless values). */
  tokenLogProbs(tokens: tf.Tensor2D, targets: tf.Tensor2D, layout?: SequenceLayout): tf.Tensor2D
  /** REINFORCE loss −mean(log π(target) · advantage) over all B·T positions. */
  policyLoss(tokens: tf.Tensor2D, targets: tf.Tensor2D, advantages: tf.Tensor2D): tf.Scalar
  /** An empty KV cache for `rows` sequences. */
  createCache(rows: number): KvCache
  /**
   * Appends tokens[b] (possibly none) to row b of the cache, in the row's current segment, and
   * returns logits for `outputs` (default: each non-empty row's last new token). Prefill is the
   * first extend. Not differentiable (the cache keeps no tape).
   */
  extend(
    cache: KvCache,
    tokens: readonly (readonly number[])[],
    outputs?: ExtendOutputs
  ): ExtendResult
  /**
   * Logits after every node of one token tree per row, on top of the cache, which is left as it
   * was: node i of row b continues node parents[b][i] (< i; −1: the row's cached end) and sees the
   * columns its row sees plus its own ancestors, so it gets exactly the logits of an extend of its
   * path. Rows [Σ nodes, vocab] in row-major node order; null when no row has a node. Scores many
   * continuations that share prefixes (a decision's candidate actions) in one pass, no forks.
   */
  scoreTree(cache: KvCache, trees: readonly TokenTree[]): tf.Tensor2D | null
  serialize(): SerializedTransformer
  /** Loads weights of the same config (e.g. from another model's serialize). */
  load(weights: SerializedTransformer): void
  dispose(): void
}

export function parameterCount(config: TransformerConfig): number {
  const { vocab: v, dModel: d, layers, context: t, ffMult } = config
  const f = d * ffMult
  const block = 4 * (d * d + d) + 4 * d + (d * f + f) + (f * d + d)
  return v * d + t * d + layers * block + 2 * d + (config.tiedHead ? 0 : d * v) + v
}

/**
 * Model FLOPs per token of one forward pass over sequences of `seq` tokens: the dense layers,
 * attention scores and mixing as computed (every key, the causal half masked, not skipped) and the
 * head; embeddings, norms and elementwise work are left out. A training step is 3× (forward and a
 * backward of twice its cost), the usual accounting for model FLOP utilisation.
 */
export function forwardFlopsPerToken(config: TransformerConfig, seq: number): number {
  const { vocab: v, dModel: d, layers, ffMult } = config
  const dense = 2 * (4 * d * d + 2 * d * d * ffMult)
  const attention = 2 * 2 * seq * d
  return layers * (dense + attention) + 2 * d * v
}

type Block = {
  ln1g: tf.Variable
  ln1b: tf.Variable
  wq: tf.Variable
  bq: tf.Variable
  wk: tf.Variable
  bk: tf.Variable
  wv: tf.Variable
  bv: tf.Variable
  wo: tf.Variable
  bo: tf.Variable
  ln2g: tf.Variable
  ln2b: tf.Variable
  w1: tf.Variable
  b1: tf.Variable
  w2: tf.Variable
  b2: tf.Variable
}

// Variable names must be unique per tfjs engine.
let modelCount = 0

/** Builds the model with weights drawn deterministically from `seed`. */
export function createTransformerLM(config: TransformerConfig, seed: number): TransformerLM {
  const {
    vocab,
    dModel: d,
    layers,
    heads,
    context,
    ffMult,
    tiedHead
  } = transformerConfigSchema.parse(config)
  const dh = d / heads
  const f = d * ffMult
  let next = seed >>> 0
  const variables: tf.Variable[] = []
  const names: string[] = []
  const uid = `transformer${++modelCount}`
  // tf.variable keeps its own reference to the initial buffer; the initial tensor is disposed here.
  const own = (init: tf.Tensor, name: string): tf.Variable => {
    const v = tf.variable(init, true, `${uid}/${name}`)
    init.dispose()
    variables.push(v)
    names.push(name)
    return v
  }
  // tfjs reads seed 0 as "no seed" (Math.random): seed 0's first tensor gets 2^32 instead, a seed
  // no other tensor uses (configs' seeds stay below 2^31).
  const normal = (shape: number[], std: number, name: string): tf.Variable => {
    const s = next++
    return own(tf.randomNormal(shape, 0, std, 'float32', s === 0 ? 2 ** 32 : s), name)
  }
  const filled = (shape: number[], value: number, name: string): tf.Variable =>
    own(tf.fill(shape, value), name)
  const tokEmb = normal([vocab, d], 0.02, 'tok_emb')
  const posEmb = normal([context, d], 0.02, 'pos_emb')
  const blocks: Block[] = []
  for (let l = 0; l < layers; l++) {
    const p = (s: string): string => `h${l}/${s}`
    const proj = 1 / Math.sqrt(d)
    blocks.push({
      ln1g: filled([d], 1, p('ln1_g')),
      ln1b: filled([d], 0, p('ln1_b')),
      wq: normal([d, d], proj, p('wq')),
      bq: filled([d], 0, p('bq')),
      wk: normal([d, d], proj, p('wk')),
      bk: filled([d], 0, p('bk')),
      wv: normal([d, d], proj, p('wv')),
      bv: filled([d], 0, p('bv')),
      wo: normal([d, d], proj / Math.sqrt(2 * layers), p('wo')),
      bo: filled([d], 0, p('bo')),
      ln2g: filled([d], 1, p('ln2_g')),
      ln2b: filled([d], 0, p('ln2_b')),
      w1: normal([d, f], proj, p('w1')),
      b1: filled([f], 0, p('b1')),
      w2: normal([f, d], 1 / Math.sqrt(f) / Math.sqrt(2 * layers), p('w2')),
      b2: filled([d], 0, p('b2'))
    })
  }
  const lnfG = filled([d], 1, 'lnf_g')
  const lnfB = filled([d], 0, 'lnf_b')
  const head = tiedHead ? null : normal([d, vocab], 1 / Math.sqrt(d), 'head')
  const headB = filled([vocab], 0, 'head_b')

  const masks = new Map<number, tf.Tensor2D>()
  const causalMask = (t: number): tf.Tensor2D => {
    let m = masks.get(t)
    if (!m) {
      const values = new Float32Array(t * t)
      for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) values[i * t + j] = -1e9
      m = tf.keep(tf.tensor2d(values, [t, t]))
      masks.set(t, m)
    }
    return m
  }

  // One _FusedMatMul: the native kernel writes the bias into C and adds the product to it (the same
  // float sums as a separate Add, without its pass over the output).
  const dense = (x2: tf.Tensor2D, w: tf.Variable, b: tf.Variable): tf.Tensor2D =>
    tf.fused.matMul({ a: x2, b: w as tf.Tensor2D, bias: b }) as tf.Tensor2D

  const feedForward = (x: tf.Tensor2D, blk: Block): tf.Tensor2D =>
    dense(gelu(dense(layerNorm(x, blk.ln2g, blk.ln2b), blk.w1, blk.b1)), blk.w2, blk.b2)

  /**
   * The blocks over x [B·S, d] (S new tokens per row) with an additive mask broadcast over heads
   * ([S, P+S] or [B, 1, S, P+S]) after `past` cached columns. Returns the residual stream (only the
   * rows `outAt` when given, in that order) and, when asked, every layer's keys/values over past +
   * new columns. With `outAt`, the last block computes its queries, attention and feed-forward only
   * at those positions (keys and values still at all of them): the other positions' outputs would
   * feed nothing.
   */
  const runBlocks = (
    x0: tf.Tensor2D,
    bsz: number,
    s: number,
    mask: tf.Tensor,
    past: readonly LayerKV[] | null,
    keepKV: boolean,
    outAt: Int32Array | null = null
  ): { x: tf.Tensor2D; kv: LayerKV[] } => {
    const scale = 1 / Math.sqrt(dh)
    const kv: LayerKV[] = []
    const slots = outAt ? querySlots(outAt, bsz, s) : null
    let x = x0
    blocks.forEach((blk, l) => {
      const h = layerNorm(x, blk.ln1g, blk.ln1b)
      // [B,S,H,dh] → q,v: [B,H,S,dh]; k directly as [B,H,dh,S] (no transpose flag in the matmul).
      let kT = dense(h, blk.wk, blk.bk)
        .reshape([bsz, s, heads, dh])
        .transpose([0, 2, 3, 1]) as tf.Tensor4D
      let v = dense(h, blk.wv, blk.bv)
        .reshape([bsz, s, heads, dh])
        .transpose([0, 2, 1, 3]) as tf.Tensor4D
      const prev = past?.[l]
      if (prev) {
        kT = tf.concat([prev.kT, kT], 3)
        v = tf.concat([prev.v, v], 2)
      }
      if (keepKV) kv.push({ kT, v })
      const attend = (hq: tf.Tensor2D, rows: number, m: tf.Tensor): tf.Tensor2D => {
        const q = dense(hq, blk.wq, blk.bq).reshape([bsz, rows, heads, dh]).transpose([0, 2, 1, 3])
        const att = attentionSoftmax(tf.matMul(q as tf.Tensor4D, kT), m, scale)
        return tf
          .matMul(att as tf.Tensor4D, v)
          .transpose([0, 2, 1, 3])
          .reshape([bsz * rows, d]) as tf.Tensor2D
      }
      if (l === layers - 1 && slots) {
        if (slots.order.length === 0) {
          x = tf.zeros([0, d])
          return
        }
        const source = tf.tensor1d(slots.source, 'int32')
        const o = tf.gather(
          attend(tf.gather(h, source), slots.width, slotMask(mask, slots, bsz, s)),
          tf.tensor1d(slots.order, 'int32')
        )
        const xs = tf.gather(x, tf.tensor1d(outAt as Int32Array, 'int32'))
        x = xs.add(dense(o, blk.wo, blk.bo))
        x = x.add(feedForward(x, blk))
        return
      }
      x = x.add(dense(attend(h, s, mask), blk.wo, blk.bo))
      x = x.add(feedForward(x, blk))
    })
    if (outAt && !slots) x = tf.gather(x, tf.tensor1d(outAt, 'int32'))
    return { x, kv }
  }

  const headOf = (x2: tf.Tensor2D): tf.Tensor2D => {
    const h = layerNorm(x2, lnfG, lnfB)
    if (head) return dense(h, head, headB)
    return tf.fused.matMul({
      a: h,
      b: tokEmb as tf.Tensor2D,
      transposeB: true,
      bias: headB
    }) as tf.Tensor2D
  }

  const embed = (tokens: tf.Tensor, positions: tf.Tensor1D | null, bsz: number, t: number) => {
    const n = bsz * t
    const emb = tf.gather(tokEmb, tokens.reshape([n]).toInt())
    if (positions) return emb.add(tf.gather(posEmb, positions)) as tf.Tensor2D
    const pos = posEmb.slice([0, 0], [t, d])
    return emb.reshape([bsz, t, d]).add(pos).reshape([n, d]) as tf.Tensor2D
  }

  // Residual stream [B·T, d] of a full batch (only the flat positions `at`, in that order, if given).
  const hidden = (
    tokens: tf.Tensor2D,
    layout?: SequenceLayout,
    at: Int32Array | null = null
  ): tf.Tensor2D => {
    const [bsz, t] = tokens.shape
    if (t > context) throw new Error(`sequence length ${t} exceeds context ${context}`)
    if (!layout)
      return runBlocks(embed(tokens, null, bsz, t), bsz, t, causalMask(t), null, false, at).x
    const { positions, mask } = layoutMasks(layout, bsz, t)
    const x = embed(tokens, tf.tensor1d(positions, 'int32'), bsz, t)
    return runBlocks(x, bsz, t, tf.tensor4d(mask, [bsz, 1, t, t]), null, false, at).x
  }

  const tokenLogProbs = (
    tokens: tf.Tensor2D,
    targets: tf.Tensor2D,
    layout?: SequenceLayout
  ): tf.Tensor2D =>
    tf.tidy(() => {
      const [bsz, t] = tokens.shape
      const n = bsz * t
      const logp = logSoftmax(headOf(hidden(tokens, layout)))
      // Flat gather of logp[i, target_i]: its gradient is one UnsortedSegmentSum (patched in).
      const idx = tf
        .range(0, n, 1, 'int32')
        .mul(tf.scalar(vocab, 'int32'))
        .add(targets.reshape([n]).toInt())
      return tf.gather(logp.reshape([n * vocab]), idx).reshape([bsz, t]) as tf.Tensor2D
    })

  const outputIndex = (plan: { width: number; counts: Int32Array }, outputs: ExtendOutputs) => {
    const rows: number[] = []
    const steps: number[] = []
    plan.counts.forEach((n, b) => {
      const wanted =
        outputs === 'last'
          ? n > 0
            ? [n - 1]
            : []
          : outputs === 'all'
            ? Array.from({ length: n }, (_, i) => i)
            : outputs === 'none'
              ? []
              : (outputs[b] ?? [])
      for (const i of wanted) {
        if (!Number.isInteger(i) || i < 0 || i >= n) {
          throw new Error(`row ${b} has ${n} new tokens; no output at ${i}`)
        }
        rows.push(b)
        steps.push(i)
      }
    })
    return { rows: Int32Array.from(rows), steps: Int32Array.from(steps) }
  }

  const checkVocab = (tokens: readonly (readonly number[])[]) => {
    for (const row of tokens) {
      for (const id of row) {
        if (!Number.isInteger(id) || id < 0 || id >= vocab)
          throw new Error(`token ${id} not in vocab`)
      }
    }
  }

  // The blocks over a plan's new tokens on top of the cache: logits at (rows, steps), then (with
  // keepKV) every layer's K^T and V, cached columns and new ones.
  const onCache = (
    cache: KvCache,
    plan: ExtendPlan,
    rows: Int32Array,
    steps: Int32Array,
    keepKV: boolean
  ): tf.Tensor[] =>
    tf.tidy(() => {
      const bsz = cache.rows
      const s = plan.width
      const keys = cache.length + s
      const x0 = embed(
        tf.tensor2d(plan.tokens, [bsz, s], 'int32'),
        tf.tensor1d(plan.positions, 'int32'),
        bsz,
        s
      )
      const mask = tf.tensor4d(plan.mask, [bsz, 1, s, keys])
      const at = Int32Array.from(rows, (b, k) => b * s + (steps[k] as number))
      const { x, kv } = runBlocks(x0, bsz, s, mask, cache.layers, keepKV, at)
      const out = at.length > 0 ? headOf(x) : tf.zeros([0, vocab])
      return [out, ...kv.flatMap((l) => [l.kT, l.v])]
    })

  const model: TransformerLM = {
    config: { vocab, dModel: d, layers, heads, context, ffMult, ...(tiedHead ? { tiedHead } : {}) },
    variables,
    logits: (tokens, layout) =>
      tf.tidy(() => {
        const [bsz, t] = tokens.shape
        return headOf(hidden(tokens, layout)).reshape([bsz, t, vocab]) as tf.Tensor3D
      }),
    logitsAt: (tokens, at, layout) =>
      tf.tidy(() => headOf(hidden(tokens, layout, Int32Array.from(at)))),
    tokenLogProbs,
    policyLoss: (tokens, targets, advantages) =>
      tf.tidy(() => tokenLogProbs(tokens, targets).mul(advantages).mean().neg() as tf.Scalar),
    createCache: (rows) => {
      if (!Number.isInteger(rows) || rows < 0) throw new Error(`bad row count ${rows}`)
      return new KvCache(rows)
    },
    extend: (cache, tokens, outputs = 'last') => {
      checkVocab(tokens)
      const plan = cache.plan(tokens, context)
      const { rows, steps } = outputIndex(plan, outputs)
      if (plan.width === 0) return { logits: null, rows, steps }
      const [logits, ...flat] = onCache(cache, plan, rows, steps, true)
      const kv: LayerKV[] = []
      for (let l = 0; l < layers; l++) {
        kv.push({ kT: flat[2 * l] as tf.Tensor4D, v: flat[2 * l + 1] as tf.Tensor4D })
      }
      cache.commit(plan, kv)
      if (rows.length === 0) {
        ;(logits as tf.Tensor).dispose()
        return { logits: null, rows, steps }
      }
      return { logits: logits as tf.Tensor2D, rows, steps }
    },
    scoreTree: (cache, trees) => {
      const tokens = trees.map((t) => t.tokens)
      checkVocab(tokens)
      const plan = cache.plan(
        tokens,
        context,
        trees.map((t) => t.parents)
      )
      const { rows, steps } = outputIndex(plan, 'all')
      if (rows.length === 0) return null
      const [logits] = onCache(cache, plan, rows, steps, false)
      return logits as tf.Tensor2D
    },
    serialize: () => {
      const parts = variables.map((v) => v.dataSync() as Float32Array)
      const data = new Float32Array(parts.reduce((p, a) => p + a.length, 0))
      let o = 0
      for (const p of parts) {
        data.set(p, o)
        o += p.length
      }
      return {
        config: { ...model.config },
        names: [...names],
        shapes: variables.map((v) => [...v.shape]),
        data
      }
    },
    load: (weights) => {
      const mine = model.config
      const theirs = weights.config
      const keys = [
        ...new Set([...Object.keys(mine), ...Object.keys(theirs)])
      ] as (keyof TransformerConfig)[]
      // An absent tiedHead is an untied head.
      const diff = keys.filter((k) => (mine[k] ?? false) !== (theirs[k] ?? false))
      if (diff.length > 0)
        throw new Error(`weights are for another config (${diff.join(', ')} differ)`)
      if (weights.names.join() !== names.join())
        throw new Error('weights have other variable names')
      const total = variables.reduce((p, v) => p + v.size, 0)
      if (weights.data.length !== total) {
        throw new Error(`weights hold ${weights.data.length} floats, the model ${total}`)
      }
      let o = 0
      variables.forEach((v, i) => {
        const shape = weights.shapes[i]
        if (!shape || shape.join() !== v.shape.join()) {
          throw new Error(`weight ${names[i]} has shape [${shape}] not [${v.shape}]`)
        }
        const t = tf.tensor(weights.data.slice(o, o + v.size), v.shape)
        v.assign(t)
        t.dispose()
        o += v.size
      })
    },
    dispose: () => {
      for (const v of variables) v.dispose()
      for (const m of masks.values()) m.dispose()
      masks.clear()
    }
  }
  return model
}

/** A new model holding the given weights. */
export function transformerFromWeights(weights: SerializedTransformer): TransformerLM {
  const model = createTransformerLM(weights.config, 0)
  try {
    model.load(weights)
  } catch (err) {
    model.dispose()
    throw err
  }
  return model
}

/** A new model (its own variables) holding a copy of `model`'s weights. */
export function copyTransformer(model: TransformerLM, seed = 0): TransformerLM {
  const copy = createTransformerLM(model.config, seed)
  copy.load(model.serialize())
  return copy
}
