// Default BLAS threads: every core unless rollouts run in parallel (then cores − 1, at least 1);
// HIMAC_NATIVE_THREADS overrides both; installNativeKernels applies the default.
import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultThreads } from '../../../core/train/native/addon'
import { installNativeKernels, uninstallNativeKernels } from '../../../core/train/native'
import { nativeAvailable, wasmReady } from './helpers'

await wasmReady()
const available = nativeAvailable()
const cores = os.availableParallelism()
const saved = { ...process.env }

describe('default BLAS threads', () => {
  afterEach(() => {
    for (const k of ['HIMAC_NATIVE_THREADS', 'HIMAC_PARALLEL_ROLLOUTS']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
    uninstallNativeKernels()
  })

  it('uses every core, or leaves one for parallel rollouts', () => {
    delete process.env.HIMAC_NATIVE_THREADS
    delete process.env.HIMAC_PARALLEL_ROLLOUTS
    expect(defaultThreads()).toBe(cores)
    expect(defaultThreads({ parallelRollouts: true })).toBe(Math.max(1, cores - 1))
    process.env.HIMAC_PARALLEL_ROLLOUTS = '1'
    expect(defaultThreads()).toBe(Math.max(1, cores - 1))
    expect(defaultThreads({ parallelRollouts: false })).toBe(cores)
  })

  it('HIMAC_NATIVE_THREADS wins; invalid values are ignored', () => {
    process.env.HIMAC_NATIVE_THREADS = '3'
    expect(defaultThreads()).toBe(3)
    expect(defaultThreads({ parallelRollouts: true })).toBe(3)
    process.env.HIMAC_NATIVE_THREADS = 'many'
    expect(defaultThreads()).toBe(cores)
  })

  it.skipIf(!available)('installNativeKernels applies the default', () => {
    delete process.env.HIMAC_NATIVE_THREADS
    delete process.env.HIMAC_PARALLEL_ROLLOUTS
    expect(installNativeKernels().threads).toBe(cores)
    expect(installNativeKernels({ parallelRollouts: true }).threads).toBe(Math.max(1, cores - 1))
  })
})
