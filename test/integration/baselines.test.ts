// Reference agents through the same run path as training: real environments, episodes as stored.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { experimentConfigSchema } from '../../core/api/config'
import type { EpisodeRecord } from '../../core/store/records'
import { runExperiment } from '../../core/train/run'
import type { TrainingSink } from '../../core/train/sink'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

async function collect(input: Record<string, unknown>) {
  const config = experimentConfigSchema.parse(input)
  const episodes: EpisodeRecord[] = []
  let metrics: Record<string, number> = {}
  const sink: TrainingSink = {
    started: () => undefined,
    rollouts: (b) => episodes.push(...b.loose),
    metrics: (_i, v) => (metrics = v),
    progress: () => undefined,
    checkpoint: () => undefined
  }
  const outcome = await runExperiment(config, sink)
  return { outcome, episodes, metrics }
}

describe('reference agents', () => {
  it.each(['sokoban', 'alfworld', 'webshop'] as const)(
    'the %s expert beats the random agent',
    async (env) => {
      const expert = await collect({ env, algo: 'expert', evalEpisodes: 24, seed: 2 })
      const random = await collect({ env, algo: 'random', evalEpisodes: 24, seed: 2 })
      expect(expert.outcome.status).toBe('completed')
      expect(expert.episodes).toHaveLength(24)
      expect(expert.metrics['eval/success_rate']).toBeGreaterThanOrEqual(0.9)
      expect(random.metrics['eval/success_rate']).toBeLessThan(expert.metrics['eval/success_rate']!)
      // Expert steps carry the subgoal they serve and mark the last step of each subgoal.
      const ep = expert.episodes.find((e) => e.success)!
      expect(ep.blueprint?.length).toBeGreaterThan(0)
      const acted = ep.steps.filter((s) => s.action !== '')
      expect(acted.every((s) => s.subgoalIndex !== null && s.subgoalIndex !== undefined)).toBe(true)
      expect(acted.filter((s) => s.subDone).length).toBe(ep.blueprint!.length)
      expect(ep.steps.at(-1)?.done).toBe(true)
    }
  )

  it('reports ALFWorld success per task type', async () => {
    const { metrics } = await collect({
      env: 'alfworld',
      algo: 'expert',
      evalEpisodes: 30,
      seed: 5
    })
    const perType = Object.keys(metrics).filter((k) => k.startsWith('eval/success_rate/'))
    expect(perType.length).toBeGreaterThanOrEqual(3)
  })

  it('runs the real ALFWorld game files from a data folder', async () => {
    const fixtures = path.resolve(__dirname, '../../../shared/fixtures/alfworld-real')
    const split = path.join(tmp.dir, 'json_2.1.1', 'valid_seen')
    for (const name of fs.readdirSync(fixtures).filter((n) => n.includes('__'))) {
      const [task, trial] = name.split('__') as [string, string]
      fs.mkdirSync(path.join(split, task, trial), { recursive: true })
      fs.copyFileSync(
        path.join(fixtures, name, 'game.tw-pddl'),
        path.join(split, task, trial, 'game.tw-pddl')
      )
    }
    const { metrics, episodes } = await collect({
      env: 'alfworld',
      algo: 'expert',
      evalEpisodes: 12,
      envConfig: { source: 'files', dataDir: tmp.dir, split: 'valid_seen' }
    })
    expect(metrics['eval/success_rate']).toBe(1)
    expect(episodes[0]?.task).toMatch(/^(put|look|examine|clean|heat|cool|find)/)
  })

  it('refuses a config whose algorithm does not support the environment', () => {
    const res = experimentConfigSchema.safeParse({ env: 'alfworld', algo: 'grpo' })
    expect(res.success).toBe(false)
    expect(res.error?.issues[0]?.path).toEqual(['env'])
  })
})
