// A saved warm start (`himac warmstart`, flat or `--algo himac`) is the warm start a run would clone
// itself: a HiMAC run started from the file gives exactly the numbers of a run that clones in
// process with the same settings. A file cloned for the other kind of policy, or on another env, is
// refused by `train` and by `repro` with the command that makes the right one.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { reproSpec } from '../../cli/repro'
import { trainCommand } from '../../cli/train'
import { warmstartCommand } from '../../cli/warmstart'
import { experimentConfigSchema, type ExperimentConfigInput } from '../../core/api/config'
import { openDatabase, StoreWriter } from '../../core/store'
import { createStudy, runStudy } from '../../core/study/runner'
import { methodConfig } from '../../core/study/spec'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { comparableRun } from '../helpers/run-consistency'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const small = { episodes: 6, epochs: 2, seed: 5, dModel: 16, layers: 1, heads: 2 }

const config = (algo: 'himac' | 'grpo', from: string | null, iterations = 1) =>
  experimentConfigSchema.parse({
    env: 'sokoban',
    algo,
    iterations,
    seed: small.seed,
    groupsPerIteration: 2,
    groupSize: 3,
    evalEvery: 1,
    evalEpisodes: 4,
    policy: {
      kind: 'lm',
      lm: { dModel: small.dModel, layers: small.layers, heads: small.heads },
      warmStart: { episodes: small.episodes, epochs: small.epochs, from }
    }
  } satisfies ExperimentConfigInput)

async function train(file: string, c: ReturnType<typeof config>): Promise<number> {
  const db = openDatabase(file)
  try {
    const writer = new StoreWriter(db)
    const runId = writer.createRun(writer.createExperiment('ws', null, c), c)
    const outcome = await runExperiment(c, createStoreSink(writer, runId))
    writer.finishRun(runId, outcome.status)
    return runId
  } finally {
    db.close()
  }
}

/** The RL iterations' metrics without timings (those differ between any two runs). */
function rlMetrics(file: string, runId: number, skip: number) {
  return comparableRun(file, runId)
    .metrics.slice(skip)
    .map((m) => ({
      values: Object.fromEntries(
        Object.entries(m.values).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('_s'))
      )
    }))
}

