// What a study runs: the configs of its methods (the Table-3 ablations as HiMAC flags), the order of
// its runs, and the spec the `himac repro` options make.
import { describe, expect, it } from 'vitest'
import { reproSpec } from '../../../cli/repro'
import { plannedIterations } from '../../../core/api/config'
import { studyPreset } from '../../../core/study/presets'
import { budgetSchema, methodConfig, plannedRuns, STUDY_METHODS } from '../../../core/study/spec'

describe('study spec', () => {
  const spec = reproSpec({ env: 'sokoban', quick: true, db: 'x.db', progress: false })

  it('--quick: all seven methods × 3 seeds on the quick preset, its iterations and stated time', () => {
    expect(spec.methods).toEqual([...STUDY_METHODS])
    expect(spec.seeds).toEqual([0, 1, 2])
    expect(spec.budget).toEqual({ kind: 'iterations', iterations: 4 })
    expect(spec.base).toEqual(studyPreset('sokoban', 'quick').base)
    expect(spec.targets).toEqual([0.8, 0.3])
    expect(spec.expectedMinutes).toBeGreaterThan(1)
    expect(spec.expectedMinutes).toBeLessThan(15)
    expect(
      plannedRuns(spec)
        .slice(0, 8)
        .map((r) => `${r.method}/${r.seed}`)
    ).toEqual([...STUDY_METHODS.map((m) => `${m}/0`), 'himac/1'])
  })

  it('methods differ only in their algorithm or one HiMAC flag; warm start and budget are shared', () => {
    const cfg = Object.fromEntries(STUDY_METHODS.map((m) => [m, methodConfig(spec, m, 2)]))
    expect(cfg['grpo']!.algo).toBe('grpo')
    expect(cfg['gigpo']!.algo).toBe('gigpo')
    expect(cfg['rloo']!.algo).toBe('rloo')
    expect(cfg['himac']!.himac).toMatchObject({
      schedule: 'alternate',
      subDone: true,
      phaseBBlueprint: 'best'
    })
    expect(cfg['himac-simultaneous']!.himac.schedule).toBe('simultaneous')
    expect(cfg['himac-fixed-budget']!.himac.subDone).toBe(false)
    expect(cfg['himac-random-blueprint']!.himac.phaseBBlueprint).toBe('random')
    for (const c of Object.values(cfg)) {
      expect(c.seed).toBe(2)
      expect(c.iterations).toBe(4)
      expect(c.policy).toEqual(cfg['himac']!.policy)
      expect(plannedIterations(c)).toBe(4 + 2) // 2 cloning epochs
    }
  })

  it('--minutes, --seeds and --methods', () => {
    const s = reproSpec({
      env: 'webshop',
      quick: true,
      seeds: '4',
      methods: 'himac,rloo',
      minutes: '1.5',
      db: 'x.db',
      progress: false
    })
    expect(s.budget).toEqual({ kind: 'minutes', minutes: 1.5, clock: 'train' })
    expect(
      reproSpec({ env: 'sokoban', minutes: '2', clock: 'wall', db: 'x.db', progress: false }).budget
    ).toEqual({ kind: 'minutes', minutes: 2, clock: 'wall' })
    // A study stored before the clock existed keeps the wall clock it ran on.
    expect(budgetSchema.parse({ kind: 'minutes', minutes: 12 })).toEqual({
      kind: 'minutes',
      minutes: 12,
      clock: 'wall'
    })
    expect(s.seeds).toEqual([0, 1, 2, 3])
    expect(s.methods).toEqual(['himac', 'rloo'])
    expect(s.expectedMinutes).toBe(12) // 8 runs × 1.5 minutes
    expect(methodConfig(s, 'rloo', 0).iterations).toBe(100_000) // time ends it
    expect(s.base.evalEnvConfig).toEqual({ split: 'test' })
  })

  it('--lr and --entropy set every run of the study; bad values are refused', () => {
    const base = { env: 'alfworld', db: 'x.db', progress: false }
    const s = reproSpec({ ...base, lr: '3e-4', entropy: '0.001' })
    for (const m of STUDY_METHODS) {
      expect(methodConfig(s, m, 1).learningRate).toBe(0.0003)
      expect(methodConfig(s, m, 1).entropyCoef).toBe(0.001)
    }
    expect(reproSpec(base).base.learningRate).toBe(
      studyPreset('alfworld', 'full').base.learningRate
    )
    expect(() => reproSpec({ ...base, lr: 'fast' })).toThrow(/--lr must be a number/)
    expect(() => reproSpec({ ...base, lr: '0' })).toThrow(/--lr must be positive/)
    expect(() => reproSpec({ ...base, entropy: '-1' })).toThrow(/--entropy must be ≥ 0/)
  })
})
