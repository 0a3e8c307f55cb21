// The body of a trainer process (Node child process or Electron utilityProcess): runs one training
// run and forwards everything to the host, which owns the database.
//
// Nothing the child produces may be lost: after each iteration the child waits until the host has
// handled everything sent so far (`sync` → `synced`), and it exits only after the host has
// confirmed its last message. Exiting on a timer instead dropped messages still queued in the
// IPC channel on a busy machine (runs ended "failed" with a third of their iterations stored).
import { runExperiment } from './run'
import type { ChildMessage, ChildPort } from './protocol'
import type { TrainingSink } from './sink'
import type { PinInForce } from '../store/records'

export function runTrainerChild(port: ChildPort, exit: (code: number) => void): void {
  const controller = new AbortController()
  let started = false
  let seq = 0
  const waiting = new Map<number, () => void>()
  const pinRequests = new Map<number, (pins: PinInForce[]) => void>()
  const post = (message: ChildMessage): void => port.post(message)
  /** Resolves when the host has handled every message posted before this call. */
  const sync = (): Promise<void> =>
    new Promise((resolve) => {
      seq += 1
      waiting.set(seq, resolve)
      post({ type: 'sync', seq })
    })

  // The host is gone: nobody can store what we produce, so stop at once.
  port.onDisconnect(() => exit(2))
  port.onMessage((message) => {
    switch (message.type) {
      case 'synced':
        for (const [n, resolve] of waiting) {
          if (n <= message.seq) {
            waiting.delete(n)
            resolve()
          }
        }
        return
      case 'pins': {
        const resolve = pinRequests.get(message.seq)
        pinRequests.delete(message.seq)
        resolve?.(message.pins)
        return
      }
      case 'stop':
        controller.abort()
        if (!started) exit(0)
        return
      case 'start': {
        if (started) return
        started = true
        const sink: TrainingSink = {
          started: (info) => post({ type: 'started', ...info }),
          rollouts: (batch) => post({ type: 'rollouts', batch }),
          metrics: (iteration, values) => post({ type: 'metrics', iteration, values }),
          progress: (iteration, iterations, phase) =>
            post({ type: 'progress', iteration, iterations, phase }),
          checkpoint: (iteration, payload) => post({ type: 'checkpoint', iteration, payload }),
          drain: sync,
          pins: (iteration) =>
            new Promise((resolve) => {
              seq += 1
              pinRequests.set(seq, resolve)
              post({ type: 'pins', seq, iteration })
            })
        }
        runExperiment(message.config, sink, {
          signal: controller.signal,
          ...(message.resume ? { resume: message.resume } : {})
        })
          .then(
            (outcome): [ChildMessage, number] => [{ type: 'finished', outcome }, 0],
            (err: unknown): [ChildMessage, number] => [
              {
                type: 'failed',
                error: err instanceof Error ? (err.stack ?? err.message) : String(err)
              },
              1
            ]
          )
          .then(async ([last, code]) => {
            post(last)
            await sync()
            exit(code)
          })
          .catch(() => exit(1))
        return
      }
    }
  })
}
