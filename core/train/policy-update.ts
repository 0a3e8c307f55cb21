// One PPO update of an MLP policy on a batch of (features, action, advantage) samples: shuffled
// minibatches, the clipped surrogate, an entropy bonus, a KL penalty to a frozen reference policy,
// and gradient-norm clipping. Old log-probs are the ones recorded when the actions were sampled.
import * as tf from '@tensorflow/tfjs'
import type { ExperimentConfig } from '../api/config'
import type { MlpPolicy } from '../agent/models/mlp-policy'
import type { Rng } from '../rng'
import { klPenalty, meanEntropy, ppoLoss } from './ppo-loss'

export type PpoSamples = {
  features: Float32Array
  actions: Int32Array
  advantages: Float32Array
  /** log π_old(a|s) at the sampling temperature, recorded by the sampler. */
  oldLogProbs: Float32Array
  count: number
}

export type Update = {
  loss: number
  entropy: number
  clipFraction: number
  /** Mean KL(π ‖ π_ref) estimate over the samples (k3), 0 without a reference. */
  kl: number
  /** Global gradient norm before clipping, averaged over minibatch steps. */
  gradNorm: number
  /** max |ratio − 1| on the first minibatch of the first epoch (0 up to float error). */
  firstRatioDeviation: number
  /** The old log-prob of each sample's action, as the update used it. */
  oldLogProbs: Float32Array
}

export type UpdateConfig = Pick<
  ExperimentConfig,
  | 'clipEpsilon'
  | 'ppoEpochs'
  | 'minibatches'
  | 'entropyCoef'
  | 'klCoef'
  | 'maxGradNorm'
  | 'temperature'
>

/** Sample indices shuffled with the run's generator, cut into `n` nearly equal minibatches. */
export function minibatchIndices(count: number, n: number, rng: Rng): Int32Array[] {
  const order = Int32Array.from({ length: count }, (_, i) => i)
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const tmp = order[i] as number
    order[i] = order[j] as number
    order[j] = tmp
  }
  const parts = Math.max(1, Math.min(n, count))
  return Array.from({ length: parts }, (_, p) =>
    order.slice(Math.floor((p * count) / parts), Math.floor(((p + 1) * count) / parts))
  )
}

export function policyUpdate(
  policy: MlpPolicy,
  optimizer: tf.Optimizer,
  config: UpdateConfig,
  samples: PpoSamples,
  options: { reference?: MlpPolicy; rng: Rng }
): Update {
  const d = policy.config.inputSize
  const k = policy.config.numActions
  const x = tf.tensor2d(samples.features, [samples.count, d])
  const onehot = tf.tidy(() => tf.oneHot(tf.tensor1d(samples.actions, 'int32'), k))
  const adv = tf.tensor1d(samples.advantages)
  const oldLogp = tf.tensor1d(samples.oldLogProbs)
  // The policy as sampled: at the rollout temperature, so that π_old is the sampler's π.
  const logpAllOf = (p: MlpPolicy, xs: tf.Tensor2D): tf.Tensor2D =>
    tf.logSoftmax(tf.div(p.logits(xs), config.temperature) as tf.Tensor2D)
  const refLogp = options.reference
    ? tf.tidy(() => tf.sum(tf.mul(logpAllOf(options.reference!, x), onehot), 1))
    : null
  const sums = { loss: 0, entropy: 0, clipFraction: 0, kl: 0, gradNorm: 0, steps: 0 }
  let firstRatioDeviation = 0
  for (let epoch = 0; epoch < config.ppoEpochs; epoch++) {
    for (const idx of minibatchIndices(samples.count, config.minibatches, options.rng)) {
      const first = sums.steps === 0
      const stats = tf.tidy(() => {
        const ids = tf.tensor1d(idx, 'int32')
        const xb = tf.gather(x, ids) as tf.Tensor2D
        const hot = tf.gather(onehot, ids)
        const oldB = tf.gather(oldLogp, ids) as tf.Tensor1D
        const advB = tf.gather(adv, ids) as tf.Tensor1D
        const refB = refLogp ? (tf.gather(refLogp, ids) as tf.Tensor1D) : null
        // Read inside the loss function: its intermediate tensors are disposed when it returns.
        const seen = { entropy: 0, clipFraction: 0, kl: 0, ratioDev: 0 }
        const { value, grads } = tf.variableGrads(() => {
          const logp = logpAllOf(policy, xb)
          // In this order, gradients reach logp in the same order as before ppoLoss was split out.
          const logpTaken = tf.sum(tf.mul(logp, hot), 1) as tf.Tensor1D
          const ent = meanEntropy(logp)
          const out = ppoLoss({
            logp: logpTaken,
            oldLogp: oldB,
            advantages: advB,
            entropy: ent,
            clipEpsilon: config.clipEpsilon,
            entropyCoef: config.entropyCoef
          })
          const kl = refB ? klPenalty(logpTaken, refB) : tf.scalar(0)
          seen.entropy = ent.dataSync()[0] as number
          seen.clipFraction = out.clipFraction.dataSync()[0] as number
          seen.kl = kl.dataSync()[0] as number
          if (first)
            seen.ratioDev = tf
              .max(tf.abs(tf.sub(tf.exp(tf.sub(logpTaken, oldB)), 1)))
              .dataSync()[0] as number
          return tf.add(out.loss, tf.mul(config.klCoef, kl)) as tf.Scalar
        }, policy.variables)
        const list = policy.variables.map((v) => grads[v.name] as tf.Tensor)
        const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))))
        const scale = tf.minimum(1, tf.div(config.maxGradNorm, tf.add(norm, 1e-6)))
        optimizer.applyGradients(
          Object.fromEntries(policy.variables.map((v, i) => [v.name, tf.mul(list[i]!, scale)]))
        )
        return {
          ...seen,
          loss: value.dataSync()[0] as number,
          gradNorm: norm.dataSync()[0] as number
        }
      })
      if (first) firstRatioDeviation = stats.ratioDev
      sums.loss += stats.loss
      sums.entropy += stats.entropy
      sums.clipFraction += stats.clipFraction
      sums.kl += stats.kl
      sums.gradNorm += stats.gradNorm
      sums.steps++
    }
  }
  tf.dispose([x, onehot, adv, oldLogp, ...(refLogp ? [refLogp] : [])])
  const n = Math.max(1, sums.steps)
  return {
    loss: sums.loss / n,
    entropy: sums.entropy / n,
    clipFraction: sums.clipFraction / n,
    kl: sums.kl / n,
    gradNorm: sums.gradNorm / n,
    firstRatioDeviation,
    oldLogProbs: Float32Array.from(samples.oldLogProbs)
  }
}
