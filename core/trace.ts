// A crash-test hook. With HIMAC_TRACE=1, named points of a training run (the phases, and the
// moment before a write commits) print `trace <point> <iteration>` on stderr; with
// HIMAC_TRACE_HOLD=<point>:<ms> the process then holds that long at that point, so that a test can
// SIGKILL it there (inside the phase, or inside the open transaction).
import fs from 'node:fs'

const enabled = process.env.HIMAC_TRACE === '1'
const [holdPoint, holdMs] = (process.env.HIMAC_TRACE_HOLD ?? '').split(':')
const cell = enabled && Number(holdMs) > 0 ? new Int32Array(new SharedArrayBuffer(4)) : null

export function tracePoint(point: string, iteration: number): void {
  if (!enabled) return
  fs.writeSync(2, `trace ${point} ${iteration}\n`)
  if (cell && point === holdPoint) Atomics.wait(cell, 0, 0, Number(holdMs))
}
