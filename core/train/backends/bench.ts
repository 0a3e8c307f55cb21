// `himac bench --only backends`: training and forward tokens/s of the LM transformer per model size
// and per backend variant (each run in its own process), the speed-up over wasm + native BLAS, and
// the model size from which the GPU wins. Sizes run small → large under one deadline; the report is
// handed to `onPartial` after each size so a cut-off run still leaves numbers.
import os from 'node:os'
import type { TransformerConfig } from '../../agent/models/transformer'
import { runWorker, type WorkerAnswer, type WorkerCommand } from './child'
import type { SizeBenchOptions, SizeBenchResult } from './size-bench'
import type { Variant } from './variant'

export type BenchSize = { name: string; model: TransformerConfig; seq: number }

/** vocab 512, ffMult 4, heads of 64 (at least 4), context = seq. */
export const lmBenchSize = (dModel: number, layers: number, seq: number): BenchSize => ({
  name: `d${dModel}-L${layers}-T${seq}`,
  model: { vocab: 512, dModel, layers, heads: Math.max(4, dModel / 64), context: seq, ffMult: 4 },
  seq
})

// Not d1024 with 8 layers: its 102M weights with Adam's moments and the gradients overflow the wasm
// backend's heap (the worker dies with "Aborted()"), so the baseline has no number there.
export const BACKEND_BENCH_SIZES: readonly BenchSize[] = [
  lmBenchSize(128, 2, 128),
  lmBenchSize(256, 4, 128),
  lmBenchSize(512, 4, 256),
  lmBenchSize(1024, 4, 256)
]

/** The baseline the speed-ups are over. */
export const BASELINE_VARIANT: Variant = 'wasm+native'

export type BackendBenchOptions = {
  worker: WorkerCommand
  variants?: readonly Variant[]
  sizes?: readonly BenchSize[]
  /** Whole-benchmark budget; a size that would start after it is left out. */
  deadlineMs?: number
  /** One variant on one size. */
  runTimeoutMs?: number
  bench?: Omit<SizeBenchOptions, 'model' | 'seq'>
  onPartial?(report: BackendBenchReport): void
}

export type VariantRun =
  | { error: string }
  | (SizeBenchResult & { device: string; kernels: string; versions: Record<string, string> })

export type SizeRow = {
  size: string
  model: TransformerConfig
  runs: Partial<Record<Variant, VariantRun>>
  /** tokens/s ÷ the baseline's tokens/s, for each variant that ran (and the baseline did). */
  speedup: Partial<Record<Variant, { train: number; forward: number }>>
  loadavg: number[]
  seconds: number
}

export type BackendBenchReport = {
  baseline: Variant
  variants: Variant[]
  /** Each variant's device (the WebGPU adapter, the CPU) as its worker reported it. */
  devices: Partial<Record<Variant, string>>
  machine: { cpus: number; cpuModel: string; node: string; loadavgStart: number[] }
  sizes: SizeRow[]
  /** Sizes not run because the deadline had passed. */
  leftOut: string[]
  /**
   * Per variant: the first size from which it is faster than the baseline at this and every
   * larger size measured (null: never, or not measured).
   */
  winsFrom: Partial<Record<Variant, { train: string | null; forward: string | null }>>
  done: boolean
}

const round = (x: number): number => Number(x.toFixed(2))

function toRun(answer: WorkerAnswer): VariantRun {
  if ('error' in answer) return { error: answer.error }
  return {
    ...(answer.result as SizeBenchResult),
    device: answer.device,
    kernels: answer.kernels,
    versions: answer.versions
  }
}

/** First size index from which `faster(i)` holds for every measured size after it. */
export function winsFrom(
  rows: readonly SizeRow[],
  variant: Variant,
  key: 'train' | 'forward'
): string | null {
  let from: string | null = null
  for (const row of rows) {
    const s = row.speedup[variant]?.[key]
    if (s === undefined) continue
    if (s > 1) from ??= row.size
    else from = null
  }
  return from
}

export async function benchBackends(o: BackendBenchOptions): Promise<BackendBenchReport> {
  const variants = [...(o.variants ?? ['webgpu', 'tensorflow', BASELINE_VARIANT])]
  const deadline = Date.now() + (o.deadlineMs ?? 6 * 60_000)
  const runTimeout = o.runTimeoutMs ?? 120_000
  const report: BackendBenchReport = {
    baseline: BASELINE_VARIANT,
    variants,
    devices: {},
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? '?',
      node: process.version,
      loadavgStart: os.loadavg()
    },
    sizes: [],
    leftOut: [],
    winsFrom: {},
    done: false
  }
  const unavailable = new Set<Variant>()
  for (const s of o.sizes ?? BACKEND_BENCH_SIZES) {
    if (Date.now() >= deadline) {
      report.leftOut.push(s.name)
      continue
    }
    const t0 = Date.now()
    const row: SizeRow = {
      size: s.name,
      model: s.model,
      runs: {},
      speedup: {},
      loadavg: [],
      seconds: 0
    }
    for (const variant of variants) {
      const left = deadline - Date.now()
      if (unavailable.has(variant) || left <= 0) continue
      const options: SizeBenchOptions = { ...o.bench, model: s.model, seq: s.seq }
      const answer = await runWorker(
        o.worker,
        ['bench', variant, JSON.stringify(options)],
        Math.min(runTimeout, left)
      )
      const run = toRun(answer)
      row.runs[variant] = run
      if ('error' in run) {
        // One that cannot start will not start for a larger size either.
        if (/unavailable/.test(run.error)) unavailable.add(variant)
      } else report.devices[variant] ??= run.device
    }
    const base = row.runs[BASELINE_VARIANT]
    for (const variant of variants) {
      const run = row.runs[variant]
      if (!run || 'error' in run || !base || 'error' in base) continue
      row.speedup[variant] = {
        train: round(run.train.tokensPerSec / base.train.tokensPerSec),
        forward: round(run.forward.tokensPerSec / base.forward.tokensPerSec)
      }
    }
    row.loadavg = os.loadavg()
    row.seconds = round((Date.now() - t0) / 1000)
    report.sizes.push(row)
    for (const variant of variants) {
      if (variant === BASELINE_VARIANT) continue
      report.winsFrom[variant] = {
        train: winsFrom(report.sizes, variant, 'train'),
        forward: winsFrom(report.sizes, variant, 'forward')
      }
    }
    o.onPartial?.(report)
  }
  report.done = true
  o.onPartial?.(report)
  return report
}
