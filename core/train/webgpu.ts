// The WebGPU backend in node: Dawn's binding (the optional `webgpu` package) provides navigator.gpu,
// then @tensorflow/tfjs-backend-webgpu registers itself (it only does so when navigator.gpu exists
// at import time, hence the dynamic imports).
import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
// Its node build exports no version; a plain dependency, so its package.json is always there.
import webgpuBackendPackage from '@tensorflow/tfjs-backend-webgpu/package.json' with { type: 'json' }

type AdapterInfo = {
  vendor?: string
  architecture?: string
  device?: string
  description?: string
  /** A software adapter (lavapipe, SwiftShader): slower than the wasm backend on the same CPU. */
  isFallbackAdapter?: boolean
}
type Adapter = { info?: AdapterInfo; limits: Record<string, number> }
type Gpu = { requestAdapter(options?: { powerPreference?: string }): Promise<Adapter | null> }
type DawnModule = { create(flags: string[]): Gpu; globals: Record<string, unknown> }

/** Dawn flags from HIMAC_DAWN_FLAGS (space-separated), e.g. `backend=vulkan adapter=NVIDIA H200`. */
export function dawnFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.HIMAC_DAWN_FLAGS ?? '').split(/\s+(?=\w+=)/).filter((s) => s.length > 0)
}

/** "NVIDIA H200 (nvidia, hopper)" from Dawn's adapter info; the parts that are empty are left out. */
export function describeAdapter(info: AdapterInfo | undefined): string {
  const name = info?.description || info?.device || 'unnamed adapter'
  const extra = [info?.vendor, info?.architecture].filter((s) => s && !name.includes(s))
  if (info?.isFallbackAdapter && !extra.includes('software')) extra.push('software adapter')
  return extra.length > 0 ? `${name} (${extra.join(', ')})` : name
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url)
    return (require(`${name}/package.json`) as { version: string }).version
  } catch {
    return '?'
  }
}

function installNavigatorGpu(gpu: Gpu): void {
  const g = globalThis as { navigator?: object }
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true })
  else Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true })
}

let gpu: Gpu | undefined

/**
 * Starts Dawn and the tfjs WebGPU backend; throws a one-line reason when it cannot. A software
 * (fallback) adapter is refused unless `allowFallback` (a forced `--backend webgpu`).
 */
export async function startWebgpu(allowFallback: boolean): Promise<{
  device: string
  versions: Record<string, string>
  note: string
}> {
  let dawn: DawnModule
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule
  } catch (err) {
    const reason = String(err).split('\n')[0]
    throw new Error(`the optional 'webgpu' package (Dawn) did not load: ${reason}`, { cause: err })
  }
  Object.assign(globalThis, dawn.globals)
  gpu ??= dawn.create(dawnFlags())
  // Asked for here too, for its name: the backend keeps only vendor and architecture.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
  if (!adapter) {
    throw new Error('Dawn found no WebGPU adapter (no Vulkan/Metal/D3D12 driver usable)')
  }
  const device = describeAdapter(adapter.info)
  if (adapter.info?.isFallbackAdapter && !allowFallback) {
    throw new Error(
      `the only adapter is a software one (${device}); force it with --backend webgpu`
    )
  }
  installNavigatorGpu(gpu)
  await import('@tensorflow/tfjs-backend-webgpu')
  if (!(await tf.setBackend('webgpu'))) throw new Error("setBackend('webgpu') failed")
  return {
    device,
    versions: {
      'tfjs-backend-webgpu': webgpuBackendPackage.version,
      webgpu: packageVersion('webgpu')
    },
    note: 'using tfjs-backend-webgpu on Dawn'
  }
}

/**
 * Lets the process exit: Dawn keeps node alive while navigator.gpu is referenced. Disposes the
 * webgpu backend (and every tensor on it).
 */
export function releaseWebgpu(): void {
  if (!gpu) return
  if (tf.findBackend('webgpu')) tf.removeBackend('webgpu')
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator
  if (nav?.gpu === gpu) Reflect.deleteProperty(nav, 'gpu')
  gpu = undefined
}
