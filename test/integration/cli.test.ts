// The `himac` command as a user runs it: a real process, a real database file.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, StoreReader } from '../../core/store'
import {
  episodeInconsistencies,
  expectedGrpoMetrics,
  isGrpoRecomputed,
  metricMismatches,
  perfInconsistencies
} from '../helpers/recomputed-metrics'
import { readStoredRun } from '../helpers/stored-run'
import { tempDir } from '../helpers/tmp'

const run = promisify(execFile)
const tmp = tempDir()
afterAll(() => tmp.remove())

async function himac(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/himac.js', ...args], {
      timeout: 120_000
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('himac train', () => {
  it('trains on Sokoban and writes the run, metrics, episodes and steps', async () => {
    const db = tmp.file('cli.db')
    const res = await himac([
      'train',
      '--env',
      'sokoban',
      '--algo',
      'grpo',
      '--iterations',
      '3',
      '--seed',
      '4',
      '--groups',
      '2',
      '--group-size',
      '4',
      '--eval-every',
      '2',
      '--db',
      db,
      '--no-progress'
    ])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/on backend (wasm|cpu|tensorflow)/)
    const store = openDatabase(db, { readonly: true })
    const reader = new StoreReader(store)
    const [run] = reader.listRuns()
    expect(run).toMatchObject({ status: 'completed', seed: 4, iterationsDone: 3 })
    expect(reader.getMetrics(run!.id)).toHaveLength(3)
    // 3 iterations × 2 groups × 4 members, plus evaluations at iterations 0 and 2 (64 episodes each).
    expect(reader.pageEpisodes(run!.id, 0, 1).total).toBe(3 * 8 + 2 * 64)
    const episode = reader.pageEpisodes(run!.id, 0, 1).items[0]!
    expect(reader.getSteps(episode.id).length).toBeGreaterThan(episode.length)
    store.close()

    const stored = readStoredRun(db)
    expect(episodeInconsistencies(stored.episodes)).toEqual([])
    expect(perfInconsistencies(stored)).toEqual([])
    const expected = expectedGrpoMetrics(stored)
    expect([...expected.keys()]).toEqual([0, 1, 2])
    for (const [iteration, values] of expected) {
      const logged = stored.metrics.get(iteration)
      expect({ iteration, mismatches: metricMismatches(logged, values, isGrpoRecomputed) }).toEqual(
        { iteration, mismatches: [] }
      )
    }
    expect(Object.keys(expected.get(1) ?? {})).not.toContain('eval/success_rate')
    expect(Object.keys(expected.get(2) ?? {})).toContain('eval/success_rate')
  })

  it('is deterministic: the same seed gives the same numbers', async () => {
    const a = tmp.file('a.db')
    const b = tmp.file('b.db')
    const args = [
      'train',
      '--iterations',
      '2',
      '--seed',
      '9',
      '--groups',
      '2',
      '--group-size',
      '4',
      '--eval-every',
      '0',
      '--no-progress'
    ]
    for (const file of [a, b]) {
      const res = await himac([...args, '--db', file])
      expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' })
    }
    const read = (file: string) => {
      const db = openDatabase(file, { readonly: true })
      const r = new StoreReader(db)
      const runId = r.listRuns()[0]!.id
      const out = {
        metrics: r.getMetrics(runId),
        episodes: r.pageEpisodes(runId, 0, 100).items.map((e) => [e.seed, e.return, e.length])
      }
      db.close()
      return out
    }
    const ra = read(a)
    const rb = read(b)
    expect(ra.metrics).toHaveLength(2)
    expect(ra.episodes).toHaveLength(2 * 2 * 4)
    expect(ra.episodes).toEqual(rb.episodes)
    const strip = (m: typeof ra.metrics) =>
      m.map((p) =>
        Object.fromEntries(Object.entries(p.values).filter(([k]) => !k.startsWith('perf/')))
      )
    expect(strip(ra.metrics)).toEqual(strip(rb.metrics))
  })

  it('refuses an invalid config naming the field and writes nothing', async () => {
    const db = tmp.file('bad.db')
    const res = await himac(['train', '--iterations', '0', '--db', db])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/iterations/)
    const unknown = await himac(['train', '--env', 'chess', '--db', db])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toMatch(/chess/)
    const norm = await himac(['train', '--advantage-norm', 'std', '--db', db])
    expect(norm.code).not.toBe(0)
    expect(norm.stderr).toMatch(/--advantage-norm.*std/)
    const zero = await himac(['train', '--zero-variance', 'skip', '--db', db])
    expect(zero.code).not.toBe(0)
    expect(zero.stderr).toMatch(/--zero-variance.*skip/)
    const entropy = await himac(['train', '--entropy', '2', '--db', db])
    expect(entropy.code).toBe(2)
    expect(entropy.stderr).toMatch(/entropyCoef/)
    const store = openDatabase(db)
    expect(new StoreReader(store).countRows('experiments')).toBe(0)
    store.close()
  })

  it('passes --entropy, --advantage-norm, --zero-variance, --webshop-click, --sokoban-view and the word marks into the stored config', async () => {
    const db = tmp.file('ppo-options.db')
    const args = ['train', '--env', 'sokoban', '--iterations', '1', '--groups', '1']
    const res = await himac([
      ...args,
      '--group-size',
      '2',
      '--eval-every',
      '0',
      '--entropy',
      '0.002',
      '--advantage-norm',
      'mean',
      '--zero-variance',
      'drop',
      '--webshop-click',
      'rank',
      '--sokoban-view',
      'grid',
      '--mark-task-words',
      '--mark-subgoal-words',
      '--db',
      db,
      '--no-progress'
    ])
    expect(res.code, res.stderr).toBe(0)
    const store = openDatabase(db, { readonly: true })
    const [run] = new StoreReader(store).listRuns()
    expect(run?.config).toMatchObject({
      entropyCoef: 0.002,
      advantageNorm: 'mean',
      zeroVarianceGroups: 'drop',
      policy: {
        lm: {
          webshopClick: 'rank',
          sokobanView: 'grid',
          markTaskWords: true,
          markSubgoalWords: true
        }
      }
    })
    store.close()
  })
})
