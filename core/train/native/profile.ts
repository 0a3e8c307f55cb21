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

export type KernelProfile = {
  variant: Variant
  stepMs: number
  /** Sum of kernel times per step; the rest is tfjs engine/tape overhead. */
  kernelMs: number
  overheadMs: number
  /** By kernel name, largest first; share is of the whole step time. */
  kernels: KernelShare[]
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
      profiles.push({
        variant,
        stepMs,
        kernelMs: Number(kernelMs.toFixed(2)),
        overheadMs: Number((meanStep - kernelMs).toFixed(2)),
        kernels
      })
    }
  } finally {
    disposeBatch(data)
    native = wasInstalled ? installNativeKernels(options) : (uninstallNativeKernels(), native)
  }
  return { model, trainBatch, steps, native, profiles }
}
