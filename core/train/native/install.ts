// Registers the native kernels over the stock wasm ones (keeping the stock configs to restore).
import * as tf from '@tensorflow/tfjs'
import { defaultThreads, loadAddon } from './addon'
import { NATIVE_KERNELS, NATIVE_OPS } from './kernels'
import { flagMatMulGrad } from './matmul-grad'
import { checkWasmInternals } from './wasm-internals'

export type NativeKernelOptions = {
  /** BLAS threads; default all cores, or HIMAC_NATIVE_THREADS (see defaultThreads). */
  threads?: number
  /** Rollouts run in parallel with the matmuls: the default leaves them one core (cores − 1). */
  parallelRollouts?: boolean
  /** Explicit addon file; default: HIMAC_NATIVE_ADDON, the packaged app, native/build/Release. */
  addonPath?: string
  /** false forces the pure-wasm fallback (so does the environment variable HIMAC_NATIVE=0). */
  enabled?: boolean
  /** Only these kernels (names as in NATIVE_KERNEL_NAMES or NATIVE_OPS); default all. */
  kernels?: string[]
  /** Receives describeNativeStatus() of the outcome (e.g. the run logger). */
  log?: (line: string) => void
}

/** What was chosen; log it and store it with the run next to the backend. */
export type NativeKernelStatus = {
  enabled: boolean
  /** Why the kernels are on or off (one line). */
  reason: string
  /** Kernel names now served natively. */
  kernels: string[]
  /** BLAS threads (0 when disabled). */
  threads: number
  /** BLAS build ('' when disabled). */
  blas: string
}

export const NATIVE_KERNEL_NAMES: string[] = Object.keys(NATIVE_KERNELS)

const BACKEND = 'wasm'
const stockConfigs = new Map<string, tf.KernelConfig>()
/** Kernels and gradients of our own ops that install registered (no stock ones to restore). */
const addedOps: string[] = []
const addedGradients: string[] = []
let savedMatMulGrad: tf.GradConfig | undefined
let status: NativeKernelStatus = off('not installed')

function off(reason: string): NativeKernelStatus {
  return { enabled: false, reason, kernels: [], threads: 0, blas: '' }
}

function disabledByEnv(): boolean {
  const v = (process.env.HIMAC_NATIVE ?? '').trim().toLowerCase()
  return v === '0' || v === 'false' || v === 'off' || v === 'no'
}

/**
 * Puts the native kernels in place of the stock wasm ones. Call right after selectBackend() picked
 * 'wasm'. On any other backend, when disabled, or when the addon is missing or broken, it changes
 * nothing and returns enabled=false with the reason: the stock wasm kernels stay the fallback.
 * Calling it again re-applies the options (threads, kernel subset).
 */
export function installNativeKernels(options: NativeKernelOptions = {}): NativeKernelStatus {
  const result = install(options)
  options.log?.(describeNativeStatus(result))
  return result
}

function install(options: NativeKernelOptions): NativeKernelStatus {
  uninstallNativeKernels()
  if (options.enabled === false) return (status = off('disabled by option'))
  if (disabledByEnv()) return (status = off(`disabled by HIMAC_NATIVE=${process.env.HIMAC_NATIVE}`))
  let backendName: string
  try {
    backendName = tf.getBackend()
  } catch (err) {
    return (status = off(`no tfjs backend ready (${String(err).split('\n')[0]})`))
  }
  if (backendName !== BACKEND) return (status = off(`backend is ${backendName}, not wasm`))
  const problem = checkWasmInternals(tf.backend())
  if (problem) return (status = off(`wasm internals changed: ${problem}`))
  const load = loadAddon(options.addonPath)
  if (!load.addon) return (status = off(load.reason))
  const { addon } = load
  const wanted = options.kernels ?? [...NATIVE_KERNEL_NAMES, ...Object.keys(NATIVE_OPS)]
  const unknown = wanted.filter((k) => !NATIVE_KERNELS[k] && !NATIVE_OPS[k])
  if (unknown.length > 0) return (status = off(`unknown native kernels: ${unknown.join(', ')}`))
  let threads: number
  try {
    threads = addon.setThreads(
      options.threads ?? defaultThreads({ parallelRollouts: options.parallelRollouts })
    )
  } catch (err) {
    return (status = off(`addon setThreads failed: ${String(err)}`))
  }
  const installed: string[] = []
  for (const name of wanted) {
    const stock = tf.getKernel(name, BACKEND)
    const factory = NATIVE_KERNELS[name]
    if (!stock || !factory) continue
    stockConfigs.set(name, stock)
    tf.unregisterKernel(name, BACKEND)
    const config: tf.KernelConfig = {
      kernelName: name,
      backendName: BACKEND,
      kernelFunc: factory(addon, stock.kernelFunc)
    }
    // Keep the stock setup so a re-initialised backend still prepares the fallback paths.
    if (stock.setupFunc) config.setupFunc = stock.setupFunc
    if (stock.disposeFunc) config.disposeFunc = stock.disposeFunc
    tf.registerKernel(config)
    installed.push(name)
  }
  for (const [name, factory] of Object.entries(NATIVE_OPS)) {
    const op = wanted.includes(name) ? factory(addon) : null
    if (!op) continue
    for (const k of op.kernels) {
      tf.registerKernel({ ...k, backendName: BACKEND })
      addedOps.push(k.kernelName)
    }
    tf.registerGradient(op.gradient)
    addedGradients.push(op.gradient.kernelName)
    installed.push(name)
  }
  if (installed.includes('BatchMatMul')) {
    savedMatMulGrad = tf.getGradient('BatchMatMul')
    tf.registerGradient(flagMatMulGrad)
  }
  status = {
    enabled: installed.length > 0,
    reason: `native kernels from ${load.path}`,
    kernels: installed,
    threads,
    blas: addon.blasInfo()
  }
  return status
}

/** Restores the stock wasm kernels (for same-run comparisons); a no-op when nothing is installed. */
export function uninstallNativeKernels(): void {
  for (const [name, stock] of stockConfigs) {
    if (tf.getKernel(name, BACKEND)) tf.unregisterKernel(name, BACKEND)
    tf.registerKernel(stock)
  }
  stockConfigs.clear()
  for (const name of addedOps) if (tf.getKernel(name, BACKEND)) tf.unregisterKernel(name, BACKEND)
  for (const name of addedGradients) tf.unregisterGradient(name)
  addedOps.length = 0
  addedGradients.length = 0
  if (savedMatMulGrad) {
    tf.unregisterGradient('BatchMatMul')
    tf.registerGradient(savedMatMulGrad)
    savedMatMulGrad = undefined
  }
  if (status.enabled) status = off('uninstalled')
}

/** The current state (what the last install/uninstall did). */
export function getNativeKernelStatus(): NativeKernelStatus {
  return { ...status, kernels: [...status.kernels] }
}

/** One line for the run log, e.g. "native kernels on: OpenBLAS …, 1 thread, 7 kernels". */
export function describeNativeStatus(s: NativeKernelStatus): string {
  if (!s.enabled) return `native kernels off (pure wasm): ${s.reason}`
  const threads = `${s.threads} thread${s.threads === 1 ? '' : 's'}`
  return `native kernels on: ${s.blas}, ${threads}, ${s.kernels.join(' ')}`
}
