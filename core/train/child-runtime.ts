// The body of a trainer process (Node child process or Electron utilityProcess): runs one training
// run and forwards everything to the host, which owns the database.
import { runExperiment } from './run'
import type { ChildPort } from './protocol'
import type { TrainingSink } from './sink'

export function runTrainerChild(port: ChildPort, exit: (code: number) => void): void {
  const controller = new AbortController()
  let started = false
  port.onMessage((message) => {
    if (message.type === 'stop') {
      controller.abort()
      if (!started) exit(0)
      return
    }
    if (started) return
    started = true
    const sink: TrainingSink = {
      started: ({ backend, notes, kernels }) =>
        port.post({ type: 'started', backend, notes, ...(kernels ? { kernels } : {}) }),
      rollouts: (batch) => port.post({ type: 'rollouts', batch }),
      metrics: (iteration, values) => port.post({ type: 'metrics', iteration, values }),
      progress: (iteration, iterations, phase) =>
        port.post({ type: 'progress', iteration, iterations, phase }),
      checkpoint: (iteration, w) =>
        port.post({ type: 'checkpoint', iteration, shapes: w.shapes, data: w.data })
    }
    runExperiment(message.config, sink, { signal: controller.signal })
      .then((outcome) => {
        port.post({ type: 'finished', outcome })
        exit(0)
      })
      .catch((err: unknown) => {
        port.post({
          type: 'failed',
          error: err instanceof Error ? (err.stack ?? err.message) : String(err)
        })
        exit(1)
      })
  })
}
