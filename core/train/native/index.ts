// Native OpenBLAS/Accelerate kernels for the tfjs wasm backend (issue 7). Node-only.
export {
  NATIVE_KERNEL_NAMES,
  describeNativeStatus,
  getNativeKernelStatus,
  installNativeKernels,
  uninstallNativeKernels,
  type NativeKernelOptions,
  type NativeKernelStatus
} from './install'
export {
  REFERENCE_MATMUL_SHAPES,
  benchMatmulShapes,
  benchReferenceStep,
  type MatmulBenchResult,
  type MatmulBenchRow,
  type MatmulShape,
  type StepBenchOptions,
  type StepBenchResult,
  type StepBenchVariant,
  type Variant
} from './bench'
export {
  kernelKind,
  profileKernelShare,
  type KernelKind,
  type KernelProfile,
  type KernelShare,
  type KernelShareResult,
  type KindShare
} from './profile'
export { formatNativeBench, type NativeBenchReport } from './format'
export { PINNED_TFJS_VERSION, checkWasmInternals } from './wasm-internals'
