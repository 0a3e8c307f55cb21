// Shared setup for the native kernel tests: the wasm backend, addon availability, and a runner that
// evaluates the same op with native kernels and with the stock ones.
import * as tf from '@tensorflow/tfjs'
import { existsSync } from 'node:fs'
import { selectBackend } from '../../../core/train/backend'
import { addonCandidates, loadAddon } from '../../../core/train/native/addon'
import { installNativeKernels, uninstallNativeKernels } from '../../../core/train/native'

export async function wasmReady(): Promise<void> {
  const choice = await selectBackend('wasm')
  if (choice.backend !== 'wasm') throw new Error(`wasm backend failed: ${choice.notes.join('; ')}`)
}

const STATIC_OPENBLAS = [
  '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.a',
  '/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.a',
  '/usr/lib/x86_64-linux-gnu/libopenblas.a',
  '/usr/lib/aarch64-linux-gnu/libopenblas.a'
]

/**
 * Whether the native tests can run. A machine with a BLAS but no addon is a broken build, not a
 * reason to skip: that throws, so CI (which installs libopenblas-dev) fails loudly.
 */
export function nativeAvailable(): boolean {
  if (process.env.HIMAC_NATIVE === '0') return false
  const load = loadAddon()
  if (load.addon) return true
  const blas = process.platform === 'darwin' || STATIC_OPENBLAS.some((p) => existsSync(p))
  if (blas) {
    throw new Error(
      `a BLAS is installed but the native addon is missing (${load.reason}); run: node native/build.mjs`
    )
  }
  console.warn(`native kernel tests skipped: no BLAS on this machine (${addonCandidates()[0]})`)
  return false
}

export type Pair = {
  native: Float32Array
  stock: Float32Array
  nativeShape: number[]
  stockShape: number[]
}

/** Runs fn with the native kernels, then with the stock ones; returns both outputs. */
export function nativeVsStock(fn: () => tf.Tensor): Pair {
  const status = installNativeKernels()
  if (!status.enabled) throw new Error(`native kernels did not install: ${status.reason}`)
  const n = fn()
  const native = n.dataSync() as Float32Array
  const nativeShape = n.shape
  n.dispose()
  uninstallNativeKernels()
  const s = fn()
  const stock = s.dataSync() as Float32Array
  const stockShape = s.shape
  s.dispose()
  return { native, stock, nativeShape, stockShape }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity
  let max = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    if (Number.isNaN(x) && Number.isNaN(y)) continue
    const d = x === y ? 0 : Math.abs(x - y)
    if (Number.isNaN(d)) return Infinity
    if (d > max) max = d
  }
  return max
}

export const uniform = (shape: number[], seed: number): tf.Tensor =>
  tf.randomUniform(shape, -1, 1, 'float32', seed)
