// HiMAC trained end to end on each environment into a real SQLite store: cloning epochs of both
// roles, then iterations of Phase A (macro groups of blueprints, z* chosen) and Phase B (micro
// groups executing z*, linked to their Phase-A group), per-phase metrics, evaluations, a checkpoint
// that `himac eval` can load; and the same seed gives the same numbers.
import { afterAll, describe, expect, it, vi } from 'vitest'
import { evalCheckpointCommand } from '../../cli/eval-checkpoint'
import {
  experimentConfigSchema,
  plannedIterations,
  type ExperimentConfigInput
} from '../../core/api/config'
import { openDatabase, StoreReader, StoreWriter } from '../../core/store'
import { LM_STATE_FORMAT } from '../../core/train/lm/trainer-state'
import { runExperiment } from '../../core/train/run'
import { createStoreSink } from '../../core/train/store-sink'
import { comparableRun } from '../helpers/run-consistency'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
afterAll(() => tmp.remove())

const tiny = (
  env: 'sokoban' | 'alfworld' | 'webshop',
  himac: ExperimentConfigInput['himac'] = {}
) =>
  experimentConfigSchema.parse({
    env,
    algo: 'himac',
    iterations: 2,
    seed: 5,
    groupsPerIteration: 2,
    groupSize: 3,
    evalEvery: 1,
    evalEpisodes: 3,
    policy: {
      lm: { dModel: 16, layers: 1, heads: 2 },
      warmStart: { episodes: 6, epochs: 2, batchDecisions: 32 }
    },
    himac
  } satisfies ExperimentConfigInput)

async function train(file: string, config: ReturnType<typeof tiny>): Promise<number> {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const runId = writer.createRun(writer.createExperiment('himac', null, config), config)
  const outcome = await runExperiment(config, createStoreSink(writer, runId))
  writer.finishRun(runId, outcome.status)
  db.close()
  return runId
}

type GroupRow = {
  id: number
  iteration: number
  level: string
  member_count: number
  chosen_episode_id: number | null
  chosen_blueprint_json: string | null
  parent_group_id: number | null
}

