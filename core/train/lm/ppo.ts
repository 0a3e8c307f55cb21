// One PPO update of the transformer LM on recorded decisions (issue 13 §7): per-token ratio against
// the sampling-time log-probs under the masked, tempered distribution, PPO clip, token-mean over the
// choice tokens, k3 KL to a frozen reference, an entropy bonus, global grad-norm clipping, and
// minibatches shuffled by decision. Mirrors the MLP update in ../policy-update.ts.
import * as tf from '@tensorflow/tfjs'
import type { ExperimentConfig } from '../../api/config'
import { choiceCount } from '../../agent/lm/record'
import type { TransformerLM } from '../../agent/models/transformer'
import { pickLogProbs } from '../../agent/models/masked-log-softmax'
import type { Rng } from '../../rng'
import { minibatchIndices } from '../policy-update'
import { klPenalty, meanEntropy, ppoLoss, weightedMean } from '../ppo-loss'
import { applyClippedGradients } from './clip-gradients'
import { batchLogProbs, packTokenBatch, type LmSample } from './token-batch'

export type LmUpdateOptions = Pick<
  ExperimentConfig,
  'clipEpsilon' | 'klCoef' | 'entropyCoef' | 'ppoEpochs' | 'minibatches' | 'maxGradNorm'
>

/** One optimizer step; every mean is a token-mean over the minibatch's choice tokens. */
export type LmMinibatchStats = {
  loss: number
  policyLoss: number
  kl: number
  entropy: number
  clipFraction: number
  /** mean(log π_old − log π): the first-order KL between the sampler and the current weights. */
  approxKl: number
  gradNorm: number
  /** max |ratio − 1| over the choice tokens, before this step. */
  ratioDeviation: number
  tokens: number
  choiceTokens: number
  /** Chunk tokens encoded by the forward pass (padding excluded). */
  encodedTokens: number
}

export type LmUpdateStats = {
  /** Means over the optimizer steps. */
  loss: number
  policyLoss: number
  kl: number
  entropy: number
  clipFraction: number
  gradNorm: number
  approxKl: number
  /** Generated tokens of the samples, and how many were real choices (one epoch). */
  tokens: number
  choiceTokens: number
  /** Optimizer steps taken (minibatches without a choice token are skipped). */
  minibatches: number
  /** ratioDeviation of the first minibatch of the first epoch (0 up to float error). */
  firstRatioDeviation: number
  /** Chunk tokens encoded over all steps (for tokens/s). */
  encodedTokens: number
  steps: LmMinibatchStats[]
}

export type LmPolicyUpdateInput = {
  model: TransformerLM
  /** Frozen policy the KL is taken to (the warm start), or null for no KL term. */
  reference: TransformerLM | null
  optimizer: tf.Optimizer
  samples: readonly LmSample[]
  options: LmUpdateOptions
  rng: Rng
}

function minibatchStep(
  input: LmPolicyUpdateInput,
  samples: readonly LmSample[]
): LmMinibatchStats | null {
  const { model, reference, optimizer, options } = input
  const batch = packTokenBatch(samples, model.config.vocab, model.config.context)
  if (batch.choiceTokens === 0) return null
  return tf.tidy(() => {
    const weights = tf.tensor1d(batch.weight)
    const oldLogp = tf.tensor1d(batch.oldLogProbs)
    const advantages = tf.tensor1d(batch.advantage)
    const refTaken = reference
      ? pickLogProbs(batchLogProbs(reference, batch, 'recorded'), batch.chosen)
      : null
    // Read inside the loss function: its intermediate tensors are disposed when it returns.
    const seen = { policyLoss: 0, kl: 0, entropy: 0, clipFraction: 0, approxKl: 0, ratioDev: 0 }
    const { value, grads } = tf.variableGrads(() => {
      const logp = batchLogProbs(model, batch, 'recorded')
      const taken = pickLogProbs(logp, batch.chosen)
      const entropy = meanEntropy(logp, weights)
      const out = ppoLoss({
        logp: taken,
        oldLogp,
        advantages,
        entropy: tf.scalar(0),
        clipEpsilon: options.clipEpsilon,
        entropyCoef: 0,
        weights
      })
      const kl = refTaken ? klPenalty(taken, refTaken, weights) : tf.scalar(0)
      const logRatio = tf.sub(taken, oldLogp)
      seen.policyLoss = out.loss.dataSync()[0] as number
      seen.kl = kl.dataSync()[0] as number
      seen.entropy = entropy.dataSync()[0] as number
      seen.clipFraction = out.clipFraction.dataSync()[0] as number
      seen.approxKl = -(weightedMean(logRatio, weights).dataSync()[0] as number)
      seen.ratioDev = tf
        .max(tf.mul(tf.abs(tf.sub(tf.exp(logRatio), 1)), weights))
        .dataSync()[0] as number
      return out.loss.add(kl.mul(options.klCoef)).sub(entropy.mul(options.entropyCoef)) as tf.Scalar
    }, model.variables)
    const gradNorm = applyClippedGradients(optimizer, model.variables, grads, options.maxGradNorm)
    let encodedTokens = 0
    for (const s of batch.layout.segments) encodedTokens += s === 0 ? 0 : 1
    return {
      loss: value.dataSync()[0] as number,
      policyLoss: seen.policyLoss,
      kl: seen.kl,
      entropy: seen.entropy,
      clipFraction: seen.clipFraction,
      approxKl: seen.approxKl,
      gradNorm,
      ratioDeviation: seen.ratioDev,
      tokens: batch.count,
      choiceTokens: batch.choiceTokens,
      encodedTokens
    }
  })
}

/** PPO epochs over the samples; the optimizer steps once per minibatch. */
export function lmPolicyUpdate(input: LmPolicyUpdateInput): LmUpdateStats {
  const { samples, options, rng } = input
  const steps: LmMinibatchStats[] = []
  for (let epoch = 0; epoch < options.ppoEpochs; epoch++) {
    for (const idx of minibatchIndices(samples.length, options.minibatches, rng)) {
      const step = minibatchStep(
        input,
        Array.from(idx, (i) => samples[i] as LmSample)
      )
      if (step) steps.push(step)
    }
  }
  const mean = (key: keyof LmMinibatchStats): number =>
    steps.length === 0 ? 0 : steps.reduce((s, x) => s + x[key], 0) / steps.length
  let tokens = 0
  let choiceTokens = 0
  for (const s of samples) {
    const d = s.trajectory.decisions[s.decision]
    if (!d) continue
    tokens += d.allowed.length
    choiceTokens += choiceCount(d)
  }
  return {
    loss: mean('loss'),
    policyLoss: mean('policyLoss'),
    kl: mean('kl'),
    entropy: mean('entropy'),
    clipFraction: mean('clipFraction'),
    gradNorm: mean('gradNorm'),
    approxKl: mean('approxKl'),
    tokens,
    choiceTokens,
    minibatches: steps.length,
    firstRatioDeviation: steps[0]?.ratioDeviation ?? 0,
    encodedTokens: steps.reduce((s, x) => s + x.encodedTokens, 0),
    steps
  }
}
