// Locates and loads the native kernel addon (native/build/Release/himac_blas.node). Node-only.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The functions of native/himac_blas.c. Every array is borrowed for the duration of the call only. */
export type BlasAddon = {
  /** C[i] = op(A[ai]) x op(B[bi]) (+ bias) (relu); ai/bi default to i, or 0 when A/B hold one matrix. */
  matmul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    transposeA: number,
    transposeB: number,
    aIndex?: Int32Array | null,
    bIndex?: Int32Array | null,
    bias?: Float32Array | null,
    act?: number
  ): void
  /** y[j] = sum over rows of x viewed as [x.length / y.length, y.length]. */
  sumLeading(x: Float32Array, y: Float32Array): void
  /** op 0 = tanh, 1 = exp; x and y may be the same array. */
  unary(op: number, x: Float32Array, y: Float32Array): void
  /** y = gelu(x) (tanh form); with dy, y = dy · gelu'(x). Absent from addons built before it. */
  gelu?(x: Float32Array, y: Float32Array, dy?: Float32Array): void
  /** y = LayerNorm(x) over rows of g.length, times g plus b. Absent from addons built before it. */
  layerNorm?(x: Float32Array, g: Float32Array, b: Float32Array, y: Float32Array, eps: number): void
  /** dx, dg, db of that LayerNorm from x, g and dy. */
  layerNormGrad?(
    x: Float32Array,
    g: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dg: Float32Array,
    db: Float32Array,
    eps: number
  ): void
  /** y = softmax(x · scale + m) over rows of k; x is blocks of s × k, m one block or one per row. */
  attnSoftmax?(
    x: Float32Array,
    m: Float32Array,
    y: Float32Array,
    s: number,
    k: number,
    scale: number
  ): void
  /** dx = scale · y · (dy − Σ dy·y) over rows of k. */
  attnSoftmaxGrad?(
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    k: number,
    scale: number
  ): void
  /** y = log softmax(x) over rows of k; with (y, dy, dx, k) its gradient dx = dy − exp(y) · Σ dy. */
  logSoftmax?: ((x: Float32Array, y: Float32Array, k: number) => void) &
    ((y: Float32Array, dy: Float32Array, dx: Float32Array, k: number) => void)
  setThreads(threads: number): number
  getThreads(): number
  blasInfo(): string
}

export type AddonLoad = { addon: BlasAddon; path: string } | { addon: undefined; reason: string }

const ADDON_FILE = 'himac_blas.node'
const FUNCTIONS = ['matmul', 'sumLeading', 'unary', 'setThreads', 'getThreads', 'blasInfo'] as const

/** Where the addon may live: an explicit path, HIMAC_NATIVE_ADDON, the packaged app, the source tree. */
export function addonCandidates(explicit?: string): string[] {
  if (explicit) return [path.resolve(explicit)]
  const list: string[] = []
  const fromEnv = process.env.HIMAC_NATIVE_ADDON
  if (fromEnv) list.push(path.resolve(fromEnv))
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath
  if (resources) list.push(path.join(resources, 'native', ADDON_FILE))
  // From core/train/native/ (tsx, vitest) and from out/main/ (electron-vite bundle) up to the root.
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const up of ['../../..', '../..']) {
    list.push(path.resolve(here, up, 'native', 'build', 'Release', ADDON_FILE))
  }
  list.push(path.resolve(process.cwd(), 'native', 'build', 'Release', ADDON_FILE))
  return [...new Set(list)]
}

/** The first addon file that exists among the candidates, if any (loads nothing). */
export function findAddonFile(explicit?: string): string | undefined {
  return addonCandidates(explicit).find((p) => existsSync(p))
}

let cached: { key: string; load: AddonLoad } | undefined

/** The OpenBLAS kernels every run uses unless HIMAC_BLAS_CORETYPE says otherwise. */
export const PINNED_BLAS_CORE = 'Haswell'

/**
 * OpenBLAS (DYNAMIC_ARCH) picks its sgemm kernels by CPU model — Haswell, SkylakeX, Cooperlake,
 * Zen… — or by OPENBLAS_CORETYPE, and each kernel sums in its own order: the same seed trained other
 * numbers on a VM that reported another CPU (or set OPENBLAS_CORETYPE), and a learning test's
 * trajectory with them. So every x86-64 machine with AVX2 and FMA runs the Haswell kernels, whatever
 * OPENBLAS_CORETYPE says; HIMAC_BLAS_CORETYPE=auto leaves OPENBLAS_CORETYPE and OpenBLAS's choice
 * alone (a newer kernel may be faster, with other float bits), another value is used instead of
 * Haswell. Must run before the addon loads (OpenBLAS reads it once, at load). Returns the core set.
 */
export function pinBlasCore(
  env: NodeJS.ProcessEnv = process.env,
  cpuFlags: () => string = linuxCpuFlags,
  arch: string = process.arch
): string | null {
  const wanted = (env.HIMAC_BLAS_CORETYPE ?? '').trim()
  if (wanted.toLowerCase() === 'auto') return null
  if (wanted !== '') return (env.OPENBLAS_CORETYPE = wanted)
  if (arch !== 'x64') return null
  const flags = new Set(cpuFlags().split(/\s+/))
  if (!flags.has('avx2') || !flags.has('fma')) return null
  return (env.OPENBLAS_CORETYPE = PINNED_BLAS_CORE)
}

/** The CPU's feature flags on Linux ('' elsewhere: then OpenBLAS chooses). */
function linuxCpuFlags(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8')
    return /^flags\s*:(.*)$/m.exec(info)?.[1] ?? ''
  } catch {
    return ''
  }
}

/** Loads the addon once per path; never throws (a missing or broken addon gives a reason). */
export function loadAddon(explicit?: string): AddonLoad {
  const candidates = addonCandidates(explicit)
  const key = candidates.join('|')
  if (cached?.key === key) return cached.load
  const found = findAddonFile(explicit)
  let load: AddonLoad
  if (!found) {
    load = { addon: undefined, reason: `addon not built (looked for ${candidates[0]})` }
  } else {
    try {
      pinBlasCore()
      const mod = createRequire(import.meta.url)(found) as Partial<BlasAddon>
      const missing = FUNCTIONS.filter((f) => typeof mod[f] !== 'function')
      load =
        missing.length === 0
          ? { addon: mod as BlasAddon, path: found }
          : { addon: undefined, reason: `addon at ${found} lacks ${missing.join(', ')}` }
    } catch (err) {
      load = { addon: undefined, reason: `addon failed to load: ${String(err).split('\n')[0]}` }
    }
  }
  cached = { key, load }
  return load
}

/**
 * BLAS threads: every core, so matmuls use both cores of a 2-core machine; cores − 1 (at least 1)
 * when rollouts run in parallel with training (`parallelRollouts`, or HIMAC_PARALLEL_ROLLOUTS=1),
 * so one core stays for them. HIMAC_NATIVE_THREADS overrides both.
 */
export function defaultThreads(options: { parallelRollouts?: boolean } = {}): number {
  const fromEnv = Number(process.env.HIMAC_NATIVE_THREADS)
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv
  const cores = os.availableParallelism()
  const parallel = options.parallelRollouts ?? envFlag(process.env.HIMAC_PARALLEL_ROLLOUTS)
  return parallel ? Math.max(1, cores - 1) : cores
}

function envFlag(value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase()
  return v === '1' || v === 'true' || v === 'on' || v === 'yes'
}
