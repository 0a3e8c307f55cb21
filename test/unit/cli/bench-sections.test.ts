// `himac bench` sections on small sizes: counts as configured, and rates in per-second units that
// agree with each other and with the wall time of the call (no speed is asserted).
import { describe, expect, it } from 'vitest'
import os from 'node:os'
import { benchSections } from '../../../cli/bench'
import { busyWarning, otherCpuShare, sampleCpu } from '../../../cli/bench-machine'
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

  it("counts another process busy on a core as others' share, our own work not", async () => {
    const { spawn } = await import('node:child_process')
    const spin = (ms: number) => {
      const end = Date.now() + ms
      while (Date.now() < end);
    }
    const a = sampleCpu()
    if (!a) return // no /proc: the share is reported as null
    spin(600)
    const mine = otherCpuShare(a, sampleCpu())
    const child = spawn(process.execPath, [
      '-e',
      'const e = Date.now() + 1500; while (Date.now() < e);'
    ])
    await new Promise((r) => setTimeout(r, 200))
    const b = sampleCpu()
    await new Promise((r) => setTimeout(r, 800))
    const theirs = otherCpuShare(b, sampleCpu())
    child.kill()
    // One busy process of ours, then one of someone else's, on this machine's cores.
    const cores = os.cpus().length
    expect(theirs! - mine!).toBeGreaterThan(0.5 / cores)
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
