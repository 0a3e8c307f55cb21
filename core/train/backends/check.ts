// The numerical check across backends: the step-check on cpu (the reference) and on each other
// variant, each in its own process, compared within STEP_CHECK_TOLERANCE.
import { runWorker, type WorkerCommand } from './child'
import {
  compareStepChecks,
  STEP_CHECK_TOLERANCE,
  stepCheckResultSchema,
  type StepComparison
} from './step-check'
import type { Variant } from './variant'

export type BackendCheckRow =
  | { variant: Variant; status: 'skipped'; reason: string }
  | {
      variant: Variant
      status: 'pass' | 'fail'
      device: string
      versions: Record<string, string>
      comparison: StepComparison
    }

export type BackendCheckReport = {
  tolerance: typeof STEP_CHECK_TOLERANCE
  reference: { device: string; loss: number }
  rows: BackendCheckRow[]
}

export const CHECK_VARIANTS: readonly Variant[] = ['tensorflow', 'webgpu', 'wasm+native', 'wasm']

export async function checkBackends(
  worker: WorkerCommand,
  variants: readonly Variant[] = CHECK_VARIANTS,
  timeoutMs = 120_000
): Promise<BackendCheckReport> {
  const ref = await runWorker(worker, ['check', 'cpu'], timeoutMs)
  if ('error' in ref) throw new Error(`the cpu reference step failed: ${ref.error}`)
  const cpu = stepCheckResultSchema.parse(ref.result)
  const rows: BackendCheckRow[] = []
  for (const variant of variants) {
    const answer = await runWorker(worker, ['check', variant], timeoutMs)
    if ('error' in answer) {
      rows.push({ variant, status: 'skipped', reason: answer.error })
      continue
    }
    const comparison = compareStepChecks(cpu, stepCheckResultSchema.parse(answer.result))
    rows.push({
      variant,
      status: comparison.pass ? 'pass' : 'fail',
      device: answer.device,
      versions: answer.versions,
      comparison
    })
  }
  return {
    tolerance: STEP_CHECK_TOLERANCE,
    reference: { device: ref.device, loss: cpu.loss },
    rows
  }
}
