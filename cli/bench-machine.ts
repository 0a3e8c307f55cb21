// How busy the machine was while `himac bench` ran: the load average at the start and the end, and
// (on Linux) the share of all cores that other processes used during the run, from /proc/stat less
// this process and the children it waited for. The load average alone cannot tell our own BLAS
// threads from someone else's work.
import fs from 'node:fs'
import os from 'node:os'

export type CpuSample = { busy: number; total: number; self: number }

/** Ticks of all cores (busy and total) and of this process with its waited-for children. */
export function sampleCpu(): CpuSample | null {
  try {
    return parseCpuSample(
      fs.readFileSync('/proc/stat', 'utf8'),
      fs.readFileSync('/proc/self/stat', 'utf8')
    )
  } catch {
    return null
  }
}

/** A sample from the texts of /proc/stat and /proc/<pid>/stat; null when they are not such. */
export function parseCpuSample(procStat: string, selfStat: string): CpuSample | null {
  const cpu = procStat.split('\n')[0]?.trim().split(/\s+/)
  if (!cpu || cpu[0] !== 'cpu' || cpu.length < 9) return null
  // cpu.length ≥ 9 above: the defaults only tell the type checker so.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    cpu.slice(1, 9).map(Number)
  const busy = user + nice + system + irq + softirq + steal
  // Fields after the command name (which may hold spaces): utime, stime, cutime, cstime are the
  // 12th to 15th of them.
  const rest = selfStat.slice(selfStat.lastIndexOf(')') + 2).split(' ')
  const mine = [11, 12, 13, 14].reduce((a, i) => a + Number(rest[i]), 0)
  const total = busy + idle + iowait
  return Number.isFinite(total) && Number.isFinite(mine) ? { busy, total, self: mine } : null
}

/** Other processes' share of all cores between two samples (0–1), or null without /proc. */
export function otherCpuShare(a: CpuSample | null, b: CpuSample | null): number | null {
  if (!a || !b || b.total <= a.total) return null
  const other = b.busy - a.busy - (b.self - a.self)
  return Math.max(0, Math.min(1, other / (b.total - a.total)))
}

export const loadAverage = (): number[] => os.loadavg().map((x) => +x.toFixed(2))

/** Others above this share of the machine make the figures not comparable with an idle run. */
export const BUSY_SHARE = 0.1

export function busyWarning(
  loadStart: number[],
  otherShare: number | null,
  cpus: number
): string | null {
  const before = loadStart[0] ?? 0
  const busyBefore = before > 0.5 * cpus
  const busyDuring = otherShare !== null && otherShare > BUSY_SHARE
  if (!busyBefore && !busyDuring) return null
  const during =
    otherShare === null
      ? ''
      : `; other processes used ${(100 * otherShare).toFixed(0)} % of the cores during the run`
  return (
    `the machine was busy (load average ${before} at the start on ${cpus} cores${during}): ` +
    'figures taken under load are not comparable with an idle run'
  )
}
