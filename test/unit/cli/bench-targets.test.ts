import { describe, expect, it } from 'vitest'
import { checkTargets } from '../../../cli/bench-targets'
import { bestPeak, unpinnedBlasEnv } from '../../../cli/bench-train'

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
    // Each value is taken from the right field: the wasm+native variant (not wasm), the large 2-D
    // rows only (the 3-D row's 300 is higher), and compared with the goal in the same unit.
    expect(checks).toEqual([
      {
        target: 'ALFWorld env steps/s, one core',
        goal: 200_000,
        value: 150_000,
        met: false,
        reference: 'absolute (no reference in the run)'
      },
      {
        target: 'reference step speed-up, wasm+native vs wasm',
        goal: 4,
        value: 4.5,
        met: true,
        reference: 'stock tfjs wasm, same model and batch, same run'
      },
      {
        target: 'training tokens/s, wasm+native',
        goal: 10_000,
        value: 11_000,
        met: true,
        reference: 'absolute (no reference in the run)'
      },
      {
        target: 'forward tokens/s, wasm+native',
        goal: 30_000,
        value: 29_000,
        met: false,
        reference: 'absolute (no reference in the run)'
      },
      {
        target: 'large 2-D matmul GFLOP/s through tfjs (all cores)',
        goal: 150,
        value: 180,
        met: true,
        reference: 'absolute (no reference in the run)'
      }
    ])
  })

  it('reports a missing or non-finite measurement as unknown, not as missed', () => {
    const checks = checkTargets({
      alfworld: { stepsPerSec: Number.NaN },
      'native-step': {
        speedup: { train: Number.POSITIVE_INFINITY, forward: 1 },
        variants: [{ variant: 'wasm', train: { tokensPerSec: 1 }, forward: { tokensPerSec: 1 } }]
      },
      'native-matmul-all-cores': {
        rows: [{ a: [512, 128], b: [128, 512], gflops: { wasm: 30, 'wasm+native': 180 } }]
      }
    })
    expect(checks.map((c) => [c.value, c.met])).toEqual(checks.map(() => [null, null]))
    expect(checks).toHaveLength(5)
  })

  it('checks the store targets as upper bounds', () => {
    const checks = checkTargets({
      'store-size': {
        perEnvBytesPerStep: { alfworld: 80.5, webshop: 120 },
        perEnvBytesPerStepWithoutCheckpoints: { webshop: 99 },
        givenFile: { file: 'runs.db', envs: ['webshop'], bytesPerStepWithoutCheckpoints: 101.5 }
      },
      'store-queries': {
        fixture: { episodes: 1_000_000 },
        slowest: { query: 'group page', medianMs: 50 }
      }
    })
    expect(checks).toEqual([
      {
        target: 'stored bytes per step, alfworld runs',
        goal: 100,
        value: 80.5,
        met: true,
        reference: 'file size after VACUUM',
        atMost: true
      },
      {
        target: 'stored bytes per step, webshop runs',
        goal: 100,
        value: 120,
        met: false,
        reference: 'file size after VACUUM',
        atMost: true
      },
      {
        target: 'stored bytes per step without checkpoints, webshop runs',
        goal: 100,
        value: 99,
        met: true,
        reference: 'file size after VACUUM, less the checkpoints table',
        atMost: true
      },
      {
        target: 'stored bytes per step without checkpoints, runs.db (webshop training runs)',
        goal: 100,
        value: 101.5,
        met: false,
        reference: 'file size after VACUUM, less the checkpoints table',
        atMost: true
      },
      {
        target: 'slowest UI query (group page) ms, 1000000 episodes',
        goal: 50,
        value: 50,
        met: true,
        reference: 'absolute (no reference in the run)',
        atMost: true
      }
    ])
  })

  it('lists only the targets whose sections ran', () => {
    expect(checkTargets({ sokoban: { stepsPerSec: 1 } })).toEqual([])
  })

  it('checks the JSONL import against 50 k steps/s', () => {
    expect(checkTargets({ import: { importStepsPerSec: 64_051 } })).toEqual([
      {
        target: 'JSONL import steps/s (100 k steps)',
        goal: 50_000,
        value: 64_051,
        met: true,
        reference: 'absolute (no reference in the run)'
      }
    ])
  })

  it("states MFU against the same run's sgemm peak and the ratio to PyTorch", () => {
    const checks = checkTargets({
      'train-throughput': {
        peak: { gflops: 400 },
        rows: [{ train: { mfu: 0.08 } }],
        torch: { version: '1.13' },
        ratioToTorch: { train: 1.5, forward: 0.9 },
        ratioToBestTorch: { train: 1.2, forward: 0.6 }
      }
    })
    expect(checks.map((c) => [c.target, c.value, c.met])).toEqual([
      ['training model FLOP utilisation', 0.08, false],
      ['training tokens/s ÷ PyTorch', 1.2, true]
    ])
    expect(checks[0]?.reference).toContain('400 GFLOP/s')
    expect(checks[1]?.reference).toContain('PyTorch 1.13')
  })

  it('says why the PyTorch ratio is unknown when torch is missing', () => {
    const [, torch] = checkTargets({
      'train-throughput': {
        peak: { unavailable: 'addon not built' },
        rows: [{ train: { mfu: null } }],
        torch: { unavailable: 'no Python with torch' },
        ratioToTorch: null,
        ratioToBestTorch: null
      }
    })
    expect(torch).toMatchObject({ value: null, met: null })
    expect(torch?.reference).toContain('no Python with torch')
  })

  it('gives each env of the LM rollout sections its KV-cache check with the work ratio beside it', () => {
    const env = (name: string, speedup: number, workRatio: number) => ({
      env: name,
      speedup,
      workRatio
    })
    const checks = checkTargets({
      'lm-rollout': { context: 'compact', envs: [env('sokoban', 1.2, 1.8)] },
      'lm-rollout-long': { context: 'long', envs: [env('alfworld', 5.7, 7.1)] }
    })
    expect(checks.map((c) => [c.target, c.value, c.met])).toEqual([
      ['LM rollout env steps/s, KV cache vs re-encoding (sokoban)', 1.2, false],
      ['LM rollout env steps/s, KV cache vs re-encoding (alfworld, 2,048-token context)', 5.7, true]
    ])
    expect(checks[0]?.reference).toContain('model work saved 1.8×')
    expect(checks[1]?.reference).toContain('model work saved 7.1×')
  })

  it('measures PyTorch and the peak without our kernel pin, and takes the better peak', () => {
    const env = unpinnedBlasEnv({ OPENBLAS_CORETYPE: 'Haswell', PATH: '/bin' })
    expect(env).toEqual({ HIMAC_BLAS_CORETYPE: 'auto', PATH: '/bin' })
    const peak = (gflops: number) => ({ gflops, size: 1024, threads: 2, blas: 'x', repeats: 3 })
    expect(bestPeak(peak(202), peak(250))).toEqual(peak(250))
    expect(bestPeak(peak(300), peak(250))).toEqual(peak(300))
    expect(bestPeak({ unavailable: 'no addon' }, peak(250))).toEqual(peak(250))
    expect(bestPeak(peak(202), { unavailable: 'child failed' })).toEqual(peak(202))
  })
})
