// Runs the native-kernel benchmarks and prints JSON: node --import tsx core/train/native/run-bench.ts
// [--quick] [--json] [--threads N] [--repeats N] [--steps N] [--only step|matmul|profile]
import { formatNativeBench, type NativeBenchReport } from './format'
import { benchMatmulShapes, benchReferenceStep, profileKernelShare } from './index'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const quick = process.argv.includes('--quick')
const only = arg('only')
const threads = arg('threads') ? Number(arg('threads')) : undefined
const common = threads ? { threads } : {}
const steps = arg('steps') ? Number(arg('steps')) : quick ? 3 : 8
const repeats = arg('repeats') ? Number(arg('repeats')) : quick ? 1 : 3

const out: NativeBenchReport = {}
if (!only || only === 'matmul')
  out.matmul = await benchMatmulShapes({ ...common, minMs: quick ? 50 : 300 })
if (!only || only === 'step') out.step = await benchReferenceStep({ ...common, steps, repeats })
if (!only || only === 'profile')
  out.profile = await profileKernelShare({ ...common, steps: quick ? 2 : 4 })
console.log(process.argv.includes('--json') ? JSON.stringify(out, null, 2) : formatNativeBench(out))
