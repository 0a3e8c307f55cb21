// The reference causal transformer LM policy (toolchain.md §3): pre-LayerNorm blocks, separate q/k/v
// projections with 4-D transposes, GELU written with x*x*x, embedding via tf.gather, untied head.
// This layout is what the wasm backend runs fast; it is also the model `himac bench` measures.
import * as tf from '@tensorflow/tfjs'

export type TransformerConfig = {
  vocab: number
  dModel: number
  layers: number
  heads: number
  /** Longest sequence (positional table size). */
  context: number
  /** Feed-forward width = ffMult × dModel. */
  ffMult: number
}

/** The benchmark model: 512 vocab, d_model 128, 2 layers, 4 heads, context 128. */
export const REFERENCE_TRANSFORMER: TransformerConfig = {
  vocab: 512,
  dModel: 128,
  layers: 2,
  heads: 4,
  context: 128,
  ffMult: 4
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

export type TransformerPolicy = {
  config: TransformerConfig
  /** All trainable weights, in a fixed order. */
  variables: tf.Variable[]
  /** Logits [B, T, vocab] for int32 tokens [B, T] (T ≤ context), causal. */
  logits(tokens: tf.Tensor2D): tf.Tensor3D
  /** log π(target_t | tokens_≤t), shape [B, T]. */
  tokenLogProbs(tokens: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor2D
  /** REINFORCE loss −mean(log π(target) · advantage) over all B·T positions. */
  policyLoss(tokens: tf.Tensor2D, targets: tf.Tensor2D, advantages: tf.Tensor2D): tf.Scalar
  dispose(): void
}

export function parameterCount(config: TransformerConfig): number {
  const { vocab: v, dModel: d, layers, context: t, ffMult } = config
  const f = d * ffMult
  const block = 4 * (d * d + d) + 4 * d + (d * f + f) + (f * d + d)
  return v * d + t * d + layers * block + 2 * d + (d * v + v)
}

// Variable names must be unique per tfjs engine.
let modelCount = 0

/** Builds the policy with weights drawn deterministically from `seed`. */
export function createTransformerPolicy(
  config: TransformerConfig,
  seed: number
): TransformerPolicy {
  const { vocab, dModel: d, layers, heads, context, ffMult } = config
  if (d % heads !== 0) throw new Error(`dModel ${d} is not divisible by heads ${heads}`)
  const dh = d / heads
  const f = d * ffMult
  let next = seed >>> 0
  const variables: tf.Variable[] = []
  // tf.variable keeps its own reference to the initial buffer; the initial tensor is disposed here.
  const own = (init: tf.Tensor, name: string): tf.Variable => {
    const v = tf.variable(init, true, name)
    init.dispose()
    variables.push(v)
    return v
  }
  const normal = (shape: number[], std: number, name: string): tf.Variable =>
    own(tf.randomNormal(shape, 0, std, 'float32', next++), name)
  const filled = (shape: number[], value: number, name: string): tf.Variable =>
    own(tf.fill(shape, value), name)
  const uid = `transformer${++modelCount}`
  const name = (s: string): string => `${uid}/${s}`
  const tokEmb = normal([vocab, d], 0.02, name('tok_emb'))
  const posEmb = normal([context, d], 0.02, name('pos_emb'))
  const blocks: Block[] = []
  for (let l = 0; l < layers; l++) {
    const p = (s: string): string => name(`h${l}/${s}`)
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
  const lnfG = filled([d], 1, name('lnf_g'))
  const lnfB = filled([d], 0, name('lnf_b'))
  const head = normal([d, vocab], 1 / Math.sqrt(d), name('head'))
  const headB = filled([vocab], 0, name('head_b'))

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

  // Rows of x2 [N, d] normalised over the last axis.
  const layerNorm = (x2: tf.Tensor2D, g: tf.Variable, b: tf.Variable): tf.Tensor2D => {
    const { mean, variance } = tf.moments(x2, -1, true)
    return x2.sub(mean).mul(variance.add(1e-5).rsqrt()).mul(g).add(b) as tf.Tensor2D
  }
  const gelu = (x: tf.Tensor2D): tf.Tensor2D => {
    const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))
    return x.mul(0.5).mul(inner.tanh().add(1)) as tf.Tensor2D
  }
  const dense = (x2: tf.Tensor2D, w: tf.Variable, b: tf.Variable): tf.Tensor2D =>
    tf.matMul(x2, w as tf.Tensor2D).add(b) as tf.Tensor2D

  // Hidden states [B*T, d] → logits [B*T, vocab].
  const forward2d = (tokens: tf.Tensor2D): tf.Tensor2D => {
    const [bsz, t] = tokens.shape
    if (t > context) throw new Error(`sequence length ${t} exceeds context ${context}`)
    const n = bsz * t
    const emb = tf.gather(tokEmb, tokens.reshape([n]).toInt())
    const pos = posEmb.slice([0, 0], [t, d])
    let x = emb.reshape([bsz, t, d]).add(pos).reshape([n, d]) as tf.Tensor2D
    const mask = causalMask(t)
    const scale = 1 / Math.sqrt(dh)
    for (const blk of blocks) {
      const h = layerNorm(x, blk.ln1g, blk.ln1b)
      // [B,T,H,dh] → q,v: [B,H,T,dh]; k directly as [B,H,dh,T] (no transpose flag in the matmul).
      const q = dense(h, blk.wq, blk.bq).reshape([bsz, t, heads, dh]).transpose([0, 2, 1, 3])
      const kT = dense(h, blk.wk, blk.bk).reshape([bsz, t, heads, dh]).transpose([0, 2, 3, 1])
      const v = dense(h, blk.wv, blk.bv).reshape([bsz, t, heads, dh]).transpose([0, 2, 1, 3])
      const att = tf.softmax(
        tf
          .matMul(q as tf.Tensor4D, kT as tf.Tensor4D)
          .mul(scale)
          .add(mask)
      )
      const o = tf
        .matMul(att as tf.Tensor4D, v as tf.Tensor4D)
        .transpose([0, 2, 1, 3])
        .reshape([n, d])
      x = x.add(dense(o as tf.Tensor2D, blk.wo, blk.bo))
      const ff = dense(
        gelu(dense(layerNorm(x, blk.ln2g, blk.ln2b), blk.w1, blk.b1)),
        blk.w2,
        blk.b2
      )
      x = x.add(ff)
    }
    return dense(layerNorm(x, lnfG, lnfB), head, headB)
  }

  const tokenLogProbs = (tokens: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => {
      const [bsz, t] = tokens.shape
      const n = bsz * t
      const logp = tf.logSoftmax(forward2d(tokens))
      // Flat gather of logp[i, target_i]: its gradient is one UnsortedSegmentSum (patched in).
      const idx = tf
        .range(0, n, 1, 'int32')
        .mul(tf.scalar(vocab, 'int32'))
        .add(targets.reshape([n]).toInt())
      return tf.gather(logp.reshape([n * vocab]), idx).reshape([bsz, t]) as tf.Tensor2D
    })

  return {
    config,
    variables,
    logits: (tokens) =>
      tf.tidy(() => {
        const [bsz, t] = tokens.shape
        return forward2d(tokens).reshape([bsz, t, vocab]) as tf.Tensor3D
      }),
    tokenLogProbs,
    policyLoss: (tokens, targets, advantages) =>
      tf.tidy(() => tokenLogProbs(tokens, targets).mul(advantages).mean().neg() as tf.Scalar),
    dispose: () => {
      for (const v of variables) v.dispose()
      for (const m of masks.values()) m.dispose()
      masks.clear()
    }
  }
}
