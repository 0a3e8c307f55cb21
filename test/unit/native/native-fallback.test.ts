// The pure-wasm fallback: forced off, missing addon, other backends, restore on uninstall; the pinned
// tfjs internals the kernels depend on; and the build script's no-BLAS path (npm ci must not fail).
import { ATTENTION_SOFTMAX_KERNEL } from '../../../core/agent/models/attention-softmax'
import { GELU_KERNEL } from '../../../core/agent/models/gelu'
import { LAYER_NORM_KERNEL } from '../../../core/agent/models/layer-norm'
import { LOG_SOFTMAX_KERNEL } from '../../../core/agent/models/log-softmax'
import * as tf from '@tensorflow/tfjs'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  NATIVE_KERNEL_NAMES,
  PINNED_TFJS_VERSION,
  checkWasmInternals,
  describeNativeStatus,
  getNativeKernelStatus,
  installNativeKernels,
  uninstallNativeKernels
} from '../../../core/train/native'
import { nativeAvailable, wasmReady } from './helpers'

await wasmReady()
const available = nativeAvailable()
const root = path.resolve(import.meta.dirname, '../../..')

const stockFuncs = (): Map<string, tf.KernelFunc> =>
  new Map(NATIVE_KERNEL_NAMES.map((k) => [k, tf.getKernel(k, 'wasm').kernelFunc]))

describe('pinned tfjs internals', () => {
  it('package.json pins tfjs and the wasm backend exactly to the version the kernels target', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(pkg.dependencies['@tensorflow/tfjs']).toBe(PINNED_TFJS_VERSION)
    expect(pkg.dependencies['@tensorflow/tfjs-backend-wasm']).toBe(PINNED_TFJS_VERSION)
    expect(tf.version_core).toBe(PINNED_TFJS_VERSION)
  })

  it('the wasm backend still exposes makeOutput/typedArrayFromHeap/incRef/dataIdMap as zero-copy views', () => {
    // If this fails after a tfjs upgrade, the native kernels are silently off: fix them, then re-pin.
    expect(checkWasmInternals(tf.backend())).toBeUndefined()
  })

  it('every overridden kernel exists on stock wasm with the inputs/attrs the native code reads', () => {
    for (const name of NATIVE_KERNEL_NAMES) expect(tf.getKernel(name, 'wasm'), name).toBeDefined()
    expect(checkWasmInternals({})).toMatch(/no makeOutput/)
  })
})

