import { describe, expect, it } from 'vitest'
import { lmBenchSize, winsFrom, type SizeRow } from '../../../core/train/backends/bench'

const row = (size: string, train: number | undefined, forward = 1): SizeRow => ({
  size,
  model: lmBenchSize(128, 2, 128).model,
  runs: {},
  speedup: train === undefined ? {} : { webgpu: { train, forward } },
  loadavg: [],
  seconds: 0
})

describe('the size from which a backend wins', () => {
  it('is the first size faster than the baseline at it and every larger size measured', () => {
    const rows = [row('a', 0.2), row('b', 1.5), row('c', 0.9), row('d', 1.2), row('e', 3)]
    expect(winsFrom(rows, 'webgpu', 'train')).toBe('d')
    expect(winsFrom(rows.slice(0, 2), 'webgpu', 'train')).toBe('b')
  })

  it('skips sizes without a measurement and is null when it never wins', () => {
    expect(winsFrom([row('a', 1.1), row('b', undefined), row('c', 2)], 'webgpu', 'train')).toBe('a')
    expect(winsFrom([row('a', 0.5), row('b', 1)], 'webgpu', 'train')).toBeNull()
    expect(winsFrom([row('a', 2, 0.5)], 'webgpu', 'forward')).toBeNull()
  })

  it('names sizes by width, depth and sequence length, heads of 64', () => {
    expect(lmBenchSize(1024, 8, 256)).toEqual({
      name: 'd1024-L8-T256',
      model: { vocab: 512, dModel: 1024, layers: 8, heads: 16, context: 256, ffMult: 4 },
      seq: 256
    })
  })
})
