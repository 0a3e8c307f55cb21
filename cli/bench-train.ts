// `himac bench --only train-throughput`: our reference training step beside PyTorch's on the same
// model and batches, and both as model FLOP utilisation against the machine's sgemm peak measured in
// the same run through the native addon (issue 13's and 17's references). Our runs use pinned
// OpenBLAS kernels (Haswell's, for the same bits on every CPU); PyTorch and the peak get OpenBLAS's
// own choice, which on an AVX-512 machine is faster, so neither reference is handicapped by the pin.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  REFERENCE_TRANSFORMER,
  forwardFlopsPerToken,
  parameterCount,
  type TransformerConfig
} from '../core/agent/models/transformer'
import { benchReferenceStep } from '../core/train/native'
import { measureSgemmPeak, peakGflops, type SgemmPeak } from '../core/train/native/peak'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const SCRIPT = path.resolve(HERE, '../scripts/torch-reference.py')
const PEAK_CHILD = path.resolve(HERE, 'bench-peak-child.ts')

type Peak = SgemmPeak | { unavailable: string }

/** The environment of a child that leaves OpenBLAS its own kernel choice: no pin, no core type. */
export function unpinnedBlasEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, HIMAC_BLAS_CORETYPE: 'auto' }
  delete out['OPENBLAS_CORETYPE']
  return out
}

/** The sgemm peak with OpenBLAS's own kernels, measured in a child process (see PEAK_CHILD). */
function measureUnpinnedPeak(): Peak {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), PEAK_CHILD], {
    env: unpinnedBlasEnv(),
    encoding: 'utf8'
  })
  if (r.status !== 0)
    return { unavailable: `peak child failed: ${r.stderr.trim().split('\n').pop() ?? ''}` }
  try {
    return JSON.parse(r.stdout) as Peak
  } catch {
    return { unavailable: `peak child printed no JSON: ${r.stdout.slice(0, 200)}` }
  }
}

/** The higher of two measured peaks (an unmeasured one loses). */
export function bestPeak(a: Peak, b: Peak): Peak {
  if (!('gflops' in a)) return b
  if (!('gflops' in b)) return a
  return b.gflops > a.gflops ? b : a
}

type Rate = { medianMs: number; tokensPerSec: number }
type TorchRow = { threads: number; train: Rate; forward: Rate }

export type ThroughputRow = {
  impl: 'ours (wasm + native BLAS)' | 'PyTorch'
  threads: number
  train: Rate & { gflops: number; mfu: number | null }
  forward: Rate & { gflops: number; mfu: number | null }
}

export type TrainThroughputResult = {
  model: TransformerConfig
  trainBatch: number
  forwardBatch: number
  seq: number
  flopsPerToken: { forward: number; train: number }
  /** The machine's peak: the better of `peaks`' two, against which MFU is stated. */
  peak: Peak
  /** With the kernels our runs use (pinned) and with OpenBLAS's own choice for this CPU. */
  peaks: { pinned: Peak; auto: Peak }
  rows: ThroughputRow[]
  torch: { version: string; python: string } | { unavailable: string }
  /** Ours ÷ PyTorch at the same thread count (null without PyTorch). */
  ratioToTorch: { train: number; forward: number } | null
  /** Ours ÷ PyTorch's fastest thread count (on a busy machine fewer threads can win). */
  ratioToBestTorch: { train: number; forward: number } | null
}

/** The first Python that imports torch: HIMAC_PYTHON, then python3 on PATH, then Debian's. */
export function findTorchPython(): { python: string } | { unavailable: string } {
  const candidates = [process.env['HIMAC_PYTHON'], 'python3', '/usr/bin/python3'].filter(
    (p): p is string => Boolean(p)
  )
  for (const python of [...new Set(candidates)]) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' })
    if (r.status === 0) return { python }
  }
  return {
    unavailable: `no Python with torch (tried ${candidates.join(', ')}); apt-get install python3-torch`
  }
}

