// Plain-text tables of the native-kernel benchmark results (for `himac bench` and run-bench.ts).
import type { MatmulBenchResult, StepBenchResult } from './bench'
import type { KernelShareResult } from './profile'

export type NativeBenchReport = {
  matmul?: MatmulBenchResult
  step?: StepBenchResult
  profile?: KernelShareResult
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

export function formatNativeBench(report: NativeBenchReport): string {
  const lines: string[] = []
  const status = report.step?.native ?? report.matmul?.native ?? report.profile?.native
  if (status) {
    lines.push(
      status.enabled
        ? `native: ${status.blas}, ${status.threads} BLAS thread(s)`
        : `native: off (${status.reason})`
    )
  }
  if (report.step) {
    const s = report.step
    lines.push(
      '',
      `reference step (train batch ${s.trainBatch}, forward batch ${s.forwardBatch}, seq ${s.seq})`
    )
    lines.push(
      'variant        train ms (min-max)        train tok/s   fwd ms (min-max)        fwd tok/s'
    )
    for (const v of s.variants) {
      lines.push(
        `${v.variant.padEnd(14)} ${`${v.train.medianMs} (${v.train.minMs}-${v.train.maxMs})`.padEnd(25)} ` +
          `${String(v.train.tokensPerSec).padStart(11)}   ` +
          `${`${v.forward.medianMs} (${v.forward.minMs}-${v.forward.maxMs})`.padEnd(23)} ` +
          `${String(v.forward.tokensPerSec).padStart(9)}`
      )
    }
    if (s.speedup) lines.push(`speed-up: train ${s.speedup.train}x, forward ${s.speedup.forward}x`)
  }
  if (report.matmul) {
    lines.push('', 'matmul GFLOP/s through tfjs      wasm   wasm+native   max|diff|')
    for (const r of report.matmul.rows) {
      lines.push(
        `${r.label.padEnd(38)} ${String(r.gflops.wasm ?? '-').padStart(6)} ` +
          `${String(r.gflops['wasm+native'] ?? '-').padStart(12)}   ${r.maxAbsDiff?.toExponential(1) ?? '-'}`
      )
    }
  }
  if (report.profile) {
    for (const p of report.profile.profiles) {
      lines.push('', `step time by kernel kind, ${p.variant} (${p.stepMs} ms/step)`)
      for (const k of p.kinds) {
        lines.push(
          `  ${k.kind.padEnd(18)} ${String(k.msPerStep).padStart(8)} ms  ${pct(k.share).padStart(6)}`
        )
      }
      lines.push(
        '  top kernels: ' +
          p.kernels
            .slice(0, 8)
            .map((k) => `${k.kernel} ${k.msPerStep} ms (${pct(k.share)}, ${k.callsPerStep} calls)`)
            .join(', ')
      )
    }
  }
  return lines.join('\n')
}
