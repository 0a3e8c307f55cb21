// Behaviour cloning of the LM on demonstrations (the warm start, issue 13 §6): maximise the masked
// log-prob (temperature 1) of the demonstrated tokens, token-mean over the choice tokens; forced
// tokens teach nothing. Decisions are shuffled each epoch and cut into batches of `batchDecisions`.
import * as tf from '@tensorflow/tfjs'
import type { LmTrajectory } from '../../agent/lm/record'
import { pickLogProbs } from '../../agent/models/masked-log-softmax'
import type { TransformerLM } from '../../agent/models/transformer'
import type { Rng } from '../../rng'
import { weightedMean } from '../ppo-loss'
import { applyClippedGradients } from './clip-gradients'
import { accumulatedGradients, microBatches } from './micro-batches'
import { batchLogProbs, packTokenBatch, type LmSample, type TokenBatch } from './token-batch'

export type BcEpoch = {
  epoch: number
  /** Token-mean loss over the epoch's choice tokens, as trained (weights move during the epoch). */
  loss: number
  /** Token-mean loss on the held-out trajectories after the epoch (with `heldOut`). */
  heldOutLoss?: number
  choiceTokens: number
  /** Optimizer steps of the epoch. */
  steps: number
  /** Mean global gradient norm before clipping. */
  gradNorm: number
}

export type BehaviourCloneInput = {
  model: TransformerLM
  optimizer: tf.Optimizer
  trajectories: readonly LmTrajectory[]
  epochs: number
  batchDecisions: number
  rng: Rng
  heldOut?: readonly LmTrajectory[]
  /** Global gradient-norm clip per step (default: none). */
  maxGradNorm?: number
  onEpoch?: (epoch: BcEpoch) => void
}

function decisionsOf(trajectories: readonly LmTrajectory[]): LmSample[] {
  return trajectories.flatMap((trajectory) =>
    trajectory.decisions.map((_, decision) => ({ trajectory, decision, advantage: 0 }))
  )
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** −Σ w·log π(demonstrated) and Σ w over a batch (temperature 1), without gradients. */
function batchNll(model: TransformerLM, samples: readonly LmSample[]): [number, number] {
  let nll = 0
  let tokens = 0
  for (const part of microBatches(samples, model.config.heads)) {
    const batch = packTokenBatch(part, model.config.vocab, model.config.context)
    if (batch.choiceTokens === 0) continue
    const sum = tf.tidy(() =>
      tf
        .sum(tf.mul(pickLogProbs(batchLogProbs(model, batch, 1), batch.chosen), batch.weight))
        .dataSync()
    )
    nll -= sum[0] as number
    tokens += batch.choiceTokens
  }
  return [nll, tokens]
}

/**
 * The token-mean negative log-likelihood of the demonstrated choice tokens of packed micro-batches
 * and its gradients (summed over the micro-batches, each weighted by its share of the choice tokens).
 */
export function cloningGradients(
  model: TransformerLM,
  micro: readonly TokenBatch[]
): { value: number; grads: tf.NamedTensorMap } {
  const choiceTokens = micro.reduce((s, b) => s + b.choiceTokens, 0)
  return accumulatedGradients(
    model.variables,
    micro
      .filter((b) => b.choiceTokens > 0)
      .map((batch) => ({
        weight: batch.choiceTokens / choiceTokens,
        loss: () =>
          weightedMean(
            pickLogProbs(batchLogProbs(model, batch, 1), batch.chosen),
            tf.tensor1d(batch.weight)
          ).neg() as tf.Scalar
      }))
  )
}

/** Token-mean negative log-likelihood of the demonstrated choice tokens (no update). */
export function demonstrationLoss(
  model: TransformerLM,
  trajectories: readonly LmTrajectory[],
  batchDecisions = 64
): number {
  let nll = 0
  let tokens = 0
  for (const part of batches(decisionsOf(trajectories), batchDecisions)) {
    const [s, n] = batchNll(model, part)
    nll += s
    tokens += n
  }
  return tokens === 0 ? 0 : nll / tokens
}

/** Trains `epochs` passes; returns one record per epoch (also given to onEpoch). */
export function behaviourClone(input: BehaviourCloneInput): BcEpoch[] {
  const { model, optimizer, rng } = input
  if (!Number.isInteger(input.batchDecisions) || input.batchDecisions < 1) {
    throw new Error(`batchDecisions must be a positive integer, got ${input.batchDecisions}`)
  }
  const all = decisionsOf(input.trajectories)
  const history: BcEpoch[] = []
  for (let epoch = 0; epoch < input.epochs; epoch++) {
    let nll = 0
    let tokens = 0
    let normSum = 0
    let steps = 0
    for (const part of batches(rng.shuffle([...all]), input.batchDecisions)) {
      const micro = microBatches(part, model.config.heads).map((m) =>
        packTokenBatch(m, model.config.vocab, model.config.context)
      )
      const choiceTokens = micro.reduce((s, b) => s + b.choiceTokens, 0)
      if (choiceTokens === 0) continue
      const loss = tf.tidy(() => {
        const { value, grads } = cloningGradients(model, micro)
        normSum += applyClippedGradients(
          optimizer,
          model.variables,
          grads,
          input.maxGradNorm ?? Infinity
        )
        return value
      })
      nll += loss * choiceTokens
      tokens += choiceTokens
      steps++
    }
    const record: BcEpoch = {
      epoch,
      loss: tokens === 0 ? 0 : nll / tokens,
      choiceTokens: tokens,
      steps,
      gradNorm: steps === 0 ? 0 : normSum / steps
    }
    if (input.heldOut) {
      record.heldOutLoss = demonstrationLoss(model, input.heldOut, input.batchDecisions)
    }
    history.push(record)
    input.onEpoch?.(record)
  }
  return history
}