function runTorch(
  python: string,
  spec: Record<string, unknown>
): { torch: string; parameters: number; rows: TorchRow[] } {
  const r = spawnSync(python, [SCRIPT], {
    input: JSON.stringify(spec),
    encoding: 'utf8',
    env: unpinnedBlasEnv()
  })
  if (r.status !== 0)
    throw new Error(`PyTorch reference failed: ${r.stderr.trim().split('\n').pop()}`)
  return JSON.parse(r.stdout) as { torch: string; parameters: number; rows: TorchRow[] }
}

const rate = (r: Rate, flopsPerToken: number, peak: number | null) => {
  const gflops = (r.tokensPerSec * flopsPerToken) / 1e9
  return { ...r, gflops: +gflops.toFixed(1), mfu: peak ? +(gflops / peak).toFixed(3) : null }
}

export async function benchTrainThroughput(
  options: { steps?: number; warmup?: number; trainBatch?: number; forwardBatch?: number } = {}
): Promise<TrainThroughputResult> {
  const model = REFERENCE_TRANSFORMER
  const trainBatch = options.trainBatch ?? 16
  const forwardBatch = options.forwardBatch ?? 32
  const seq = model.context
  const steps = options.steps ?? 8
  const warmup = options.warmup ?? 2
  const forward = forwardFlopsPerToken(model, seq)
  const flopsPerToken = { forward, train: 3 * forward }
  const peaks = { pinned: measureSgemmPeak(), auto: measureUnpinnedPeak() }
  const peak = bestPeak(peaks.pinned, peaks.auto)
  const peakRate = peakGflops(peak)

  const ours = await benchReferenceStep({
    variants: ['wasm+native'],
    trainBatch,
    forwardBatch,
    steps,
    warmup,
    repeats: 2
  })
  const native = ours.variants.find((v) => v.variant === 'wasm+native')
  if (!native) throw new Error(`native kernels unavailable: ${ours.native.reason}`)
  const rows: ThroughputRow[] = [
    {
      impl: 'ours (wasm + native BLAS)',
      threads: ours.native.threads,
      train: rate(native.train, flopsPerToken.train, peakRate),
      forward: rate(native.forward, flopsPerToken.forward, peakRate)
    }
  ]
  const found = findTorchPython()
  const result = { model, trainBatch, forwardBatch, seq, flopsPerToken, peak, peaks, rows }
  if (!('python' in found))
    return { ...result, torch: found, ratioToTorch: null, ratioToBestTorch: null }
  const threads = [...new Set([ours.native.threads, 1])]
  const spec = { model, trainBatch, forwardBatch, seq, steps, warmup, threads, seed: 1 }
  const out = runTorch(found.python, spec)
  // The same layout has the same parameters, tensor for tensor (biases, norms, untied head).
  if (out.parameters !== parameterCount(model))
    throw new Error(`PyTorch model has ${out.parameters} parameters, ours ${parameterCount(model)}`)
  for (const r of out.rows)
    rows.push({
      impl: 'PyTorch',
      threads: r.threads,
      train: rate(r.train, flopsPerToken.train, peakRate),
      forward: rate(r.forward, flopsPerToken.forward, peakRate)
    })
  const ratio = (train: number, forward: number) => ({
    train: +(native.train.tokensPerSec / train).toFixed(2),
    forward: +(native.forward.tokensPerSec / forward).toFixed(2)
  })
  const same = out.rows.find((r) => r.threads === ours.native.threads)
  const best = (pick: (r: TorchRow) => number): number => Math.max(...out.rows.map(pick))
  return {
    ...result,
    torch: { version: out.torch, python: found.python },
    ratioToTorch: same ? ratio(same.train.tokensPerSec, same.forward.tokensPerSec) : null,
    ratioToBestTorch: ratio(
      best((r) => r.train.tokensPerSec),
      best((r) => r.forward.tokensPerSec)
    )
  }
}
