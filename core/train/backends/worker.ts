// The child-process side of the backend benchmark and check: tfjs has one global engine per
// process, so each variant runs in its own process and answers with one JSON line on stdout.
import os from 'node:os'
import { z } from 'zod'
import { releaseWebgpu } from '../webgpu'
import { benchSize, sizeBenchOptionsSchema } from './size-bench'
import { runStepCheck } from './step-check'
import { startVariant, variantSchema } from './variant'

export const RESULT_PREFIX = 'HIMAC_RESULT '

const workerArgsSchema = z.tuple([z.enum(['check', 'bench']), variantSchema]).rest(z.string())

/** `check <variant>` or `bench <variant> <options JSON>`; never throws, always exits. */
export async function workerMain(argv: string[]): Promise<never> {
  let answer: unknown
  let code = 0
  try {
    const [mode, variant, json] = workerArgsSchema.parse(argv)
    const { choice, kernels } = await startVariant(variant)
    const result =
      mode === 'check'
        ? await runStepCheck(kernels)
        : await benchSize(sizeBenchOptionsSchema.parse(JSON.parse(json ?? '{}')))
    answer = {
      variant,
      backend: choice.backend,
      device: choice.device,
      versions: choice.versions,
      notes: choice.notes,
      kernels,
      loadavg: os.loadavg(),
      result
    }
  } catch (err) {
    answer = { error: (err instanceof Error ? err.message : String(err)).split('\n')[0] }
    code = 1
  }
  // A pipe takes large writes asynchronously: exit only once the answer is flushed.
  await new Promise((resolve) =>
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(answer)}\n`, resolve)
  )
  releaseWebgpu()
  // Dawn's threads can keep node alive; the answer is out, so leave now.
  process.exit(code)
}
