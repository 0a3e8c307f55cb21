// Decoding throughput of the LM with the KV cache against re-encoding the whole prefix for every new
// token: same model (seed), same prompts and same decoded tokens (teacher-forced, so both paths do
// identical work per step and their logits must agree). Results are plain JSON for `himac bench`.
import * as tf from '@tensorflow/tfjs'
import { requireWasm, summarize, type TimingSummary } from '../train/native/bench'
import {
  getNativeKernelStatus,
  installNativeKernels,
  uninstallNativeKernels,
  type NativeKernelStatus
} from '../train/native/install'
import { mulberry32 } from '../rng'
import {
  createTransformerLM,
  REFERENCE_TRANSFORMER,
  type TransformerConfig
} from './models/transformer'

export type KvCacheBenchOptions = {
  model?: TransformerConfig
  /** Rows decoded in lockstep; default 16. */
  batch?: number
  /** Prompt tokens per row; default 64. */
  prompt?: number
  /** Tokens decoded per row (prompt + steps ≤ context); default 32. */
  steps?: number
  seed?: number
  /** Use the native kernels when they load (default true); the previous state is restored. */
  native?: boolean
}

export type KvCacheBenchPath = {
  /** Decoding only (prefill excluded for the cache), synced after every step as sampling would. */
  stepMs: TimingSummary
  tokensPerSec: number
  totalMs: number
}

export type KvCacheBenchResult = {
  model: TransformerConfig
  batch: number
  prompt: number
  steps: number
  native: NativeKernelStatus
  prefillMs: number
  kvCache: KvCacheBenchPath
  reencode: KvCacheBenchPath
  /** reencode ms / kv-cache ms over the decoding steps. */
  speedup: number
  /** Largest difference between the two paths' logits (should be ~1e-6). */
  maxLogitDiff: number
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits))

export async function benchKvCache(options: KvCacheBenchOptions = {}): Promise<KvCacheBenchResult> {
  await requireWasm()
  const config = options.model ?? REFERENCE_TRANSFORMER
  const batch = options.batch ?? 16
  const prompt = options.prompt ?? 64
  const steps = options.steps ?? 32
  const seed = options.seed ?? 1
  if (prompt + steps > config.context) {
    throw new Error(`prompt ${prompt} + steps ${steps} exceed the context ${config.context}`)
  }
  const wasInstalled = getNativeKernelStatus().enabled
  const native =
    options.native === false
      ? (uninstallNativeKernels(), getNativeKernelStatus())
      : installNativeKernels()
  const rand = mulberry32(seed)
  const rows = Array.from({ length: batch }, () =>
    Array.from({ length: prompt + steps }, () => 1 + Math.floor(rand() * (config.vocab - 1)))
  )
  const model = createTransformerLM(config, seed)
  const cacheLogits: Float32Array[] = []
  const fullLogits: Float32Array[] = []
  try {
    // Warm-up of both paths (kernel setup, first allocations).
    const warm = model.createCache(batch)
    model
      .extend(
        warm,
        rows.map((r) => r.slice(0, prompt))
      )
      .logits?.dispose()
    warm.dispose()

    const cache = model.createCache(batch)
    let t0 = performance.now()
    const first = model.extend(
      cache,
      rows.map((r) => r.slice(0, prompt))
    )
    cacheLogits.push(first.logits?.dataSync() as Float32Array)
    first.logits?.dispose()
    const prefillMs = performance.now() - t0
    const kvTimes: number[] = []
    for (let i = 0; i < steps - 1; i++) {
      t0 = performance.now()
      const out = model.extend(
        cache,
        rows.map((r) => [r[prompt + i] as number])
      )
      cacheLogits.push(out.logits?.dataSync() as Float32Array)
      kvTimes.push(performance.now() - t0)
      out.logits?.dispose()
    }
    cache.dispose()

    const fullTimes: number[] = []
    for (let i = 0; i < steps; i++) {
      const len = prompt + i
      t0 = performance.now()
      const tokens = tf.tensor2d(
        rows.flatMap((r) => r.slice(0, len)),
        [batch, len],
        'int32'
      )
      const logits = model.logitsAt(
        tokens,
        Array.from({ length: batch }, (_, b) => b * len + len - 1)
      )
      fullLogits.push(logits.dataSync() as Float32Array)
      if (i > 0) fullTimes.push(performance.now() - t0)
      tf.dispose([tokens, logits])
    }
    let maxLogitDiff = 0
    cacheLogits.forEach((c, i) => {
      const f = fullLogits[i] as Float32Array
      for (let j = 0; j < c.length; j++)
        maxLogitDiff = Math.max(maxLogitDiff, Math.abs((c[j] as number) - (f[j] as number)))
    })
    const path = (times: number[]): KvCacheBenchPath => {
      const total = times.reduce((p, t) => p + t, 0)
      return {
        stepMs: summarize(times),
        tokensPerSec: Math.round((batch * times.length * 1000) / total),
        totalMs: round(total)
      }
    }
    const kvCache = path(kvTimes)
    const reencode = path(fullTimes)
    return {
      model: config,
      batch,
      prompt,
      steps,
      native,
      prefillMs: round(prefillMs),
      kvCache,
      reencode,
      speedup: round(reencode.totalMs / kvCache.totalMs),
      maxLogitDiff: Number(maxLogitDiff.toExponential(2))
    }
  } finally {
    model.dispose()
    if (wasInstalled) installNativeKernels()
    else uninstallNativeKernels()
  }
}
