// One PPO update of an MLP policy on a batch of (features, action, advantage) samples.
import * as tf from '@tensorflow/tfjs'
import type { ExperimentConfig } from '../api/config'
import type { MlpPolicy } from '../agent/models/mlp-policy'
import { meanEntropy, ppoLoss } from './ppo-loss'

export type PpoSamples = {
  features: Float32Array
  actions: Int32Array
  advantages: Float32Array
  count: number
}

export type Update = {
  loss: number
  entropy: number
  clipFraction: number
  /** The old log-prob of each sample's action, as the update saw it before its first epoch. */
  oldLogProbs: Float32Array
}

export function policyUpdate(
  policy: MlpPolicy,
  optimizer: tf.Optimizer,
  config: Pick<ExperimentConfig, 'clipEpsilon' | 'ppoEpochs' | 'entropyCoef' | 'temperature'>,
  samples: PpoSamples
): Update {
  const d = policy.config.inputSize
  const k = policy.config.numActions
  const x = tf.tensor2d(samples.features, [samples.count, d])
  const onehot = tf.tidy(() => tf.oneHot(tf.tensor1d(samples.actions, 'int32'), k))
  const adv = tf.tensor1d(samples.advantages)
  // The policy as sampled: at the rollout temperature, so that π_old is the sampler's π.
  const logpAll = (): tf.Tensor2D =>
    tf.logSoftmax(tf.div(policy.logits(x), config.temperature) as tf.Tensor2D)
  const logpOf = (): tf.Tensor1D => tf.sum(tf.mul(logpAll(), onehot), 1)
  const oldLogp = tf.tidy(() => logpOf())
  let last: Update = {
    loss: 0,
    entropy: 0,
    clipFraction: 0,
    oldLogProbs: Float32Array.from(oldLogp.dataSync())
  }
  for (let epoch = 0; epoch < config.ppoEpochs; epoch++) {
    let entropy = 0
    let clipFraction = 0
    const loss = optimizer.minimize(
      () => {
        const logp = logpAll()
        // In this order, gradients reach logp in the same order as before ppoLoss was split out.
        const logpTaken = tf.sum(tf.mul(logp, onehot), 1) as tf.Tensor1D
        const ent = meanEntropy(logp)
        const out = ppoLoss({
          logp: logpTaken,
          oldLogp,
          advantages: adv,
          entropy: ent,
          clipEpsilon: config.clipEpsilon,
          entropyCoef: config.entropyCoef
        })
        entropy = ent.dataSync()[0] as number
        clipFraction = out.clipFraction.dataSync()[0] as number
        return out.loss
      },
      true,
      policy.variables
    )
    last = { ...last, loss: loss ? (loss.dataSync()[0] as number) : 0, entropy, clipFraction }
    loss?.dispose()
  }
  tf.dispose([x, onehot, adv, oldLogp])
  return last
}
