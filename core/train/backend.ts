// Tensor backend selection: tfjs-node(-gpu) when installed → WebGPU (Dawn) → wasm (SIMD, patched) →
// cpu. Each candidate is started and checked against a tiny computation with known numbers; a
// forced one that cannot start is an error, never a silent fallback.
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { patchMatMulGrad, registerUnsortedSegmentSum } from './tfjs-patches'
import { startWebgpu } from './webgpu'

export const BACKEND_ORDER = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_ORDER)[number]
export type BackendPreference = 'auto' | BackendName

export type BackendChoice = {
  backend: BackendName
  /** Why this backend (and not a better one) was chosen; logged and stored with the run. */
  notes: string[]
  /** The device it computes on: the WebGPU adapter, or the CPU model. */
  device: string
  /** Versions of what computes: tfjs-core, the backend package, node, Dawn's binding. */
  versions: Record<string, string>
}

/** A forced backend (`--backend`, config.backend) that could not start; the message is one line. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError'
}

let chosen: BackendChoice | undefined

/** Directory holding tfjs-backend-wasm's .wasm files (HIMAC_WASM_DIR, or beside the package). */
export function defaultWasmDir(): string {
  if (process.env.HIMAC_WASM_DIR) return path.resolve(process.env.HIMAC_WASM_DIR) + path.sep
  const require = createRequire(import.meta.url)
  const main = require.resolve('@tensorflow/tfjs-backend-wasm')
  // In a packaged app the .wasm files are unpacked next to the asar (electron-builder asarUnpack).
  return path.dirname(main).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1') + path.sep
}

const firstLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''

const cpuName = (): string => {
  const cpus = os.cpus()
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'} × ${cpus.length}`
}

/** What the caller's workload needs from a backend. */
export type BackendNeeds = {
  /**
   * Synchronous reads (dataSync/arraySync), as the training loops do. The webgpu backend cannot
   * read synchronously in node (tfjs reads through an OffscreenCanvas there), so it is skipped.
   */
  syncReads: boolean
}

const SYNC_READS_REASON =
  'this workload reads tensors synchronously (dataSync), which webgpu cannot do in node'

type Started = { device: string; versions: Record<string, string>; note: string }
type Starter = (wasmDir: string, forced: boolean) => Promise<Started>

async function startTensorflow(): Promise<Started> {
  const reasons: string[] = []
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      const mod = (await import(/* @vite-ignore */ pkg)) as { version?: Record<string, string> }
      if (!(await tf.setBackend('tensorflow'))) throw new Error("setBackend('tensorflow') failed")
      return {
        device: pkg.endsWith('-gpu') ? 'CUDA (libtensorflow)' : `${cpuName()} (libtensorflow)`,
        versions: { [pkg.slice('@tensorflow/'.length)]: mod.version?.['tfjs-node'] ?? '?' },
        note: `using ${pkg}`
      }
    } catch (err) {
      const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND'
      reasons.push(`${pkg} ${missing ? 'not installed' : `not available (${firstLine(err)})`}`)
    }
  }
  throw new Error(reasons.join('; '))
}

async function startWasm(wasmDir: string): Promise<Started> {
  setWasmPaths(wasmDir)
  const ok = await tf.setBackend('wasm').catch((err: unknown) => {
    throw new Error(`wasm backend could not start (wasm dir ${wasmDir}): ${firstLine(err)}`)
  })
  if (!ok) throw new Error(`wasm backend could not start (wasm dir ${wasmDir})`)
  registerUnsortedSegmentSum('wasm')
  return {
    device: cpuName(),
    versions: { 'tfjs-backend-wasm': version_wasm },
    note: 'using tfjs-backend-wasm'
  }
}

async function startCpu(): Promise<Started> {
  if (!(await tf.setBackend('cpu'))) throw new Error("setBackend('cpu') failed")
  registerUnsortedSegmentSum('cpu')
  return { device: cpuName(), versions: {}, note: 'using the plain JS cpu backend' }
}

const STARTERS: Record<BackendName, Starter> = {
  tensorflow: startTensorflow,
  webgpu: (_dir, forced) => startWebgpu(forced),
  wasm: startWasm,
  cpu: startCpu
}

/**
 * The tiny check each started backend must pass: a matmul, a softmax and a gather gradient, whose
 * exact results are known. Returns undefined when it matches, else what differed.
 */
export async function verifyBackend(): Promise<string | undefined> {
  const got = tf.tidy(() => {
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2])
    const b = tf.tensor2d([5, 6, 7, 8], [2, 2])
    const product = tf.matMul(a, b) // [[19, 22], [43, 50]]
    const soft = tf.softmax(tf.tensor1d([0, Math.log(3)])) // [0.25, 0.75]
    const grad = tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d([0, 2, 0], 'int32')).sum())(
      tf.zeros([3])
    ) // [2, 0, 1]
    return tf.concat([product.flatten(), soft, grad])
  })
  const values = Array.from(await got.data())
  got.dispose()
  const want = [19, 22, 43, 50, 0.25, 0.75, 2, 0, 1]
  const bad = want.some((w, i) => !(Math.abs((values[i] ?? NaN) - w) <= 1e-5 * Math.max(1, w)))
  return bad
    ? `check computation gave [${values.join(', ')}], expected [${want.join(', ')}]`
    : undefined
}

async function tryBackend(
  name: BackendName,
  wasmDir: string,
  forced: boolean
): Promise<{ ok: Started } | { error: string }> {
  try {
    const started = await STARTERS[name](wasmDir, forced)
    await tf.ready()
    const problem = await verifyBackend()
    if (problem) throw new Error(problem)
    return { ok: started }
  } catch (err) {
    return { error: firstLine(err) }
  }
}

/**
 * Selects and initialises the tfjs backend once per process. Later calls return the first choice
 * (tfjs has one global engine). A preference other than 'auto' is tried alone and throws
 * BackendUnavailableError when it cannot start, fails its check or cannot serve `needs`.
 */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  wasmDir: string = defaultWasmDir(),
  needs: BackendNeeds = { syncReads: true }
): Promise<BackendChoice> {
  if (chosen) return chosen
  patchMatMulGrad()
  const notes: string[] = []
  const candidates = preference === 'auto' ? BACKEND_ORDER : [preference]
  for (const name of candidates) {
    const result: { ok: Started } | { error: string } =
      name === 'webgpu' && needs.syncReads
        ? { error: SYNC_READS_REASON }
        : await tryBackend(name, wasmDir, preference === name)
    if ('error' in result) {
      notes.push(`${name}: ${result.error === SYNC_READS_REASON ? 'skipped: ' : ''}${result.error}`)
      if (preference !== 'auto') {
        throw new BackendUnavailableError(`backend '${name}' is unavailable: ${result.error}`)
      }
      continue
    }
    const { device, versions, note } = result.ok
    notes.push(`${name}: ${note} on ${device}; check computation ok`)
    chosen = {
      backend: name,
      notes,
      device,
      versions: { 'tfjs-core': tf.version_core, ...versions, node: process.versions.node }
    }
    return chosen
  }
  throw new Error(`no tfjs backend could start: ${notes.join('; ')}`)
}
