// Benchmarks for `himac bench`: the reference model's step time on pure wasm vs wasm + native kernels
// (same process, interleaved), and matmul GFLOP/s per shape through tfjs. Results are plain JSON.
import * as tf from '@tensorflow/tfjs'
import { REFERENCE_TRANSFORMER, type TransformerConfig } from '../../agent/models/transformer'
import { selectBackend } from '../backend'
import {
  getNativeKernelStatus,
  installNativeKernels,
  uninstallNativeKernels,
  type NativeKernelOptions,
  type NativeKernelStatus
} from './install'
import { createReferenceTrainer, disposeBatch, syntheticBatch } from './reference-step'

export type Variant = 'wasm' | 'wasm+native'

export type TimingSummary = { medianMs: number; minMs: number; maxMs: number; samples: number }

export type StepBenchVariant = {
  variant: Variant
  train: TimingSummary & { tokensPerSec: number }
  forward: TimingSummary & { tokensPerSec: number }
  /** Losses of the first run's timed steps (equal across variants up to float rounding). */
  losses: number[]
}

export type StepBenchResult = {
  model: TransformerConfig
  trainBatch: number
  forwardBatch: number
  seq: number
  steps: number
  warmup: number
  repeats: number
  native: NativeKernelStatus
  variants: StepBenchVariant[]
  /** wasm ms / native ms (undefined when the native variant did not run). */
  speedup?: { train: number; forward: number }
}

export type StepBenchOptions = NativeKernelOptions & {
  model?: TransformerConfig
  trainBatch?: number
  forwardBatch?: number
  seq?: number
  steps?: number
  warmup?: number
  /** Interleaved repeats of each variant (timings on small VMs drift). */
  repeats?: number
  variants?: Variant[]
  seed?: number
}

export function summarize(samples: number[]): TimingSummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median =
    sorted.length === 0
      ? NaN
      : sorted.length % 2
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return {
    medianMs: round(median),
    minMs: round(sorted[0] ?? NaN),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    samples: sorted.length
  }
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

/** Starts the wasm backend (or throws); the benchmarks measure the wasm paths only. */
export async function requireWasm(): Promise<void> {
  const choice = await selectBackend('wasm')
  if (choice.backend !== 'wasm') {
    throw new Error(
      `benchmarks need the wasm backend, got ${choice.backend}: ${choice.notes.join('; ')}`
    )
  }
}

/** Switches the kernels for a variant; returns false when the native one cannot be enabled. */
export function useVariant(variant: Variant, options: NativeKernelOptions): boolean {
  if (variant === 'wasm') {
    uninstallNativeKernels()
    return true
  }
  return installNativeKernels(options).enabled
}

/** ms/step and tokens/s, train and forward, for each variant in the same process. */
export async function benchReferenceStep(options: StepBenchOptions = {}): Promise<StepBenchResult> {
  await requireWasm()
  const model = options.model ?? REFERENCE_TRANSFORMER
  const trainBatch = options.trainBatch ?? 16
  const forwardBatch = options.forwardBatch ?? 32
  const seq = options.seq ?? model.context
  const steps = options.steps ?? 8
  const warmup = options.warmup ?? 2
  const repeats = options.repeats ?? 1
  const seed = options.seed ?? 1
  const wasInstalled = getNativeKernelStatus().enabled
  let native = installNativeKernels(options)
  const variants = (options.variants ?? ['wasm', 'wasm+native']).filter(
    (v) => v === 'wasm' || native.enabled
  )
  const train = new Map<Variant, number[]>()
  const fwd = new Map<Variant, number[]>()
  const losses = new Map<Variant, number[]>()
  const trainData = syntheticBatch(model, trainBatch, seq, seed)
  const fwdData = syntheticBatch(model, forwardBatch, seq, seed + 1)
  try {
    for (let r = 0; r < repeats; r++) {
      for (const variant of variants) {
        useVariant(variant, options)
        const trainer = createReferenceTrainer(model, seed)
        const times: number[] = []
        const runLosses: number[] = []
        for (let i = 0; i < warmup + steps; i++) {
          const t0 = performance.now()
          const loss = trainer.step(trainData)
          const dt = performance.now() - t0
          if (i >= warmup) {
            times.push(dt)
            runLosses.push(loss)
          }
        }
        const fTimes: number[] = []
        for (let i = 0; i < warmup + steps; i++) {
          const t0 = performance.now()
          trainer.forward(fwdData.tokens)
          if (i >= warmup) fTimes.push(performance.now() - t0)
        }
        trainer.dispose()
        train.set(variant, [...(train.get(variant) ?? []), ...times])
        fwd.set(variant, [...(fwd.get(variant) ?? []), ...fTimes])
        if (!losses.has(variant)) losses.set(variant, runLosses)
      }
    }
  } finally {
    disposeBatch(trainData)
    disposeBatch(fwdData)
    native = wasInstalled ? installNativeKernels(options) : (uninstallNativeKernels(), native)
  }
  const results: StepBenchVariant[] = variants.map((variant) => {
    const t = summarize(train.get(variant) ?? [])
    const f = summarize(fwd.get(variant) ?? [])
    return {
      variant,
      train: { ...t, tokensPerSec: Math.round((trainBatch * seq * 1000) / t.medianMs) },
      forward: { ...f, tokensPerSec: Math.round((forwardBatch * seq * 1000) / f.medianMs) },
      losses: (losses.get(variant) ?? []).map((l) => round(l, 6))
    }
  })
  const base = results.find((r) => r.variant === 'wasm')
  const nat = results.find((r) => r.variant === 'wasm+native')
  const result: StepBenchResult = {
    model,
    trainBatch,
    forwardBatch,
    seq,
    steps,
    warmup,
    repeats,
    native,
    variants: results
  }
  if (base && nat) {
    result.speedup = {
      train: round(base.train.medianMs / nat.train.medianMs),
      forward: round(base.forward.medianMs / nat.forward.medianMs)
    }
  }
  return result
}