describe('HiMAC training end to end', () => {
  for (const env of ['sokoban', 'alfworld', 'webshop'] as const) {
    it(`${env}: phases, groups, per-phase metrics, evaluations and a checkpoint`, async () => {
      const config = tiny(env)
      const file = tmp.file(`${env}.db`)
      const runId = await train(file, config)
      const db = openDatabase(file)
      try {
        const reader = new StoreReader(db)
        expect(reader.getRun(runId)?.status).toBe('completed')
        expect(plannedIterations(config)).toBe(4)
        const { metrics } = comparableRun(file, runId)
        expect(metrics.map((m) => m.iteration)).toEqual([0, 1, 2, 3])
        for (const m of metrics.slice(0, 2)) {
          expect(m.values['bc/loss']).toBeGreaterThan(0)
          expect(m.values['bc/plans']).toBeGreaterThan(0)
        }
        for (const m of metrics.slice(2)) {
          for (const k of ['macro', 'micro']) {
            expect(m.values[`${k}/success_rate`]).toBeGreaterThanOrEqual(0)
            expect(Number.isFinite(m.values[`${k}/kl`])).toBe(true)
            expect(m.values[`${k}/clip_fraction`]).toBeLessThan(0.5)
            // Each phase's update starts from the log-probs its rollouts recorded: π/π_old = 1.
            expect(m.values[`${k}/first_ratio_deviation`]).toBeLessThan(1e-4)
          }
          expect(m.values['macro/subgoals_per_plan']).toBeGreaterThanOrEqual(1)
          expect(m.values['macro/distinct_blueprints']).toBeGreaterThanOrEqual(1)
          expect(m.values['macro/distinct_blueprints']).toBeLessThanOrEqual(3)
          expect(m.values['eval/greedy_success_rate']).toBeGreaterThanOrEqual(0)
        }
        const groups = db
          .prepare(
            `SELECT id, iteration, level, member_count, chosen_episode_id, chosen_blueprint_json,
                    parent_group_id FROM rollout_groups WHERE run_id = ? ORDER BY id`
          )
          .all(runId) as GroupRow[]
        // Per RL iteration: 2 macro groups (2 tasks) then 2 micro groups executing their z*.
        expect(groups.map((g) => g.level)).toEqual([
          ...['macro', 'macro', 'micro', 'micro'],
          ...['macro', 'macro', 'micro', 'micro']
        ])
        for (const g of groups) {
          expect(g.member_count).toBe(3)
          expect(JSON.parse(g.chosen_blueprint_json ?? '[]').length).toBeGreaterThan(0)
          if (g.level === 'macro') {
            expect(g.chosen_episode_id).not.toBeNull()
            expect(g.parent_group_id).toBeNull()
            const members = db
              .prepare(
                'SELECT id, blueprint_json, plan_log_prob, plan_advantage FROM episodes WHERE group_id = ?'
              )
              .all(g.id) as {
              id: number
              blueprint_json: string
              plan_log_prob: number
              plan_advantage: number
            }[]
            expect(members).toHaveLength(3)
            for (const e of members) {
              expect(e.plan_log_prob).toBeLessThanOrEqual(0)
              expect(Number.isFinite(e.plan_advantage)).toBe(true)
            }
            const chosen = members.find((e) => e.id === g.chosen_episode_id)
            expect(chosen?.blueprint_json).toBe(g.chosen_blueprint_json)
          } else {
            const parent = groups.find((p) => p.id === g.parent_group_id)
            expect(parent?.level).toBe('macro')
            expect(parent?.iteration).toBe(g.iteration)
            expect(g.chosen_blueprint_json).toBe(parent?.chosen_blueprint_json)
          }
        }
        // Executor steps carry their subgoal index; the last step of each episode is the final state.
        const steps = db
          .prepare(
            `SELECT s.subgoal_index, s.action FROM steps s JOIN episodes e ON e.id = s.episode_id
             WHERE e.run_id = ? AND e.group_id IS NOT NULL AND s.action != ''`
          )
          .all(runId) as { subgoal_index: number | null }[]
        expect(steps.length).toBeGreaterThan(0)
        expect(steps.every((s) => s.subgoal_index !== null && s.subgoal_index >= 0)).toBe(true)
        // An episode's length counts environment steps, not the executor's `<sub_done>` decisions.
        const lengths = db
          .prepare(
            `SELECT e.length, (SELECT COUNT(*) FROM steps s WHERE s.episode_id = e.id AND s.action != '')
               AS acted FROM episodes e WHERE e.run_id = ?`
          )
          .all(runId) as { length: number; acted: number }[]
        expect(lengths.length).toBeGreaterThan(0)
        for (const l of lengths) expect(l.length).toBe(l.acted)
        expect(reader.latestCheckpoint(runId, LM_STATE_FORMAT)).toBeDefined()
        // `himac eval --run` loads that checkpoint and evaluates planner + executor.
        const printed: string[] = []
        const log = vi.spyOn(console, 'log').mockImplementation((x: string) => printed.push(x))
        try {
          expect(
            await evalCheckpointCommand({ run: runId, db: file, episodes: 2, json: true })
          ).toBe(0)
        } finally {
          log.mockRestore()
        }
        const report = JSON.parse(printed.join('\n')) as {
          algo: string
          values: Record<string, number>
        }
        expect(report.algo).toBe('himac')
        expect(report.values['eval/episodes']).toBe(2)
      } finally {
        db.close()
      }
    })
  }

  it('the same seed gives the same run; the ablations run', async () => {
    const a = await train(tmp.file('det-a.db'), tiny('sokoban'))
    const b = await train(tmp.file('det-b.db'), tiny('sokoban'))
    const ra = comparableRun(tmp.file('det-a.db'), a)
    const rb = comparableRun(tmp.file('det-b.db'), b)
    expect(rb.metrics.map((m) => withoutTimes(m.values))).toEqual(
      ra.metrics.map((m) => withoutTimes(m.values))
    )
    expect(rb.episodes).toEqual(ra.episodes)
    for (const himac of [
      { schedule: 'simultaneous' as const },
      { subDone: false },
      { phaseBBlueprint: 'random' as const },
      { sharedWeights: false }
    ]) {
      const file = tmp.file(`ablation-${JSON.stringify(himac).replace(/\W/g, '')}.db`)
      const id = await train(file, tiny('sokoban', himac))
      const { metrics } = comparableRun(file, id)
      expect(metrics).toHaveLength(4)
      const last = metrics[3]?.values ?? {}
      if ('subDone' in himac) expect(last['micro/sub_done_per_episode']).toBe(0)
      if ('schedule' in himac) expect(last['joint/kl']).toBeDefined()
    }
  })
})

function withoutTimes(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).filter(([k]) => !k.startsWith('perf/') && !k.endsWith('_s'))
  )
}
