// One training step (forward + backward + Adam) and one forward pass of the reference transformer on
// seeded synthetic REINFORCE batches: what the benchmark, the profile and the equivalence test run.
import * as tf from '@tensorflow/tfjs'
import {
  createTransformerLM,
  type TransformerConfig,
  type TransformerLM
} from '../../agent/models/transformer'
import { mulberry32 } from '../../rng'

export type ReinforceBatch = { tokens: tf.Tensor2D; targets: tf.Tensor2D; advantages: tf.Tensor2D }

/** Random tokens, their next-token targets and ±1-ish advantages, all from `seed`. */
export function syntheticBatch(
  config: TransformerConfig,
  batch: number,
  seq: number,
  seed: number
): ReinforceBatch {
  const rand = mulberry32(seed)
  const stream = Int32Array.from({ length: batch * (seq + 1) }, () =>
    Math.floor(rand() * config.vocab)
  )
  const tokens = new Int32Array(batch * seq)
  const targets = new Int32Array(batch * seq)
  const adv = new Float32Array(batch * seq)
  for (let b = 0; b < batch; b++) {
    const a = rand() * 2 - 1
    for (let t = 0; t < seq; t++) {
      tokens[b * seq + t] = stream[b * (seq + 1) + t] as number
      targets[b * seq + t] = stream[b * (seq + 1) + t + 1] as number
      adv[b * seq + t] = a
    }
  }
  return {
    tokens: tf.tensor2d(tokens, [batch, seq], 'int32'),
    targets: tf.tensor2d(targets, [batch, seq], 'int32'),
    advantages: tf.tensor2d(adv, [batch, seq])
  }
}

export function disposeBatch(b: ReinforceBatch): void {
  tf.dispose([b.tokens, b.targets, b.advantages])
}

export type ReferenceTrainer = {
  policy: TransformerLM
  /** One synchronous step; returns the loss before the update. */
  step(batch: ReinforceBatch): number
  /** Forward pass only (logits for every position), synced. */
  forward(tokens: tf.Tensor2D): void
  dispose(): void
}

export function createReferenceTrainer(
  config: TransformerConfig,
  seed: number,
  learningRate = 1e-3
): ReferenceTrainer {
  const policy = createTransformerLM(config, seed)
  const optimizer = tf.train.adam(learningRate)
  return {
    policy,
    step: (batch) => {
      const loss = optimizer.minimize(
        () => policy.policyLoss(batch.tokens, batch.targets, batch.advantages),
        true,
        policy.variables
      )
      if (!loss) throw new Error('optimizer returned no loss')
      // dataSync outside tidy: tidy scans returned typed arrays element by element.
      const value = loss.dataSync()[0] as number
      loss.dispose()
      return value
    },
    forward: (tokens) => {
      const logits = policy.logits(tokens)
      logits.dataSync()
      logits.dispose()
    },
    dispose: () => {
      optimizer.dispose()
      policy.dispose()
    }
  }
}
