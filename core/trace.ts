// A crash-test hook. With HIMAC_TRACE=1, named points of a training run (phases, and the moment
// before a write commits) print `trace <point> <iteration>` on stderr and then hold for
// HIMAC_TRACE_HOLD_MS ms, so that a test can SIGKILL the process inside that phase.
import fs from 'node:fs'

const enabled = process.env.HIMAC_TRACE === '1'
const holdMs = Number(process.env.HIMAC_TRACE_HOLD_MS ?? 0)
const cell = enabled && holdMs > 0 ? new Int32Array(new SharedArrayBuffer(4)) : null

export function tracePoint(point: string, iteration: number): void {
  if (!enabled) return
  fs.writeSync(2, `trace ${point} ${iteration}\n`)
  if (cell) Atomics.wait(cell, 0, 0, holdMs)
}
