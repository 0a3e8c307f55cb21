// `himac bench` sections on small sizes: counts as configured, and rates in per-second units that
// agree with each other and with the wall time of the call (no speed is asserted).
import { describe, expect, it } from 'vitest'
import { benchSections } from '../../../cli/bench'
import { busyWarning, otherCpuShare, parseCpuSample, sampleCpu } from '../../../cli/bench-machine'
import { REFERENCE_TRANSFORMER, forwardFlopsPerToken } from '../../../core/agent/models/transformer'
import { benchImport } from '../../../cli/bench-io'
import { benchAlfworld } from '../../../core/envs/alfworld/bench'
import { benchSokoban } from '../../../core/envs/sokoban/bench'
import { benchEnvPolicies } from '../../../core/envs/bench-policies'

async function timed<T>(run: () => Promise<T> | T): Promise<{ result: T; wallSeconds: number }> {
  const t0 = performance.now()
  const result = await run()
  return { result, wallSeconds: (performance.now() - t0) / 1000 }
}

describe('himac bench sections', () => {
  it('counts the reference model at 1,048,576 forward FLOPs per token (hand count)', () => {
    // Per layer: q, k, v, o 4·128² and the MLP 2·128·512 multiply-adds per token; attention scores
    // and mixing 2·128·128 over all 128 keys; the head 128·512. Two FLOPs per multiply-add.
    const perLayer = 2 * (4 * 128 * 128 + 2 * 128 * 512) + 2 * 2 * 128 * 128
    expect(forwardFlopsPerToken(REFERENCE_TRANSFORMER, 128)).toBe(2 * perLayer + 2 * 128 * 512)
    expect(forwardFlopsPerToken(REFERENCE_TRANSFORMER, 128)).toBe(1_048_576)
    expect(forwardFlopsPerToken(REFERENCE_TRANSFORMER, 64)).toBe(1_048_576 - 2 * 2 * 2 * 64 * 128)
  })

  it('warns when the machine was busy at the start or others used the cores during the run', () => {
    expect(busyWarning([0.2, 0.3, 0.3], 0.02, 2)).toBeNull()
    expect(busyWarning([1.5, 1, 1], 0.02, 2)).toMatch(/busy \(load average 1\.5 at the start/)
    expect(busyWarning([0.1, 0.1, 0.1], 0.4, 2)).toMatch(/others? processes used 40 %/)
    expect(busyWarning([0.1, 0.1, 0.1], null, 2)).toBeNull()
  })

  it("counts other processes' ticks as others' share, ours and our waited children's not", () => {
    // /proc/stat's first line: user nice system idle iowait irq softirq steal …; the process's
    // stat: pid (comm) state … with utime, stime, cutime, cstime the 12th–15th fields after comm.
    const proc = (user: number, idle: number) => `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 1 2 3`
    const self = (utime: number, cutime: number) =>
      `42 (node (x) y) S ${'0 '.repeat(10)}${utime} 0 ${cutime} 0 20 0 1`
    const a = parseCpuSample(proc(100, 1000), self(10, 0))
    expect(a).toEqual({ busy: 100, total: 1100, self: 10 })
    // 200 ticks pass: 150 busy, of which 60 ours and 40 our waited children's.
    const b = parseCpuSample(proc(250, 1050), self(70, 40))
    expect(otherCpuShare(a, b)).toBeCloseTo(50 / 200, 10)
    // Only our work: nothing is others'. Nothing passed, or no /proc: null.
    expect(otherCpuShare(a, parseCpuSample(proc(250, 1050), self(160, 0)))).toBe(0)
    expect(otherCpuShare(a, a)).toBeNull()
    expect(otherCpuShare(null, b)).toBeNull()
    expect(parseCpuSample('intr 1 2 3', self(1, 1))).toBeNull()
  })

  it('reads this machine: our own spinning shows as our ticks', () => {
    const a = sampleCpu()
    if (!a) return // no /proc: the share is reported as null
    const end = Date.now() + 300
    while (Date.now() < end);
    const b = sampleCpu()!
    // Ticks are 10 ms: however busy the machine, 300 ms of spinning get some of them.
    expect(b.self).toBeGreaterThan(a.self)
    expect(otherCpuShare(a, b)).toBeGreaterThanOrEqual(0)
  })

  it('store: 20 batches × 128 episodes × 15 step rows, rows/s = 15 × episodes/s', async () => {
    const section = benchSections.find((s) => s.name === 'store')!
    const { result, wallSeconds } = await timed(() => section.run())
    const r = result as {
      stepRows: number
      stepRowsPerSec: number
      episodesPerSec: number
      bytesPerStep: number
      rawInsert: { stepRowsPerSec: number; bytesPerStep: number }
      speedupOverRaw: number
    }
    expect(r.stepRows).toBe(20 * 128 * 15)
    expect(Number.isInteger(r.stepRowsPerSec) && Number.isInteger(r.episodesPerSec)).toBe(true)
    // Both are rounded: 15 × (x ± 0.5) against (15x ± 0.5).
    expect(Math.abs(r.stepRowsPerSec - 15 * r.episodesPerSec)).toBeLessThanOrEqual(8)
    expect(r.stepRows / r.stepRowsPerSec).toBeLessThanOrEqual(wallSeconds)
    // The raw loop's reference ran in the same call; packed steps take less room than raw rows.
    expect(
      r.stepRows / r.stepRowsPerSec + r.stepRows / r.rawInsert.stepRowsPerSec
    ).toBeLessThanOrEqual(wallSeconds * 1.01)
    expect(r.speedupOverRaw).toBeCloseTo(r.stepRowsPerSec / r.rawInsert.stepRowsPerSec, 1)
    expect(r.bytesPerStep).toBeLessThan(r.rawInsert.bytesPerStep)
  })

  it('env-policies: every env under random and expert, the experts solve every episode', () => {
    const rows = benchEnvPolicies(12)
    expect(rows.map((r) => `${r.env}/${r.policy}`)).toEqual([
      'sokoban/random',
      'sokoban/expert',
      'alfworld/random',
      'alfworld/expert',
      'webshop/random',
      'webshop/expert'
    ])
    for (const r of rows) {
      expect(r.episodes).toBe(12)
      expect(r.steps).toBeGreaterThanOrEqual(12)
      expect(r.stepsPerSec).toBeGreaterThan(0)
      expect(r.resetsPerSec).toBeGreaterThan(0)
      if (r.policy === 'expert') {
        expect(r.successRate).toBe(1)
        expect(r.plansPerSec).toBeGreaterThan(0)
      } else expect(r.plansPerSec).toBeNull()
    }
  })

  it('alfworld: steps/s is steps over the timed seconds, episodes end within 50 steps', async () => {
    const steps = 20_000
    const { result: r, wallSeconds } = await timed(() => benchAlfworld(steps))
    expect(r.steps).toBe(steps)
    expect(r.stepsPerSec).toBeCloseTo(steps / r.seconds, 6)
    expect(r.seconds).toBeGreaterThan(0)
    expect(r.seconds).toBeLessThanOrEqual(wallSeconds)
    expect(r.episodes).toBeGreaterThanOrEqual(steps / 50)
    expect(r.episodes).toBeLessThanOrEqual(steps)
    if (r.cpuStepsPerSec !== null) expect(r.cpuStepsPerSec).toBeGreaterThan(0)
  })

  it('sokoban: resets/s and steps/s are whole per-second rates that fit in the call', async () => {
    const steps = 300
    const { result: r, wallSeconds } = await timed(() => benchSokoban(steps))
    expect(Number.isInteger(r.resetsPerSec) && Number.isInteger(r.stepsPerSec)).toBe(true)
    expect(r.resetsPerSec).toBeGreaterThan(0)
    expect(r.stepsPerSec).toBeGreaterThan(0)
    // Each of the rounds times max(50, steps / 20) resets and `steps` steps; the best is reported.
    expect(50 / r.resetsPerSec + steps / r.stepsPerSec).toBeLessThanOrEqual(wallSeconds)
  })

  it('import: every generated step imported and exported, rates within the call', async () => {
    const { result: r, wallSeconds } = await timed(() =>
      benchImport({ episodes: 40, stepsPerEpisode: 10 })
    )
    expect([r.episodes, r.steps]).toEqual([40, 400])
    expect(r.importStepsPerSec).toBe(Math.round(400 / r.importSeconds))
    expect(r.exportStepsPerSec).toBe(Math.round(400 / r.exportSeconds))
    expect(r.importSeconds + r.exportSeconds).toBeLessThanOrEqual(wallSeconds)
  })
})
