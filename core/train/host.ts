// Runs training in separate processes and funnels their output into the one store writer.
import type { ExperimentConfig } from '../api/config'
import type { PinInForce } from '../store/records'
import type { StoreWriter } from '../store/writer'
import type { ChildMessage, HostMessage } from './protocol'
import type { ResumeState } from './trainer-state'

export type ChildExit = { code: number | null; signal: string | null }

export type TrainerChild = {
  send(message: HostMessage): void
  onMessage(listener: (message: ChildMessage) => void): void
  /** After the process has exited and every message it sent has been delivered. */
  onExit(listener: (exit: ChildExit) => void): void
  kill(): void
  /** The last lines the process wrote to stderr, when the launcher captures them. */
  stderrTail?(): string
}

export type TrainerLauncher = () => TrainerChild

export type HostEvents = {
  status(runId: number): void
  metrics(runId: number, iteration: number, values: Record<string, number>): void
  progress(runId: number, iteration: number, iterations: number, phase: string): void
}

type Active = {
  child: TrainerChild
  iterations: number
  stopRequested: boolean
  /** The run's final status is written; nothing more is stored for it. */
  finished: boolean
  /** Messages are ignored from now on (the host is shutting down). */
  detached: boolean
  /** A write for this run failed (disk full): the run has failed and nothing more is stored. */
  writeFailed: boolean
  /** Iterations whose metrics arrived, and episodes stored. */
  iterationsStored: number
  episodesStored: number
  exited: Promise<void>
  killTimer?: NodeJS.Timeout
}

function describeExit({ code, signal }: ChildExit): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`
}

export class TrainerHost {
  private readonly active = new Map<number, Active>()

  constructor(
    private readonly writer: StoreWriter,
    private readonly launch: TrainerLauncher,
    private readonly events: HostEvents,
    private readonly stopGraceMs = 10_000
  ) {}

  /** Whether the run's trainer has not yet reported its outcome. */
  isRunning(runId: number): boolean {
    const entry = this.active.get(runId)
    return entry !== undefined && !entry.finished
  }

  /**
   * Resolves once the run's trainer process is gone. A run is marked stopped or completed when
   * its trainer reports so, a moment before the process exits; a resume waits for that exit.
   */
  async exited(runId: number): Promise<void> {
    await this.active.get(runId)?.exited
  }

  /** Starts a run, or continues one from `resume` (its stored rows after the checkpoint deleted). */
  start(runId: number, config: ExperimentConfig, iterations: number, resume?: ResumeState): void {
    const child = this.launch()
    let exited!: () => void
    const entry: Active = {
      child,
      iterations,
      stopRequested: false,
      finished: false,
      detached: false,
      writeFailed: false,
      iterationsStored: resume?.iteration ?? 0,
      episodesStored: 0,
      exited: new Promise((resolve) => (exited = resolve))
    }
    this.active.set(runId, entry)
    child.onMessage((m) => {
      if (entry.detached || entry.writeFailed) return
      try {
        this.handle(runId, entry, m)
      } catch (err) {
        this.storeFailed(runId, entry, err)
      }
    })
    child.onExit((exit) => {
      if (entry.killTimer) clearTimeout(entry.killTimer)
      this.active.delete(runId)
      if (!entry.finished && !entry.detached) {
        if (entry.stopRequested) this.finish(runId, entry, 'stopped')
        else this.finish(runId, entry, 'failed', this.unexpectedExit(entry, exit))
      }
      exited()
    })
    child.send({ type: 'start', runId, config, ...(resume ? { resume } : {}) })
  }

  /** Asks the run to stop after its current iteration; kills it if it does not within the grace period. */
  stop(runId: number): boolean {
    const entry = this.active.get(runId)
    if (!entry) return false
    this.requestStop(entry, this.stopGraceMs)
    return true
  }

  /**
   * Ordered shutdown: ask every trainer to stop, store what they send until they exit (at most
   * `graceMs`, then they are killed), mark the runs stopped, and stop listening to them. After
   * this resolves the store can be closed: no late message writes to it.
   */
  async shutdown(graceMs = 3_000): Promise<void> {
    const entries = [...this.active.entries()]
    for (const [, entry] of entries) this.requestStop(entry, graceMs)
    await Promise.all(entries.map(([, e]) => e.exited))
    for (const [runId, entry] of entries) {
      if (!entry.finished) this.finish(runId, entry, 'stopped')
      entry.detached = true
    }
  }

  private requestStop(entry: Active, graceMs: number): void {
    entry.stopRequested = true
    entry.child.send({ type: 'stop' })
    if (entry.killTimer) clearTimeout(entry.killTimer)
    entry.killTimer = setTimeout(() => entry.child.kill(), graceMs)
  }

  private finish(
    runId: number,
    entry: Active,
    status: 'completed' | 'stopped' | 'failed',
    error?: string
  ): void {
    entry.finished = true
    this.writer.finishRun(runId, status, error)
    this.events.status(runId)
  }

  /** A write failed (a full disk): the run fails with that message and its trainer is killed. */
  private storeFailed(runId: number, entry: Active, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    entry.writeFailed = true
    try {
      this.finish(runId, entry, 'failed', message)
    } catch {
      // Even the status row cannot be written; the next open marks the run interrupted.
      entry.finished = true
    }
    entry.child.kill()
  }

  private unexpectedExit(entry: Active, exit: ChildExit): string {
    const stderr = entry.child.stderrTail?.().trim()
    return (
      `trainer process ${describeExit(exit)} without reporting an outcome, ` +
      `after ${entry.iterationsStored} of ${entry.iterations} iterations; ` +
      `what it sent before is stored (${entry.iterationsStored} iterations, ${entry.episodesStored} episodes)` +
      (stderr ? `. Its last output:\n${stderr}` : '')
    )
  }

  private handle(runId: number, entry: Active, m: ChildMessage): void {
    switch (m.type) {
      case 'sync':
        entry.child.send({ type: 'synced', seq: m.seq })
        return
      case 'pins': {
        // A failed write here applies no pin (its start is not recorded either).
        let pins: PinInForce[]
        try {
          pins = this.writer.takePins(runId, m.iteration)
        } catch {
          pins = []
        }
        entry.child.send({ type: 'pins', seq: m.seq, pins })
        return
      }
      case 'started':
        this.writer.markRunStarted(runId, m.backend, m.notes, m.kernels ?? null, {
          ...(m.device !== undefined ? { device: m.device } : {}),
          ...(m.versions ? { versions: m.versions } : {})
        })
        this.events.status(runId)
        return
      case 'rollouts':
        entry.episodesStored += this.writer.insertRollouts(runId, m.batch).episodeIds.length
        return
      case 'metrics':
        this.writer.insertMetrics(runId, m.iteration, m.values)
        entry.iterationsStored = m.iteration + 1
        this.writer.setRunProgress(runId, m.iteration + 1)
        this.events.metrics(runId, m.iteration, m.values)
        return
      case 'progress':
        this.events.progress(runId, m.iteration, m.iterations, m.phase)
        return
      case 'checkpoint':
        this.writer.saveCheckpoint(
          runId,
          m.iteration,
          m.payload.format,
          m.payload.bytes,
          m.payload.meta,
          m.payload.retain
        )
        return
      case 'finished':
        if (!entry.finished) this.finish(runId, entry, m.outcome.status)
        return
      case 'failed':
        if (!entry.finished) this.finish(runId, entry, 'failed', m.error)
        return
    }
  }
}
