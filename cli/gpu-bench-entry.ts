// Entry of the GPU benchmark bundle (scripts/gpu-bench): one file, run by a bundled node on a
// machine without node_modules. `worker …` is a backend worker (the bundle starts itself for each);
// `adapter` prints the WebGPU adapter; `check` and `bench` write their JSON to --out as they go.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import {
  benchBackends,
  BACKEND_BENCH_SIZES,
  lmBenchSize,
  type BenchSize
} from '../core/train/backends/bench'
import { checkBackends } from '../core/train/backends/check'
import type { WorkerCommand } from '../core/train/backends/child'
import { variantSchema } from '../core/train/backends/variant'
import { workerMain } from '../core/train/backends/worker'

// execArgv keeps `--import tsx` when it runs from source.
const self: WorkerCommand = {
  command: process.execPath,
  args: [...process.execArgv, process.argv[1] ?? '', 'worker']
}

/** "512x4x256,1024x8x256": dModel × layers × sequence length. */
function parseSizes(spec: string | undefined): BenchSize[] {
  if (!spec) return [...BACKEND_BENCH_SIZES]
  return spec.split(',').map((part) => {
    const [d, l, t] = part.split('x').map(Number)
    if (!d || !l || !t) throw new Error(`bad size '${part}' (want dModel x layers x seq)`)
    return lmBenchSize(d, l, t)
  })
}

const write = (file: string | undefined, value: unknown): void => {
  const text = JSON.stringify(value, null, 2) + '\n'
  if (file) fs.writeFileSync(`${file}.tmp`, text)
  if (file) fs.renameSync(`${file}.tmp`, file)
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv
  if (command === 'worker') return workerMain(rest)
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      sizes: { type: 'string' },
      variants: { type: 'string' },
      'deadline-s': { type: 'string' },
      'run-timeout-s': { type: 'string' },
      steps: { type: 'string' }
    }
  })
  const variants = values.variants?.split(',').map((v) => variantSchema.parse(v))
  if (command === 'adapter') {
    const { startVariant } = await import('../core/train/backends/variant')
    const { releaseWebgpu } = await import('../core/train/webgpu')
    const started = await startVariant('webgpu')
    console.log(
      JSON.stringify({ device: started.choice.device, versions: started.choice.versions })
    )
    releaseWebgpu()
    process.exit(0)
  }
  if (command === 'check') {
    const report = await checkBackends(self, variants)
    write(values.out, report)
    console.log(
      JSON.stringify(
        report.rows.map((r) => ({
          variant: r.variant,
          status: r.status,
          ...('reason' in r
            ? { reason: r.reason }
            : { updateRelDiff: r.comparison.updateRelDiff, lossRelDiff: r.comparison.lossRelDiff })
        }))
      )
    )
    return
  }
  if (command === 'bench') {
    const report = await benchBackends({
      worker: self,
      sizes: parseSizes(values.sizes),
      ...(variants ? { variants } : {}),
      ...(values['deadline-s'] ? { deadlineMs: Number(values['deadline-s']) * 1000 } : {}),
      ...(values['run-timeout-s'] ? { runTimeoutMs: Number(values['run-timeout-s']) * 1000 } : {}),
      ...(values.steps ? { bench: { steps: Number(values.steps) } } : {}),
      onPartial: (r) => {
        write(values.out, r)
        const row = r.sizes.at(-1)
        if (row && !r.done)
          console.error(
            `bench ${row.size}: ${row.seconds} s, speed-up ${JSON.stringify(row.speedup)}`
          )
      }
    })
    console.log(JSON.stringify({ winsFrom: report.winsFrom, leftOut: report.leftOut }))
    return
  }
  throw new Error(`usage: gpu-bench worker|adapter|check|bench [--out file] [--sizes …]`)
}

await main(process.argv.slice(2))
