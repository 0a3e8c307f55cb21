// The start of every training run: the tensor backend the config asks for, the native kernels under
// wasm, and both reported to the sink (stored with the run).
import type { ExperimentConfig } from '../api/config'
import { selectBackend, type BackendChoice } from './backend'
import { describeNativeStatus, installNativeKernels } from './native'
import type { TrainingSink } from './sink'

export async function startCompute(
  config: ExperimentConfig,
  sink: TrainingSink
): Promise<BackendChoice> {
  const backend = await selectBackend(config.backend)
  // A no-op (with its reason) off wasm or when the config turns the kernels off.
  const native = installNativeKernels({ enabled: config.nativeKernels === 'auto' })
  const kernels =
    backend.backend === 'wasm' ? describeNativeStatus(native) : `stock ${backend.backend} kernels`
  sink.started({
    backend: backend.backend,
    notes: backend.notes,
    kernels,
    device: backend.device,
    versions: backend.versions
  })
  return backend
}
