// The UnsortedSegmentSum patch (tf.gather's gradient): on wasm it sums straight into the heap, and
// gives what the cpu backend's plain-JS version gives, repeated and out-of-range ids included.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../core/train/backend'

const wasm = await selectBackend('wasm')
if (wasm.backend !== 'wasm') throw new Error(`wasm backend failed: ${wasm.notes.join('; ')}`)

const CASES: { x: number[]; shape: number[]; ids: number[]; n: number }[] = [
  { x: [1.5, -2, 3, 4.25, 5], shape: [5], ids: [0, 2, 2, 1, 0], n: 3 },
  {
    x: Array.from({ length: 15 }, (_, i) => i / 3 - 2),
    shape: [5, 3],
    ids: [3, 0, 3, -1, 7],
    n: 4
  },
  { x: Array.from({ length: 24 }, (_, i) => (i % 5) - 1.5), shape: [2, 3, 4], ids: [1, 1], n: 3 }
]

async function segmentSum(backend: string, c: (typeof CASES)[number], dtype: 'float32') {
  await tf.setBackend(backend)
  const x = tf.tensor(c.x, c.shape, dtype)
  const ids = tf.tensor1d(c.ids, 'int32')
  const out = tf.unsortedSegmentSum(x, ids, c.n)
  const result = { shape: out.shape, dtype: out.dtype, values: [...(await out.data())] }
  tf.dispose([x, ids, out])
  return result
}

describe('UnsortedSegmentSum patch', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('case %i: wasm equals cpu', async (_i, c) => {
    const onWasm = await segmentSum('wasm', c, 'float32')
    const onCpu = await segmentSum('cpu', c, 'float32')
    expect(onWasm).toEqual(onCpu)
  })

  it('a wasm output reused from the heap starts from zero', async () => {
    await tf.setBackend('wasm')
    const c = CASES[1]!
    for (let k = 0; k < 3; k++) {
      const junk = tf.fill([64, 64], 7.5)
      junk.dispose()
      expect((await segmentSum('wasm', c, 'float32')).values).toEqual(
        (await segmentSum('cpu', c, 'float32')).values
      )
    }
  })
})
