// Share of the reference training step spent in each kernel kind, measured by wrapping every wasm
// kernel with a timer (wasm kernels are synchronous, so wall time around kernelFunc is kernel time).
import * as tf from '@tensorflow/tfjs'
import { REFERENCE_TRANSFORMER, type TransformerConfig } from '../../agent/models/transformer'
import { requireWasm, summarize, useVariant, type Variant } from './bench'
import {
  getNativeKernelStatus,
  installNativeKernels,
  uninstallNativeKernels,
  type NativeKernelOptions,
  type NativeKernelStatus
} from './install'
import { createReferenceTrainer, disposeBatch, syntheticBatch } from './reference-step'

export type KernelShare = { kernel: string; msPerStep: number; share: number; callsPerStep: number }

export type KernelKind = 'matmul' | 'elementwise' | 'reduction' | 'data movement' | 'other'

export type KindShare = { kind: KernelKind | 'engine overhead'; msPerStep: number; share: number }

export type KernelProfile = {
  variant: Variant
  stepMs: number
  /** Sum of kernel times per step; the rest is tfjs engine/tape overhead. */
  kernelMs: number
  overheadMs: number
  /** By kernel name, largest first; share is of the whole step time. */
  kernels: KernelShare[]
  /** By kernel kind plus the engine overhead, largest first; shares add up to 1. */
  kinds: KindShare[]
}

const KINDS: Record<string, KernelKind> = {
  BatchMatMul: 'matmul',
  _FusedMatMul: 'matmul',
  Sum: 'reduction',
  Mean: 'reduction',
  Max: 'reduction',
  Min: 'reduction',
  Prod: 'reduction',
  Softmax: 'reduction',
  ArgMax: 'reduction',
  Transpose: 'data movement',
  GatherV2: 'data movement',
  UnsortedSegmentSum: 'data movement',
  Identity: 'data movement',
  Cast: 'data movement',
  Reshape: 'data movement',
  Slice: 'data movement',
  StridedSlice: 'data movement',
  PadV2: 'data movement',
  Tile: 'data movement',
  Concat: 'data movement',
  Pack: 'data movement',
  Unpack: 'data movement',
  SplitV: 'data movement',
  OneHot: 'data movement',
  Fill: 'data movement',
  Range: 'data movement',
  ZerosLike: 'data movement',
  OnesLike: 'data movement'
}
const ELEMENTWISE = new Set([
  'Add',
  'AddN',
  'Sub',
  'Multiply',
  'RealDiv',
  'Neg',
  'Square',
  'SquaredDifference',
  'Sqrt',
  'Rsqrt',
  'Pow',
  'Exp',
  'Log',
  'Tanh',
  'Sigmoid',
  'Relu',
  'Elu',
  'Abs',
  'Maximum',
  'Minimum',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'Equal',
  'Select',
  'SelectV2',
  'Step',
  'Sign',
  'Reciprocal',
  'Softplus',
  'LogicalAnd',
  'Clip',
  'ClipByValue',
  'Erf'
])

/** The kind of a tfjs kernel for the step-time breakdown. */
export function kernelKind(name: string): KernelKind {
  return KINDS[name] ?? (ELEMENTWISE.has(name) ? 'elementwise' : 'other')
}

export type KernelShareResult = {
  model: TransformerConfig
  trainBatch: number
  steps: number
  native: NativeKernelStatus
  profiles: KernelProfile[]
}

type Timer = { ms: number; calls: number }

/** Wraps every registered wasm kernel with a timer; returns the totals and an undo function. */
function timeKernels(): { totals: Map<string, Timer>; restore: () => void } {
  const totals = new Map<string, Timer>()
  const originals = tf.getKernelsForBackend('wasm')
  for (const config of originals) {
    const inner = config.kernelFunc
    const timer: Timer = { ms: 0, calls: 0 }
    totals.set(config.kernelName, timer)
    tf.unregisterKernel(config.kernelName, 'wasm')
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const t0 = performance.now()
        try {
          return inner(args)
        } finally {
          timer.ms += performance.now() - t0
          timer.calls++
        }
      }
    })
  }
  return {
    totals,
    restore: () => {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, 'wasm')
        tf.registerKernel(config)
      }
    }
  }
}

/** Per-kernel time of the reference training step for each variant (default: both). */
export async function profileKernelShare(
  options: NativeKernelOptions & {
    model?: TransformerConfig
    trainBatch?: number
    steps?: number
    warmup?: number
    variants?: Variant[]
    top?: number
  } = {}
): Promise<KernelShareResult> {
  await requireWasm()
  const model = options.model ?? REFERENCE_TRANSFORMER
  const trainBatch = options.trainBatch ?? 16
  const steps = options.steps ?? 4
  const warmup = options.warmup ?? 2
  const wasInstalled = getNativeKernelStatus().enabled
  let native = installNativeKernels(options)
  const variants = (options.variants ?? ['wasm', 'wasm+native']).filter(
    (v) => v === 'wasm' || native.enabled
  )
  const data = syntheticBatch(model, trainBatch, model.context, 7)
  const profiles: KernelProfile[] = []
  try {
    for (const variant of variants) {
      useVariant(variant, options)
      const trainer = createReferenceTrainer(model, 7)
      for (let i = 0; i < warmup; i++) trainer.step(data)
      const { totals, restore } = timeKernels()
      const stepTimes: number[] = []
      try {
        for (let i = 0; i < steps; i++) {
          const t0 = performance.now()
          trainer.step(data)
          stepTimes.push(performance.now() - t0)
        }
      } finally {
        restore()
        trainer.dispose()
      }
      const stepMs = summarize(stepTimes).medianMs
      const meanStep = stepTimes.reduce((p, t) => p + t, 0) / steps
      const kernels = [...totals.entries()]
        .filter(([, t]) => t.calls > 0)
        .map(([kernel, t]) => ({
          kernel,
          msPerStep: Number((t.ms / steps).toFixed(2)),
          share: Number((t.ms / steps / meanStep).toFixed(4)),
          callsPerStep: Math.round(t.calls / steps)
        }))
        .sort((p, q) => q.msPerStep - p.msPerStep)
        .slice(0, options.top ?? 30)
      const kernelMs = [...totals.values()].reduce((p, t) => p + t.ms, 0) / steps
      const byKind = new Map<KindShare['kind'], number>()
      for (const [name, t] of totals) {
        const kind = kernelKind(name)
        byKind.set(kind, (byKind.get(kind) ?? 0) + t.ms / steps)
      }
      byKind.set('engine overhead', Math.max(0, meanStep - kernelMs))
      const kinds = [...byKind.entries()]
        .filter(([, ms]) => ms > 0)
        .map(([kind, ms]) => ({
          kind,
          msPerStep: Number(ms.toFixed(2)),
          share: Number((ms / meanStep).toFixed(4))
        }))
        .sort((p, q) => q.msPerStep - p.msPerStep)
      profiles.push({
        variant,
        stepMs,
        kernelMs: Number(kernelMs.toFixed(2)),
        overheadMs: Number((meanStep - kernelMs).toFixed(2)),
        kernels,
        kinds
      })
    }
  } finally {
    disposeBatch(data)
    native = wasInstalled ? installNativeKernels(options) : (uninstallNativeKernels(), native)
  }
  return { model, trainBatch, steps, native, profiles }
}
