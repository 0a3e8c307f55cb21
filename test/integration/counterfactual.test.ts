// Counterfactual replay on real stored LM runs (HiMAC and flat GRPO on Sokoban, tiny models):
// forcing a recorded prefix puts the executor back in the same context (a greedy continuation of
// its own greedy episode is that episode again), an edited action or subgoal gives an episode whose
// prefix is the origin's and that is stored linked to it (out of the default episode lists), and
// bad edits are refused with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  experimentConfigSchema,
  type ExperimentConfig,
  type ExperimentConfigInput
} from '../../core/api/config'
import type { Episode, Step } from '../../core/api/entities'
import { createWorkbenchService } from '../../core/api/service'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { blueprintTokens } from '../../core/agent/himac/executor-plan'
import { rolloutLm, SUB_DONE } from '../../core/agent/lm'
import { createEnvForExperiment } from '../../core/envs/registry'
import { createRng } from '../../core/rng'
import { openDatabase, StoreReader, StoreWriter } from '../../core/store'
import { selectBackend } from '../../core/train/backend'
import { CounterfactualError } from '../../core/train/counterfactual'
import { makeCounterfactual } from '../../core/train/counterfactual-job'
import { executorPlan } from '../../core/train/himac/phases'
import { himacOptionsFor } from '../../core/train/himac/options'
import { lmAgentOptionsFor } from '../../core/train/lm/setup'
import { runPolicy } from '../../core/train/lm/run-policy'
import { trainRun } from '../helpers/store-runs'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
const file = tmp.file('cf.db')
afterAll(() => tmp.remove())

const config = (input: Partial<ExperimentConfigInput>): ExperimentConfig =>
  experimentConfigSchema.parse({
    env: 'sokoban',
    iterations: 1,
    seed: 5,
    groupsPerIteration: 2,
    groupSize: 2,
    evalEvery: 1,
    evalEpisodes: 3,
    evalTemperature: 0,
    policy: {
      kind: 'lm',
      lm: { dModel: 16, layers: 1, heads: 2 },
      warmStart: { episodes: 4, epochs: 1, batchDecisions: 32 }
    },
    ...input
  } satisfies ExperimentConfigInput)

const himacConfig = config({ algo: 'himac' })
const flatConfig = config({ algo: 'grpo' })
let himacRun = 0
let flatRun = 0

beforeAll(async () => {
  himacRun = await trainRun(file, himacConfig)
  flatRun = await trainRun(file, flatConfig)
  await selectBackend('auto')
}, 120_000)

const decisions = (steps: readonly { action: string; subDone?: boolean }[]): string[] =>
  steps.flatMap((s) => (s.subDone ? [s.action, SUB_DONE] : [s.action]))

const comparable = (
  steps: readonly {
    observation: string
    action: string
    reward: number
    subgoalIndex?: number | null
  }[]
) => steps.map((s) => [s.observation, s.action, s.reward, s.subgoalIndex ?? null])

function open(): { reader: StoreReader; writer: StoreWriter; close: () => void } {
  const db = openDatabase(file)
  return { reader: new StoreReader(db), writer: new StoreWriter(db), close: () => db.close() }
}

