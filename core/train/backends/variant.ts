// What the backend benchmark and the numerical check run on: a tfjs backend, or the wasm backend
// with the native BLAS kernels (issue 7) in place of the stock ones.
import { z } from 'zod'
import { BACKEND_ORDER, selectBackend, type BackendChoice } from '../backend'
import { describeNativeStatus, installNativeKernels } from '../native'

export const variantSchema = z.enum([...BACKEND_ORDER, 'wasm+native'])
export type Variant = z.infer<typeof variantSchema>

export type StartedVariant = { choice: BackendChoice; kernels: string }

/** Starts exactly this variant in this process (async reads only), or throws why not. */
export async function startVariant(variant: Variant): Promise<StartedVariant> {
  const backend = variant === 'wasm+native' ? 'wasm' : variant
  const choice = await selectBackend(backend, undefined, { syncReads: false })
  if (variant !== 'wasm+native') return { choice, kernels: `stock ${backend} kernels` }
  const native = installNativeKernels()
  if (!native.enabled)
    throw new Error(`native kernels unavailable: ${describeNativeStatus(native)}`)
  return { choice, kernels: describeNativeStatus(native) }
}
