// Tensor backend selection: tfjs-node(-gpu) when installed → wasm (SIMD, patched) → cpu.
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import path from 'node:path'
import { patchMatMulGrad, registerUnsortedSegmentSum } from './tfjs-patches'

export type BackendName = 'tensorflow' | 'wasm' | 'cpu'
export type BackendPreference = 'auto' | BackendName

export type BackendChoice = {
  backend: BackendName
  /** Why this backend (and not a better one) was chosen; logged and stored with the run. */
  notes: string[]
}

let chosen: BackendChoice | undefined

/** Directory holding tfjs-backend-wasm's .wasm files (overridable for a packaged, unpacked asar). */
export function defaultWasmDir(): string {
  const require = createRequire(import.meta.url)
  const main = require.resolve('@tensorflow/tfjs-backend-wasm')
  // In a packaged app the .wasm files are unpacked next to the asar (electron-builder asarUnpack).
  return path.dirname(main).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1') + path.sep
}

async function tryTensorflow(notes: string[]): Promise<boolean> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(/* @vite-ignore */ pkg)
      if (await tf.setBackend('tensorflow')) {
        notes.push(`using ${pkg}`)
        return true
      }
      notes.push(`${pkg} loaded but setBackend('tensorflow') failed`)
    } catch (err) {
      notes.push(`${pkg} not available (${(err as Error).message.split('\n')[0]})`)
    }
  }
  return false
}

/**
 * Selects and initialises the tfjs backend once per process. Later calls return the first choice
 * (tfjs has one global engine).
 */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  wasmDir: string = defaultWasmDir()
): Promise<BackendChoice> {
  if (chosen) return chosen
  const notes: string[] = []
  patchMatMulGrad()
  let backend: BackendName | undefined
  if ((preference === 'auto' || preference === 'tensorflow') && (await tryTensorflow(notes))) {
    backend = 'tensorflow'
  }
  if (!backend && (preference === 'auto' || preference === 'wasm')) {
    setWasmPaths(wasmDir)
    const ok = await tf.setBackend('wasm').catch((err: unknown) => {
      notes.push(`wasm failed: ${String(err)}`)
      return false
    })
    if (ok) {
      registerUnsortedSegmentSum('wasm')
      backend = 'wasm'
    } else notes.push(`wasm backend could not start (wasm dir ${wasmDir})`)
  }
  if (!backend) {
    await tf.setBackend('cpu')
    registerUnsortedSegmentSum('cpu')
    backend = 'cpu'
  }
  await tf.ready()
  chosen = { backend, notes }
  return chosen
}