describe('fallback to the stock wasm kernels', () => {
  const envBefore = process.env.HIMAC_NATIVE
  beforeEach(() => {
    delete process.env.HIMAC_NATIVE
  })
  afterEach(() => {
    if (envBefore === undefined) delete process.env.HIMAC_NATIVE
    else process.env.HIMAC_NATIVE = envBefore
    uninstallNativeKernels()
  })

  it('HIMAC_NATIVE=0 forces the fallback and leaves every stock kernel in place', () => {
    const before = stockFuncs()
    process.env.HIMAC_NATIVE = '0'
    const s = installNativeKernels()
    expect(s).toEqual({
      enabled: false,
      reason: 'disabled by HIMAC_NATIVE=0',
      kernels: [],
      threads: 0,
      blas: ''
    })
    expect(stockFuncs()).toEqual(before)
    expect(describeNativeStatus(s)).toMatch(/^native kernels off \(pure wasm\)/)
  })

  it('enabled: false and a missing addon file both fall back with a reason', () => {
    const before = stockFuncs()
    const lines: string[] = []
    const off = installNativeKernels({ enabled: false, log: (l) => lines.push(l) })
    expect(off.reason).toBe('disabled by option')
    expect(lines).toEqual(['native kernels off (pure wasm): disabled by option'])
    const missing = installNativeKernels({ addonPath: path.join(root, 'native/build/none.node') })
    expect(missing.enabled).toBe(false)
    expect(missing.reason).toMatch(/addon not built/)
    expect(stockFuncs()).toEqual(before)
    // the fallback computes as usual
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]))
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3])
    y.dispose()
  })

  it('is a no-op on other backends', async () => {
    const before = stockFuncs()
    expect(await tf.setBackend('cpu')).toBe(true)
    try {
      const s = installNativeKernels()
      expect(s.enabled).toBe(false)
      expect(s.reason).toBe('backend is cpu, not wasm')
    } finally {
      expect(await tf.setBackend('wasm')).toBe(true)
    }
    expect(stockFuncs()).toEqual(before)
  })

  it('a broken addon file is reported, not thrown', () => {
    const s = installNativeKernels({ addonPath: path.join(root, 'package.json') })
    expect(s.enabled).toBe(false)
    expect(s.reason).toMatch(/failed to load|lacks/)
  })

  it('unknown kernel names are refused', () => {
    const s = installNativeKernels({ kernels: ['BatchMatMul', 'Conv2D'] })
    if (available) expect(s.reason).toBe('unknown native kernels: Conv2D')
    expect(s.enabled).toBe(false)
  })

  it.skipIf(!available)(
    'install swaps kernels and the matmul gradient; uninstall restores both',
    () => {
      const before = stockFuncs()
      const grad = tf.getGradient('BatchMatMul')
      const s = installNativeKernels({ threads: 1 })
      expect(s.enabled).toBe(true)
      expect(s.threads).toBe(1)
      const ours = [GELU_KERNEL, LAYER_NORM_KERNEL, ATTENTION_SOFTMAX_KERNEL, LOG_SOFTMAX_KERNEL]
      expect(s.kernels).toEqual([...NATIVE_KERNEL_NAMES, ...ours])
      for (const op of ours) expect(tf.getGradient(op), op).toBeDefined()
      expect(s.blas).toMatch(/OpenBLAS|Accelerate/)
      expect(getNativeKernelStatus()).toEqual(s)
      for (const k of NATIVE_KERNEL_NAMES)
        expect(tf.getKernel(k, 'wasm').kernelFunc).not.toBe(before.get(k))
      expect(tf.getGradient('BatchMatMul')).not.toBe(grad)
      // installing twice does not stack wrappers: one uninstall restores the stock kernels
      installNativeKernels({ kernels: ['BatchMatMul'] })
      expect(getNativeKernelStatus().kernels).toEqual(['BatchMatMul'])
      uninstallNativeKernels()
      expect(stockFuncs()).toEqual(before)
      expect(tf.getGradient('BatchMatMul')).toBe(grad)
      expect(tf.getKernel(GELU_KERNEL, 'wasm')).toBeUndefined()
      expect(tf.getGradient(GELU_KERNEL)).toBeUndefined()
      expect(tf.getKernel(LAYER_NORM_KERNEL, 'wasm')).toBeUndefined()
      for (const op of [ATTENTION_SOFTMAX_KERNEL, LOG_SOFTMAX_KERNEL]) {
        expect(tf.getKernel(op, 'wasm'), op).toBeUndefined()
        expect(tf.getGradient(op), op).toBeUndefined()
      }
      expect(tf.getGradient(LAYER_NORM_KERNEL)).toBeUndefined()
      expect(getNativeKernelStatus().enabled).toBe(false)
    }
  )
})

describe('native/build.mjs', () => {
  const build = (env: Record<string, string>, ...args: string[]): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, [path.join(root, 'native/build.mjs'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env }
    })

  it('exits 0 with one line when no BLAS is found (npm install keeps going)', () => {
    const r = build({ HIMAC_OPENBLAS_LIB: '/nonexistent/libopenblas.a' })
    expect(r.status).toBe(0)
    expect(String(r.stdout).trim()).toMatch(/^\[himac-native\] no BLAS found .*pure-wasm/)
  })

  it('--strict turns a missing BLAS into a failure (for CI that requires the addon)', () => {
    const r = build({ HIMAC_OPENBLAS_LIB: '/nonexistent/libopenblas.a' }, '--strict')
    expect(r.status).toBe(1)
  })

  it('HIMAC_NATIVE_BUILD=0 skips the build', () => {
    const r = build({ HIMAC_NATIVE_BUILD: '0' })
    expect(r.status).toBe(0)
    expect(String(r.stdout)).toMatch(/skipped/)
  })
})
