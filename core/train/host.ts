// Runs training in separate processes and funnels their output into the one store writer.
import type { ExperimentConfig } from '../api/config'
import type { StoreWriter } from '../store/writer'
import type { ChildMessage, HostMessage } from './protocol'

export type TrainerChild = {
  send(message: HostMessage): void
  onMessage(listener: (message: ChildMessage) => void): void
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export type TrainerLauncher = () => TrainerChild

export type HostEvents = {
  status(runId: number): void
  metrics(runId: number, iteration: number, values: Record<string, number>): void
  progress(runId: number, iteration: number, iterations: number, phase: string): void
}

type Active = {
  child: TrainerChild
  stopRequested: boolean
  finished: boolean
  killTimer?: NodeJS.Timeout
}

export class TrainerHost {
  private readonly active = new Map<number, Active>()

  constructor(
    private readonly writer: StoreWriter,
    private readonly launch: TrainerLauncher,
    private readonly events: HostEvents,
    private readonly stopGraceMs = 10_000
  ) {}

  isRunning(runId: number): boolean {
    return this.active.has(runId)
  }

  start(runId: number, config: ExperimentConfig): void {
    const child = this.launch()
    const entry: Active = { child, stopRequested: false, finished: false }
    this.active.set(runId, entry)
    child.onMessage((m) => this.handle(runId, entry, m))
    child.onExit((code) => {
      if (entry.killTimer) clearTimeout(entry.killTimer)
      this.active.delete(runId)
      if (!entry.finished) {
        entry.finished = true
        if (entry.stopRequested) this.writer.finishRun(runId, 'stopped')
        else this.writer.finishRun(runId, 'failed', `trainer process exited with code ${code}`)
        this.events.status(runId)
      }
    })
    child.send({ type: 'start', runId, config })
  }

  /** Asks the run to stop after its current iteration; kills it if it does not within the grace period. */
  stop(runId: number): boolean {
    const entry = this.active.get(runId)
    if (!entry) return false
    entry.stopRequested = true
    entry.child.send({ type: 'stop' })
    entry.killTimer = setTimeout(() => entry.child.kill(), this.stopGraceMs)
    return true
  }

  stopAll(): void {
    for (const [runId, entry] of this.active) {
      entry.stopRequested = true
      entry.child.kill()
      if (!entry.finished) {
        entry.finished = true
        this.writer.finishRun(runId, 'stopped')
      }
    }
    this.active.clear()
  }

  private handle(runId: number, entry: Active, m: ChildMessage): void {
    switch (m.type) {
      case 'started':
        this.writer.markRunStarted(runId, m.backend, m.notes, m.kernels ?? null)
        this.events.status(runId)
        return
      case 'rollouts':
        this.writer.insertRollouts(runId, m.batch)
        return
      case 'metrics':
        this.writer.insertMetrics(runId, m.iteration, m.values)
        this.writer.setRunProgress(runId, m.iteration + 1)
        this.events.metrics(runId, m.iteration, m.values)
        return
      case 'progress':
        this.events.progress(runId, m.iteration, m.iterations, m.phase)
        return
      case 'checkpoint': {
        const bytes = new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength)
        this.writer.saveCheckpoint(runId, m.iteration, 'mlp-f32', bytes, { shapes: m.shapes })
        return
      }
      case 'finished':
        entry.finished = true
        this.writer.finishRun(runId, m.outcome.status)
        this.events.status(runId)
        return
      case 'failed':
        entry.finished = true
        this.writer.finishRun(runId, 'failed', m.error)
        this.events.status(runId)
        return
    }
  }
}