describe('saved warm starts', () => {
  const himacFile = tmp.file('himac-ws.json')
  const flatFile = tmp.file('flat-ws.json')
  const budgetFile = tmp.file('budget-ws.json')
  const wideFile = tmp.file('wide-ws.json')

  beforeAll(async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {})
    expect(
      await warmstartCommand({ env: 'sokoban', algo: 'himac', out: himacFile, ...small })
    ).toBe(0)
    expect(await warmstartCommand({ env: 'sokoban', out: flatFile, ...small })).toBe(0)
    expect(
      await warmstartCommand({
        env: 'sokoban',
        algo: 'himac',
        subDone: false,
        out: budgetFile,
        ...small
      })
    ).toBe(0)
    expect(
      await warmstartCommand({ env: 'sokoban', out: wideFile, ...small, dModel: 24, episodes: 2 })
    ).toBe(0)
    vi.restoreAllMocks()
  }, 240_000)

  it('a HiMAC run from `warmstart --algo himac` equals one that clones the same warm start itself', async () => {
    const db = tmp.file('himac.db')
    const cloned = await train(db, config('himac', null))
    const loaded = await train(db, config('himac', himacFile))
    const a = rlMetrics(db, cloned, small.epochs)
    const b = rlMetrics(db, loaded, 0)
    expect(a).toHaveLength(1)
    expect(a[0]!.values['macro/success_rate']).toBeGreaterThanOrEqual(0)
    expect(b).toEqual(a)
    // Every stored number of the RL episodes too: blueprints, actions, log-probs, advantages.
    const episodes = (runId: number, shift: number) =>
      comparableRun(db, runId)
        .episodes.filter((e) => e.iteration >= shift)
        .map((e) => ({ ...e, iteration: e.iteration - shift }))
    const rl = episodes(cloned, small.epochs)
    expect(rl.length).toBeGreaterThan(6)
    expect(rl.some((e) => e.steps.some((st) => st.logProb !== null && st.logProb < 0))).toBe(true)
    expect(new Set(rl.map((e) => e.blueprint?.join('|'))).size).toBeGreaterThan(1)
    expect(episodes(loaded, 0)).toEqual(rl)
  }, 240_000)

  it('refuses a warm start of the other kind of policy or of another env', async () => {
    const db = tmp.file('refused.db')
    await expect(train(db, config('grpo', himacFile))).rejects.toThrow(
      /cloned as HiMAC .*this run \(grpo\) needs a flat agent: clone one with `himac warmstart --algo grpo`/
    )
    const fixedBudget = experimentConfigSchema.parse({
      ...config('himac', himacFile),
      himac: { subDone: false }
    })
    await expect(train(db, fixedBudget)).rejects.toThrow(
      /cloned with <sub_done>; this run is without it: clone one with `himac warmstart --algo himac --no-sub-done`/
    )
    await expect(train(db, config('himac', flatFile))).rejects.toThrow(
      /cloned as a flat agent; this run \(himac\) needs HiMAC .*`himac warmstart --algo himac`/
    )
    const alf = experimentConfigSchema.parse({
      ...config('grpo', flatFile),
      env: 'alfworld'
    })
    await expect(train(db, alf)).rejects.toThrow(/cloned on sokoban; this run is on alfworld/)
  }, 120_000)

  it('repro: --warm-start, --himac-warm-start and --fixed-budget-warm-start start each kind of run from its file, and are checked first', () => {
    const base = { env: 'sokoban', quick: true, db: 'x.db', progress: false }
    const all = { warmStart: flatFile, himacWarmStart: himacFile, fixedBudgetWarmStart: budgetFile }
    const spec = reproSpec({ ...base, ...all })
    expect(spec.warmStarts).toEqual({ flat: flatFile, himac: himacFile, fixedBudget: budgetFile })
    expect(methodConfig(spec, 'gigpo', 1).policy.warmStart.from).toBe(flatFile)
    expect(methodConfig(spec, 'himac-random-blueprint', 1).policy.warmStart.from).toBe(himacFile)
    expect(methodConfig(spec, 'himac-fixed-budget', 1).policy.warmStart.from).toBe(budgetFile)
    expect(methodConfig(reproSpec(base), 'himac', 0).policy.warmStart.from).toBeNull()
    // One recipe per comparison: saved warm starts for every method, or for none.
    expect(() => reproSpec({ ...base, warmStart: flatFile, himacWarmStart: himacFile })).toThrow(
      /--fixed-budget-warm-start: the study's himac-fixed-budget runs need a saved warm start too \(`himac warmstart --algo himac --no-sub-done`\)/
    )
    const himacOnly = { ...base, methods: 'himac,himac-fixed-budget' }
    expect(() =>
      reproSpec({ ...himacOnly, himacWarmStart: himacFile, fixedBudgetWarmStart: himacFile })
    ).toThrow(/--fixed-budget-warm-start: .*cloned with <sub_done>; this run is without it/)
    expect(() =>
      reproSpec({ ...himacOnly, himacWarmStart: budgetFile, fixedBudgetWarmStart: budgetFile })
    ).toThrow(/--himac-warm-start: .*cloned without <sub_done>; this run is with it/)
    expect(() => reproSpec({ ...base, methods: 'himac', himacWarmStart: flatFile })).toThrow(
      /--himac-warm-start: .*cloned as a flat agent/
    )
    const flatOnly = { ...base, methods: 'grpo,rloo' }
    expect(() => reproSpec({ ...flatOnly, warmStart: himacFile })).toThrow(
      /--warm-start: .*cloned as HiMAC/
    )
    expect(() => reproSpec({ ...flatOnly, env: 'webshop', warmStart: flatFile })).toThrow(
      /cloned on sokoban; this run is on webshop/
    )
    expect(() => reproSpec({ ...flatOnly, warmStart: tmp.file('none.json') })).toThrow(
      /--warm-start: .*does not exist/
    )
    expect(() =>
      reproSpec({ ...flatOnly, warmStart: flatFile, himacWarmStart: himacFile })
    ).toThrow(/--himac-warm-start: no method of this study starts from it/)
    const junk = tmp.file('junk.json')
    fs.writeFileSync(junk, '{"format":"other"}')
    expect(() => reproSpec({ ...flatOnly, warmStart: junk })).toThrow(/not a saved warm start/)
    expect(() =>
      reproSpec({ resume: '1', db: 'x.db', progress: false, warmStart: flatFile })
    ).toThrow(/--warm-start shapes a new study/)
  })

  it("a run or study from saved warm starts stores their model's shape and cloning, not its preset's", async () => {
    // The quick preset is d32 × 1; the files hold d16 × 1 (2 heads).
    const shape = { dModel: 16, layers: 1, heads: 2 }
    const spec = reproSpec({
      env: 'sokoban',
      quick: true,
      db: 'x.db',
      progress: false,
      methods: 'himac,grpo',
      warmStart: flatFile,
      himacWarmStart: himacFile
    })
    expect(spec.base.policy.lm).toMatchObject(shape)
    expect(methodConfig(spec, 'grpo', 2).policy.lm).toMatchObject(shape)
    expect(() =>
      reproSpec({
        env: 'sokoban',
        quick: true,
        db: 'x.db',
        progress: false,
        methods: 'himac,grpo',
        warmStart: wideFile,
        himacWarmStart: himacFile
      })
    ).toThrow(/different models .*d24 × 1.*d16 × 1.*clone them alike/)

    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m))
    vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      const db = tmp.file('train-shape.db')
      const run = { db, env: 'sokoban', algo: 'grpo', policy: 'lm', iterations: 1, groups: 2 }
      const common = { ...run, groupSize: 2, evalEvery: 1, evalEpisodes: 2, progress: false }
      expect(await trainCommand({ ...common, warmStart: flatFile })).toBe(0)
      const stored = openDatabase(db)
      const row = stored.prepare('SELECT config_json FROM runs').get() as { config_json: string }
      stored.close()
      const storedConfig = JSON.parse(row.config_json) as ReturnType<typeof config>
      expect(storedConfig.policy.lm).toMatchObject(shape)
      // …and the cloning that made the file (6 demonstrations × 2 epochs), not the default recipe.
      expect(storedConfig.policy.warmStart).toMatchObject({
        episodes: small.episodes,
        epochs: small.epochs,
        from: flatFile
      })
      // A study's run from the file stores the same (core/study/runner.ts applies the recipe).
      const studyDb = openDatabase(tmp.file('study-recipe.db'))
      try {
        const one = { ...spec, seeds: [0], budget: { kind: 'iterations' as const, iterations: 1 } }
        const base = { ...one.base, groupsPerIteration: 2, groupSize: 2, evalEvery: 0 }
        const studyId = createStudy(studyDb, 'recipe', { ...one, methods: ['grpo'], base })
        expect(await runStudy(studyDb, studyId)).toBe('completed')
        const studyRun = studyDb.prepare('SELECT config_json FROM runs').get() as {
          config_json: string
        }
        expect(JSON.parse(studyRun.config_json).policy.warmStart).toMatchObject({
          episodes: small.episodes,
          epochs: small.epochs,
          from: flatFile
        })
      } finally {
        studyDb.close()
      }
      expect(await trainCommand({ ...common, warmStart: flatFile, dModel: 32 })).toBe(2)
      expect(errors.at(-1)).toMatch(/holds a d16 × 1 \(2 heads.*model; drop --d-model/)
    } finally {
      vi.restoreAllMocks()
    }
  }, 120_000)
})
