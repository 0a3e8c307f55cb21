// Runs one backend worker (worker.ts) in a child process and reads its one-line JSON answer.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { RESULT_PREFIX } from './worker'

/** How to start a worker: `command ...args <mode> <variant> [options]`, in `cwd` when given. */
export type WorkerCommand = { command: string; args: string[]; cwd?: string }

/** The worker under tsx, from the source tree (CLI, tests); run in the root so `tsx` resolves. */
export function tsxWorker(): WorkerCommand {
  const entry = fileURLToPath(new URL('./worker-main.ts', import.meta.url))
  const root = fileURLToPath(new URL('../../..', import.meta.url))
  return { command: process.execPath, args: ['--import', 'tsx', entry], cwd: root }
}

export const workerAnswerSchema = z.union([
  z.object({ error: z.string() }),
  z.object({
    variant: z.string(),
    backend: z.string(),
    device: z.string(),
    versions: z.record(z.string(), z.string()),
    notes: z.array(z.string()),
    kernels: z.string(),
    loadavg: z.array(z.number()),
    result: z.unknown()
  })
])
export type WorkerAnswer = z.infer<typeof workerAnswerSchema>

const lastLines = (text: string, n: number): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('Warning:'))
    .slice(-n)
    .join(' | ')

/** Never rejects: a crash, a timeout or garbage output becomes `{ error }`. */
export function runWorker(
  worker: WorkerCommand,
  args: string[],
  timeoutMs: number
): Promise<WorkerAnswer> {
  return new Promise((resolve) => {
    const child = spawn(worker.command, [...worker.args, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(worker.cwd ? { cwd: worker.cwd } : {})
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    const finish = (why: string): void => {
      clearTimeout(timer)
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX))
      if (line) {
        try {
          const parsed = workerAnswerSchema.safeParse(JSON.parse(line.slice(RESULT_PREFIX.length)))
          if (parsed.success) return resolve(parsed.data)
        } catch {
          // A cut-off line: reported below like no answer.
        }
      }
      const tail = lastLines(stderr, 2)
      resolve({ error: tail ? `${why}: ${tail}` : why })
    }
    child.on('error', (err) => finish(`could not start: ${err.message}`))
    child.on('close', (code, signal) =>
      finish(
        signal === 'SIGKILL'
          ? `timed out after ${Math.round(timeoutMs / 1000)} s`
          : `exited with ${signal ?? `code ${code}`} and no answer`
      )
    )
  })
}
