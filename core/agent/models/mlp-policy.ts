// A small MLP policy over a fixed-size observation encoding (used by flat GRPO on grid envs).
import * as tf from '@tensorflow/tfjs'
import { createRng } from '../../rng'

export type MlpPolicyConfig = {
  inputSize: number
  hidden: number[]
  numActions: number
  seed: number
}

export type SerializedWeights = { shapes: number[][]; data: Float32Array }

export type MlpPolicy = {
  readonly config: MlpPolicyConfig
  readonly variables: tf.Variable[]
  /** Logits [batch, numActions] (differentiable; call inside tf.tidy / optimizer.minimize). */
  logits(x: tf.Tensor2D): tf.Tensor2D
  /** Action probabilities for a batch of encoded observations, as plain numbers. */
  probs(features: Float32Array, batch: number, temperature: number): Float32Array
  serialize(): SerializedWeights
  load(weights: SerializedWeights): void
  dispose(): void
}

/** Glorot-uniform weights from our own seeded PRNG, so initialisation is backend-independent. */
function glorot(fanIn: number, fanOut: number, next: () => number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut))
  const w = new Float32Array(fanIn * fanOut)
  for (let i = 0; i < w.length; i++) w[i] = (next() * 2 - 1) * limit
  return w
}

// Variable names must be unique per tfjs engine (a run holds the policy and its frozen reference).
let modelCount = 0

export function createMlpPolicy(config: MlpPolicyConfig): MlpPolicy {
  const uid = `mlp${++modelCount}`
  const rng = createRng(config.seed)
  const sizes = [config.inputSize, ...config.hidden, config.numActions]
  const variables: tf.Variable[] = []
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l] as number
    const fanOut = sizes[l + 1] as number
    // In tidy: a variable shares its initial tensor's data, and that tensor would stay counted.
    const weights = glorot(fanIn, fanOut, rng.next)
    variables.push(
      tf.tidy(() => tf.variable(tf.tensor2d(weights, [fanIn, fanOut]), true, `${uid}/w${l}`))
    )
    variables.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]), true, `${uid}/b${l}`)))
  }

  const logits = (x: tf.Tensor2D): tf.Tensor2D => {
    let h: tf.Tensor2D = x
    const layers = variables.length / 2
    for (let l = 0; l < layers; l++) {
      const z = tf.add(
        tf.matMul(h, variables[2 * l] as tf.Variable),
        variables[2 * l + 1] as tf.Variable
      )
      h = (l + 1 < layers ? tf.relu(z) : z) as tf.Tensor2D
    }
    return h
  }

  return {
    config,
    variables,
    logits,
    probs(features, batch, temperature) {
      return tf.tidy(() => {
        const x = tf.tensor2d(features, [batch, config.inputSize])
        return tf.softmax(tf.div(logits(x), temperature)).dataSync() as Float32Array
      })
    },
    serialize() {
      const shapes = variables.map((v) => v.shape.slice())
      const parts = variables.map((v) => v.dataSync() as Float32Array)
      const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0))
      let o = 0
      for (const p of parts) {
        data.set(p, o)
        o += p.length
      }
      return { shapes, data }
    },
    load(weights) {
      let o = 0
      variables.forEach((v, i) => {
        const shape = weights.shapes[i]
        if (!shape || shape.join() !== v.shape.join())
          throw new Error(`weight ${i} has shape ${shape} not ${v.shape}`)
        const n = v.size
        v.assign(tf.tensor(weights.data.subarray(o, o + n), v.shape))
        o += n
      })
    },
    dispose() {
      for (const v of variables) v.dispose()
    }
  }
}
