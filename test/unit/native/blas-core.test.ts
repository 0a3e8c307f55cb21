// The OpenBLAS kernel choice is pinned (core/train/native/addon.ts): the same seed must give the same
// float sums on any AVX2 machine, whatever CPU model it reports or OPENBLAS_CORETYPE it sets.
import { describe, expect, it } from 'vitest'
import { loadAddon, PINNED_BLAS_CORE, pinBlasCore } from '../../../core/train/native/addon'

const AVX2 = () => 'fpu sse2 avx avx2 fma avx512f'

describe('pinBlasCore', () => {
  it('pins Haswell on x64 with AVX2 and FMA, over an OPENBLAS_CORETYPE the machine sets', () => {
    const env: NodeJS.ProcessEnv = { OPENBLAS_CORETYPE: 'Zen' }
    expect(pinBlasCore(env, AVX2, 'x64')).toBe(PINNED_BLAS_CORE)
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell')
  })

  it('leaves the choice to OpenBLAS with HIMAC_BLAS_CORETYPE=auto, on other CPUs and arches', () => {
    for (const [env, flags, arch] of [
      [{ HIMAC_BLAS_CORETYPE: 'auto', OPENBLAS_CORETYPE: 'Zen' }, AVX2, 'x64'],
      [{}, () => 'fpu sse2 avx', 'x64'],
      [{}, AVX2, 'arm64']
    ] as const) {
      const copy: NodeJS.ProcessEnv = { ...env }
      expect(pinBlasCore(copy, flags, arch)).toBeNull()
      expect(copy.OPENBLAS_CORETYPE).toBe((env as NodeJS.ProcessEnv).OPENBLAS_CORETYPE)
    }
  })

  it('passes another HIMAC_BLAS_CORETYPE on', () => {
    const env: NodeJS.ProcessEnv = { HIMAC_BLAS_CORETYPE: 'SkylakeX' }
    expect(pinBlasCore(env, AVX2, 'x64')).toBe('SkylakeX')
    expect(env.OPENBLAS_CORETYPE).toBe('SkylakeX')
  })

  it('the loaded addon reports the pinned kernels', () => {
    const load = loadAddon()
    if (!load.addon || process.arch !== 'x64' || process.env.HIMAC_BLAS_CORETYPE) return
    if (!/OpenBLAS/.test(load.addon.blasInfo())) return
    expect(load.addon.blasInfo()).toContain(`(core ${PINNED_BLAS_CORE})`)
  })
})
