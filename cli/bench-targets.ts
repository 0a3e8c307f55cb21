// The speed targets of the issues, checked against a `himac bench` result (reported, never asserted).
import type { LmRolloutBenchResult } from '../core/agent/bench-lm-rollout'
import { IMPORT_STEPS_PER_SEC_TARGET } from './bench-io'
import { UI_READY_MS_TARGET } from './bench-ui'
import type { MatmulBenchResult, StepBenchResult } from '../core/train/native'
import type { TrainThroughputResult } from './bench-train'

export type TargetCheck = {
  target: string
  goal: number
  value: number | null
  met: boolean | null
  /** What the figure is measured against (in the same run where there is such a reference). */
  reference: string
  /** The goal is an upper bound (bytes, milliseconds) rather than a floor. */
  atMost?: true
}

type Results = Record<string, unknown>

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function check(target: string, goal: number, value: number | null, reference: string): TargetCheck {
  return { target, goal, value, met: value === null ? null : value >= goal, reference }
}

/** A target that is an upper bound (bytes, milliseconds). */
function atMost(
  target: string,
  goal: number,
  value: number | null,
  reference: string
): TargetCheck {
  return {
    target,
    goal,
    value,
    met: value === null ? null : value <= goal,
    reference,
    atMost: true
  }
}

const ABSOLUTE = 'absolute (no reference in the run)'

/** Large 2-D shapes: the best native GFLOP/s over the rows whose both sides are 2-D and ≥ 2048 rows. */
function large2d(r: MatmulBenchResult | undefined): number | null {
  const rows = (r?.rows ?? []).filter((x) => x.a.length === 2 && (x.a[0] ?? 0) >= 2048)
  const values = rows
    .map((x) => x.gflops['wasm+native'])
    .filter((v): v is number => typeof v === 'number')
  return values.length ? Math.max(...values) : null
}

export function checkTargets(results: Results): TargetCheck[] {
  const checks: TargetCheck[] = []
  const alf = results['alfworld'] as { stepsPerSec?: number } | undefined
  if (alf)
    checks.push(check('ALFWorld env steps/s, one core', 200_000, num(alf.stepsPerSec), ABSOLUTE))
  const step = results['native-step'] as StepBenchResult | undefined
  if (step) {
    const native = step.variants.find((v) => v.variant === 'wasm+native')
    const wasm = 'stock tfjs wasm, same model and batch, same run'
    checks.push(
      check('reference step speed-up, wasm+native vs wasm', 4, num(step.speedup?.train), wasm)
    )
    checks.push(
      check('training tokens/s, wasm+native', 10_000, num(native?.train.tokensPerSec), ABSOLUTE)
    )
    checks.push(
      check('forward tokens/s, wasm+native', 30_000, num(native?.forward.tokensPerSec), ABSOLUTE)
    )
  }
  const all = results['native-matmul-all-cores'] as MatmulBenchResult | undefined
  if (all)
    checks.push(
      check('large 2-D matmul GFLOP/s through tfjs (all cores)', 150, large2d(all), ABSOLUTE)
    )
  const tt = results['train-throughput'] as TrainThroughputResult | undefined
  if (tt) {
    const ours = tt.rows[0]
    const peak = 'gflops' in tt.peak ? `${tt.peak.gflops} GFLOP/s` : 'unmeasured'
    const sgemm = `the machine's sgemm peak, all cores, same run (${peak}; the better of the pinned kernels' and OpenBLAS's own choice)`
    checks.push(check('training model FLOP utilisation', 0.4, num(ours?.train.mfu), sgemm))
    const torch =
      'version' in tt.torch
        ? `PyTorch ${tt.torch.version} at its fastest thread count, same model and batch, same run`
        : `PyTorch: ${tt.torch.unavailable}`
    checks.push(check('training tokens/s ÷ PyTorch', 1, num(tt.ratioToBestTorch?.train), torch))
  }
  const size = results['store-size'] as
    | {
        perEnvBytesPerStep?: Record<string, number>
        perEnvBytesPerStepWithoutCheckpoints?: Record<string, number>
        givenFile?: { file: string; envs: string[]; bytesPerStepWithoutCheckpoints: number }
      }
    | undefined
  const vacuumed = 'file size after VACUUM'
  for (const [env, value] of Object.entries(size?.perEnvBytesPerStep ?? {}))
    checks.push(atMost(`stored bytes per step, ${env} runs`, 100, num(value), vacuumed))
  for (const [env, value] of Object.entries(size?.perEnvBytesPerStepWithoutCheckpoints ?? {}))
    checks.push(
      atMost(
        `stored bytes per step without checkpoints, ${env} runs`,
        100,
        num(value),
        `${vacuumed}, less the checkpoints table`
      )
    )
  const given = size?.givenFile
  if (given)
    checks.push(
      atMost(
        `stored bytes per step without checkpoints, ${given.file} (${given.envs.join(', ')} training runs)`,
        100,
        num(given.bytesPerStepWithoutCheckpoints),
        `${vacuumed}, less the checkpoints table`
      )
    )
  const queries = results['store-queries'] as
    { fixture?: { episodes?: number }; slowest?: { query: string; medianMs: number } } | undefined
  if (queries?.slowest)
    checks.push(
      atMost(
        `slowest UI query (${queries.slowest.query}) ms, ${queries.fixture?.episodes ?? '?'} episodes`,
        50,
        num(queries.slowest.medianMs),
        ABSOLUTE
      )
    )
  const ui = results['ui'] as
    { fixture?: { episodes?: number }; views?: Record<string, { medianMs: number }> } | undefined
  for (const [view, v] of Object.entries(ui?.views ?? {}))
    checks.push(
      atMost(
        `${view} ready in Chromium ms, ${ui?.fixture?.episodes ?? '?'} episodes`,
        UI_READY_MS_TARGET,
        num(v.medianMs),
        ABSOLUTE
      )
    )
  const io = results['import'] as { importStepsPerSec?: number } | undefined
  if (io)
    checks.push(
      check(
        'JSONL import steps/s (100 k steps)',
        IMPORT_STEPS_PER_SEC_TARGET,
        num(io.importStepsPerSec),
        ABSOLUTE
      )
    )
  for (const section of ['lm-rollout', 'lm-rollout-long']) {
    const lm = results[section] as LmRolloutBenchResult | undefined
    const where = lm?.context === 'long' ? ', 2,048-token context' : ''
    for (const e of lm?.envs ?? []) {
      checks.push(
        check(
          `LM rollout env steps/s, KV cache vs re-encoding (${e.env}${where})`,
          5,
          num(e.speedup),
          `re-encoding the whole context each decoding step, same actions, same run; ` +
            `model work saved ${e.workRatio}× (token slots), the ratio's ceiling`
        )
      )
    }
  }
  return checks
}
