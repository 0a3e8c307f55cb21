// `himac bench` sections on small sizes: counts as configured, and rates in per-second units that
// agree with each other and with the wall time of the call (no speed is asserted).
import { describe, expect, it } from 'vitest'
import { benchSections } from '../../../cli/bench'
import { benchImport } from '../../../cli/bench-io'
import { benchAlfworld } from '../../../core/envs/alfworld/bench'
import { benchSokoban } from '../../../core/envs/sokoban/bench'

async function timed<T>(run: () => Promise<T> | T): Promise<{ result: T; wallSeconds: number }> {
  const t0 = performance.now()
  const result = await run()
  return { result, wallSeconds: (performance.now() - t0) / 1000 }
}

describe('himac bench sections', () => {
  it('store: 20 batches × 128 episodes × 15 step rows, rows/s = 15 × episodes/s', async () => {
    const section = benchSections.find((s) => s.name === 'store')!
    const { result, wallSeconds } = await timed(() => section.run())
    const r = result as { stepRows: number; stepRowsPerSec: number; episodesPerSec: number }
    expect(r.stepRows).toBe(20 * 128 * 15)
    expect(Number.isInteger(r.stepRowsPerSec) && Number.isInteger(r.episodesPerSec)).toBe(true)
    // Both are rounded: 15 × (x ± 0.5) against (15x ± 0.5).
    expect(Math.abs(r.stepRowsPerSec - 15 * r.episodesPerSec)).toBeLessThanOrEqual(8)
    expect(r.stepRows / r.stepRowsPerSec).toBeLessThanOrEqual(wallSeconds)
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
