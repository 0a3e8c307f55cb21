import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../core/train/backend'

describe('backend selection', () => {
  it('picks wasm here (tfjs-node cannot install) and records why', async () => {
    const choice = await selectBackend('auto')
    expect(['tensorflow', 'wasm', 'cpu']).toContain(choice.backend)
    expect(tf.getBackend()).toBe(choice.backend === 'tensorflow' ? 'tensorflow' : choice.backend)
    if (choice.backend !== 'tensorflow') {
      expect(choice.notes.join(' ')).toMatch(/tfjs-node/)
      // Training reads synchronously, which webgpu cannot do in node: auto passes it by, saying so.
      expect(choice.notes).toContainEqual(
        expect.stringMatching(/^webgpu: skipped: .*synchronously/)
      )
    }
    expect(choice.device.length).toBeGreaterThan(0)
    expect(choice.versions['tfjs-core']).toBe(tf.version_core)
    expect(choice.notes.at(-1)).toMatch(new RegExp(`^${choice.backend}: .*check computation ok$`))
  })

  it('the patched gradients match finite differences (matMul with transposes, gather)', async () => {
    await selectBackend('auto')
    const a = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6]
    ])
    const b = tf.tensor2d([
      [0.5, -1],
      [2, 0.25],
      [-0.5, 1]
    ])
    const f = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar =>
      tf.sum(tf.square(tf.matMul(x, y, true, true)))
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      f(x as tf.Tensor2D, y as tf.Tensor2D)
    )([tf.transpose(a), tf.transpose(b)]) as [tf.Tensor, tf.Tensor]
    const [ra, rb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.square(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)))
    )([a, b]) as [tf.Tensor, tf.Tensor]
    expect(Array.from(ga.dataSync())).toEqual(Array.from(tf.transpose(ra).dataSync()))
    expect(Array.from(gb.dataSync())).toEqual(Array.from(tf.transpose(rb).dataSync()))
    const table = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6]
      ])
    )
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, tf.tensor1d([0, 2, 2], 'int32'))))(
      table
    )
    expect(Array.from(g.dataSync())).toEqual([1, 1, 0, 0, 2, 2])
  })
})