export type MatmulShape = {
  a: number[]
  b: number[]
  transposeA?: boolean
  transposeB?: boolean
  /** Run as tf.fused.matMul with a rank-1 bias and this activation. */
  fused?: 'linear' | 'relu'
}

export type MatmulBenchRow = MatmulShape & {
  label: string
  flops: number
  /** GFLOP/s per variant, kernel time only (wasm kernels run synchronously). */
  gflops: Partial<Record<Variant, number>>
  /** max |native − stock| on this shape's output. */
  maxAbsDiff?: number
}

export type MatmulBenchResult = {
  native: NativeKernelStatus
  iters: number
  rows: MatmulBenchRow[]
}

/** The shapes of native-blas.md's table: the reference model's GEMMs. */
export const REFERENCE_MATMUL_SHAPES: MatmulShape[] = [
  { a: [2048, 128], b: [128, 512] },
  { a: [2048, 128], b: [512, 128], transposeB: true },
  { a: [2048, 512], b: [512, 128] },
  { a: [64, 128, 32], b: [64, 32, 128] },
  { a: [64, 128, 32], b: [64, 128, 32], transposeB: true },
  { a: [64, 128, 128], b: [64, 128, 32] },
  { a: [2048, 128], b: [128, 512], fused: 'linear' },
  { a: [2048, 128], b: [128, 512], fused: 'relu' }
]

function matmulLabel(s: MatmulShape): string {
  const t = (x?: boolean): string => (x ? 'ᵀ' : '')
  const f = s.fused ? ` fused+bias${s.fused === 'relu' ? '+relu' : ''}` : ''
  return `[${s.a.join(',')}]${t(s.transposeA)} x [${s.b.join(',')}]${t(s.transposeB)}${f}`
}

function matmulFlops(s: MatmulShape): number {
  const ra = s.a.length
  const m = (s.transposeA ? s.a[ra - 1] : s.a[ra - 2]) as number
  const k = (s.transposeA ? s.a[ra - 2] : s.a[ra - 1]) as number
  const rb = s.b.length
  const n = (s.transposeB ? s.b[rb - 2] : s.b[rb - 1]) as number
  const batch = Math.max(
    s.a.slice(0, -2).reduce((p, d) => p * d, 1),
    s.b.slice(0, -2).reduce((p, d) => p * d, 1)
  )
  return 2 * batch * m * n * k
}

/** GFLOP/s for each shape through tfjs, stock wasm vs native, with the max abs difference. */
export async function benchMatmulShapes(
  options: NativeKernelOptions & { shapes?: MatmulShape[]; iters?: number; minMs?: number } = {}
): Promise<MatmulBenchResult> {
  await requireWasm()
  const shapes = options.shapes ?? REFERENCE_MATMUL_SHAPES
  const minMs = options.minMs ?? 200
  const wasInstalled = getNativeKernelStatus().enabled
  let native = installNativeKernels(options)
  const variants: Variant[] = native.enabled ? ['wasm', 'wasm+native'] : ['wasm']
  const rows: MatmulBenchRow[] = []
  let itersUsed = 0
  try {
    for (const [i, shape] of shapes.entries()) {
      const a = tf.randomNormal(shape.a, 0, 1, 'float32', 100 + i)
      const b = tf.randomNormal(shape.b, 0, 1, 'float32', 200 + i)
      const n = shape.transposeB ? shape.b[shape.b.length - 2] : shape.b[shape.b.length - 1]
      const bias = tf.randomNormal([n as number], 0, 1, 'float32', 300 + i)
      const run = (): tf.Tensor =>
        shape.fused
          ? tf.fused.matMul({
              a,
              b,
              transposeA: shape.transposeA ?? false,
              transposeB: shape.transposeB ?? false,
              bias,
              activation: shape.fused
            })
          : tf.matMul(a, b, shape.transposeA, shape.transposeB)
      const flops = matmulFlops(shape)
      const row: MatmulBenchRow = { ...shape, label: matmulLabel(shape), flops, gflops: {} }
      const outputs: Partial<Record<Variant, Float32Array>> = {}
      for (const variant of variants) {
        useVariant(variant, options)
        const first = run()
        outputs[variant] = first.dataSync() as Float32Array
        first.dispose()
        // Calibrate: repeat until minMs has passed (at least 3, at most `iters` when given).
        let iters = 0
        const t0 = performance.now()
        while (
          options.iters ? iters < options.iters : iters < 3 || performance.now() - t0 < minMs
        ) {
          run().dispose()
          iters++
        }
        const ms = (performance.now() - t0) / iters
        itersUsed = Math.max(itersUsed, iters)
        row.gflops[variant] = round(flops / ms / 1e6, 1)
      }
      const s = outputs.wasm
      const nv = outputs['wasm+native']
      if (s && nv) {
        let max = 0
        for (let j = 0; j < s.length; j++)
          max = Math.max(max, Math.abs((s[j] as number) - (nv[j] as number)))
        row.maxAbsDiff = max
      }
      tf.dispose([a, b, bias])
      rows.push(row)
    }
  } finally {
    native = wasInstalled ? installNativeKernels(options) : (uninstallNativeKernels(), native)
  }
  return { native, iters: itersUsed, rows }
}