describe('counterfactual replay', () => {
  it('a forced prefix restores the context: greedy continuations equal the greedy episode', () => {
    const { reader, close } = open()
    for (const [runId, cfg] of [
      [himacRun, himacConfig],
      [flatRun, flatConfig]
    ] as const) {
      const policy = runPolicy(reader, runId)!.load()
      const blueprint = ['push the box onto the target', 'push the box onto the target']
      const known = blueprint.filter(
        (b) => !policy.tokenizer.encode(b).includes(policy.tokenizer.special.unk)
      )
      const plans =
        cfg.algo === 'himac' && known.length === blueprint.length
          ? [executorPlan(himacOptionsFor(cfg), blueprintTokens(policy.tokenizer, blueprint))]
          : undefined
      const run = (forced?: string[]) =>
        rolloutLm({
          model: policy.model,
          tokenizer: policy.tokenizer,
          envs: [createEnvForExperiment(cfg)],
          seeds: [77],
          temperature: 0,
          rng: createRng(1),
          options: lmAgentOptionsFor(cfg),
          ...(plans ? { plans } : {}),
          ...(forced ? { forced: [forced] } : {})
        })[0]!
      const free = run()
      const acted = free.steps.filter((s) => s.action !== '')
      expect(acted.length).toBeGreaterThan(3)
      for (const k of [1, Math.floor(acted.length / 2)]) {
        const again = run(decisions(acted.slice(0, k)))
        expect(comparable(again.steps), `${cfg.algo} prefix ${k}`).toEqual(comparable(free.steps))
        // Forced decisions carry no log-prob; the continuation's match the free run's.
        expect(again.steps.slice(0, k).every((s) => s.logProb === 0)).toBe(true)
        // (equal up to float32 rounding: the rows feed the cache in other widths)
        again.steps
          .slice(k)
          .forEach((s, i) => expect(s.logProb ?? 0).toBeCloseTo(free.steps[k + i]!.logProb ?? 0, 4))
      }
      policy.model.dispose()
      policy.planner?.dispose()
    }
    close()
  })

  it('another action at step t: the origin’s prefix, the new action, stored and linked', async () => {
    const { reader, writer, close } = open()
    const origin = reader.pageEpisodes(himacRun, 0, 50, { phase: 'eval' }).items[0]!
    const steps = reader.getSteps(origin.id)
    const t = 2
    const other = steps[t]!.admissibleActions.find((a) => a !== steps[t]!.action)!
    const before = reader.countRows('episodes')
    const { episodeId, meta } = await makeCounterfactual(reader, writer, {
      episodeId: origin.id,
      edit: { kind: 'action', t, action: other },
      temperature: 0,
      seed: 3
    })
    expect(reader.countRows('episodes')).toBe(before + 1)
    const made = reader.getEpisode(episodeId)!
    const madeSteps = reader.getSteps(episodeId)
    expect(made.counterfactual).toEqual(meta)
    expect(meta).toMatchObject({ originEpisodeId: origin.id, from: t, policyRunId: himacRun })
    expect(made).toMatchObject({
      runId: himacRun,
      iteration: origin.iteration,
      seed: origin.seed,
      blueprint: origin.blueprint
    })
    const strip = (s: Step) => [s.observation, s.action, s.reward, s.subgoalIndex, s.subDone]
    expect(madeSteps.slice(0, t).map(strip)).toEqual(steps.slice(0, t).map(strip))
    expect(madeSteps[t]!.action).toBe(other)
    expect(madeSteps[t]!.observation).toBe(steps[t]!.observation)
    expect(made.return).toBeCloseTo(
      madeSteps.reduce((a, s) => a + s.reward, 0),
      9
    )
    // Linked, and out of the default lists.
    expect(reader.counterfactualsOf(origin.id).map((e) => e.id)).toEqual([episodeId])
    expect(reader.pageEpisodes(himacRun, 0, 500).items.map((e) => e.id)).not.toContain(episodeId)
    expect(
      reader.pageEpisodes(himacRun, 0, 500, { counterfactuals: 'only' }).items.map((e) => e.id)
    ).toEqual([episodeId])
    // A counterfactual of a counterfactual is refused.
    await expect(
      makeCounterfactual(reader, writer, {
        episodeId,
        edit: { kind: 'action', t: 0, action: 'up' },
        temperature: 0,
        seed: 0
      })
    ).rejects.toThrow(/itself a counterfactual/)
    close()
  })

  it('a rewritten subgoal re-runs from where that subgoal began', async () => {
    const { reader, writer, close } = open()
    const origin = reader
      .pageEpisodes(himacRun, 0, 50, { phase: 'eval' })
      .items.find((e) => (e.blueprint?.length ?? 0) >= 1)!
    const steps = reader.getSteps(origin.id)
    const index =
      steps.find((s) => s.action !== '' && s.subgoalIndex !== null && s.subgoalIndex > 0)
        ?.subgoalIndex ?? 0
    const start = steps.findIndex((s) => s.subgoalIndex === index)
    const text =
      origin.blueprint![index] === 'push the box onto the target'
        ? 'push the box left'
        : 'push the box onto the target'
    const { episodeId, meta } = await makeCounterfactual(reader, writer, {
      episodeId: origin.id,
      edit: { kind: 'subgoal', index, text },
      temperature: 0,
      seed: 0
    })
    const made = reader.getEpisode(episodeId)!
    expect(meta.from).toBe(start)
    expect(made.blueprint).toEqual(origin.blueprint!.map((b, i) => (i === index ? text : b)))
    const madeSteps = reader.getSteps(episodeId)
    expect(madeSteps.slice(0, start).map((s) => s.action)).toEqual(
      steps.slice(0, start).map((s) => s.action)
    )
    close()
  })

  it('bad edits are refused and write nothing', async () => {
    const { reader, writer, close } = open()
    const himacEp = reader.pageEpisodes(himacRun, 0, 1, { phase: 'eval' }).items[0]!
    const flatEp = reader.pageEpisodes(flatRun, 0, 1, { phase: 'eval' }).items[0]!
    const steps = reader.getSteps(himacEp.id)
    const before = reader.countRows('episodes')
    const refused = async (req: Parameters<typeof makeCounterfactual>[2], message: RegExp) => {
      const p = makeCounterfactual(reader, writer, req)
      await expect(p).rejects.toThrow(message)
      await expect(p).rejects.toBeInstanceOf(CounterfactualError)
    }
    const base = { temperature: 0, seed: 0 }
    await refused(
      { ...base, episodeId: himacEp.id, edit: { kind: 'action', t: 999, action: 'up' } },
      /not an action/
    )
    await refused(
      { ...base, episodeId: himacEp.id, edit: { kind: 'action', t: 0, action: 'fly' } },
      /not admissible/
    )
    await refused(
      { ...base, episodeId: himacEp.id, edit: { kind: 'action', t: 0, action: steps[0]!.action } },
      /already took/
    )
    await refused(
      { ...base, episodeId: flatEp.id, edit: { kind: 'subgoal', index: 0, text: 'x' } },
      /no blueprint/
    )
    await refused(
      { ...base, episodeId: himacEp.id, edit: { kind: 'subgoal', index: 0, text: 'push ☃ left' } },
      /cannot spell/
    )
    await refused(
      { ...base, episodeId: himacEp.id, edit: { kind: 'subgoal', index: 99, text: 'x' } },
      /not in the blueprint/
    )
    await refused(
      {
        ...base,
        episodeId: himacEp.id,
        policyRunId: flatRun,
        edit: {
          kind: 'action',
          t: 0,
          action: steps[0]!.admissibleActions.find((a) => a !== steps[0]!.action)!
        }
      },
      /needs a HiMAC policy/
    )
    await refused(
      { ...base, episodeId: 99_999, edit: { kind: 'action', t: 0, action: 'up' } },
      /not found/
    )
    expect(reader.countRows('episodes')).toBe(before)
    close()
  })

  it('through the service: made, listed, and bad edits as errors that write nothing', async () => {
    const service = createWorkbenchService({
      dbPath: file,
      launcher: nodeForkLauncher,
      presets: []
    })
    try {
      const page = await service.invoke('episodes/page', {
        runId: himacRun,
        phase: 'eval',
        limit: 1
      })
      const origin = (page.data as { items: Episode[] }).items[0]!
      const steps = (await service.invoke('episodes/steps', { episodeId: origin.id })).data as {
        steps: Step[]
      }
      const other = steps.steps[1]!.admissibleActions.find((a) => a !== steps.steps[1]!.action)!
      const made = await service.invoke('episodes/counterfactual', {
        episodeId: origin.id,
        edit: { kind: 'action', t: 1, action: other }
      })
      const data = made.data as { episode: Episode; steps: Step[] }
      expect(data.episode.counterfactual).toMatchObject({ originEpisodeId: origin.id, from: 1 })
      expect(data.steps[1]!.action).toBe(other)
      const listed = (await service.invoke('episodes/counterfactuals', { episodeId: origin.id }))
        .data as Episode[]
      expect(listed.map((e) => e.id)).toContain(data.episode.id)
      const count = service.reader.countRows('episodes')
      const bad = await service.invoke('episodes/counterfactual', {
        episodeId: origin.id,
        edit: { kind: 'action', t: 1, action: 'teleport' }
      })
      expect(bad.error).toMatchObject({ type: 'ValidationError', field: 'edit' })
      expect(bad.error!.message).toMatch(/not admissible/)
      const missing = await service.invoke('episodes/counterfactual', {
        episodeId: 99_999,
        edit: { kind: 'action', t: 1, action: 'up' }
      })
      expect(missing.error?.type).toBe('NotFound')
      expect(service.reader.countRows('episodes')).toBe(count)
      // A chosen checkpoint of the policy run.
      const checkpoints = (await service.invoke('runs/policy-checkpoints', { runId: himacRun }))
        .data as number[]
      expect(checkpoints.length).toBeGreaterThan(0)
      const first = checkpoints[0]!
      const older = await service.invoke('episodes/counterfactual', {
        episodeId: origin.id,
        edit: { kind: 'action', t: 1, action: other },
        policyIteration: first
      })
      expect((older.data as { episode: Episode }).episode.counterfactual?.policyIteration).toBe(
        first
      )
      if (first > 0) {
        const none = await service.invoke('episodes/counterfactual', {
          episodeId: origin.id,
          edit: { kind: 'action', t: 1, action: other },
          policyIteration: first - 1
        })
        expect(none.error?.message ?? '').toMatch(/no language-model checkpoint at or before/)
      }
    } finally {
      await service.close()
    }
  })
})
