import { describe, expect, it } from 'vitest'
import { checkTargets } from '../../../cli/bench-targets'

describe('bench targets', () => {
  it('reports each target with its measured value and whether it is met', () => {
    const checks = checkTargets({
      alfworld: { stepsPerSec: 150_000 },
      'native-step': {
        speedup: { train: 4.5, forward: 5 },
        variants: [
          { variant: 'wasm', train: { tokensPerSec: 2000 }, forward: { tokensPerSec: 8000 } },
          {
            variant: 'wasm+native',
            train: { tokensPerSec: 11_000 },
            forward: { tokensPerSec: 29_000 }
          }
        ]
      },
      'native-matmul-all-cores': {
        rows: [
          { a: [2048, 128], b: [128, 512], gflops: { wasm: 30, 'wasm+native': 180 } },
          { a: [64, 128, 32], b: [64, 32, 128], gflops: { wasm: 2, 'wasm+native': 300 } }
        ]
      }
    })
    const met = Object.fromEntries(checks.map((c) => [c.target, c.met]))
    expect(met).toEqual({
      'ALFWorld env steps/s, one core': false,
      'reference step speed-up, wasm+native vs wasm': true,
      'training tokens/s, wasm+native': true,
      'forward tokens/s, wasm+native': false,
      'large 2-D matmul GFLOP/s through tfjs (all cores)': true
    })
    expect(checks.find((c) => c.target.startsWith('large'))?.value).toBe(180)
  })

  it('lists only the targets whose sections ran', () => {
    expect(checkTargets({ sokoban: { stepsPerSec: 1 } })).toEqual([])
  })
})
