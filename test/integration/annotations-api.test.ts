// Annotations through the service on a real SQLite file: label schemas per experiment, comments
// and typed labels on every target type, append-only history (who, when, previous value), search,
// the review queue's "unlabeled" episode filter, a resume's rewind detaching annotations whose
// targets it deleted, and bad input as errors that change nothing.
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Annotation, AnnotationTarget } from '../../core/api/annotation-entities'
import { experimentConfigSchema } from '../../core/api/config'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { openDatabase, StoreWriter, type EpisodeRecord } from '../../core/store'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
const file = tmp.file('annotations.db')
let service: WorkbenchService
let watcher: Database.Database

const episode = (
  memberIndex: number,
  success: boolean,
  blueprint: string[] | null
): EpisodeRecord => ({
  phase: 'train',
  memberIndex,
  env: 'sokoban',
  task: 'push the box',
  seed: 7,
  blueprint,
  return: success ? 10 : -1,
  success,
  length: 3,
  steps: Array.from({ length: 3 }, (_, t) => ({
    t,
    observation: `obs ${t}`,
    admissibleActions: ['up', 'down'],
    action: 'up',
    reward: 0,
    done: t === 2
  }))
})

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await service.invoke(name, input)
  if (r.error) throw new Error(`${name}: ${r.error.type}: ${r.error.message}`)
  return r.data as T
}
const refused = async (
  name: string,
  input: unknown
): Promise<{ type: string; message: string }> => {
  const before = counts()
  const r = await service.invoke(name, input)
  expect(r.error, `${name} ${JSON.stringify(input)} was accepted`).toBeDefined()
  expect(counts()).toEqual(before)
  return r.error!
}
const counts = (): number[] =>
  ['annotations', 'label_schemas', 'annotation_detachments'].map(
    (t) => (watcher.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n
  )
const list = (target: AnnotationTarget): Promise<Annotation[]> =>
  call('annotations/list', { target })

beforeAll(() => {
  const db = openDatabase(file)
  const writer = new StoreWriter(db)
  const config = experimentConfigSchema.parse({ env: 'sokoban', algo: 'grpo', iterations: 3 })
  for (const name of ['first', 'second']) {
    const runId = writer.createRun(writer.createExperiment(name, null, config), config)
    for (const iteration of [0, 1])
      writer.insertRollouts(runId, {
        iteration,
        groups: [
          {
            level: 'macro',
            taskSeed: 7,
            task: 'push the box',
            chosenMember: 1,
            episodes: [episode(0, false, ['reach box', 'push']), episode(1, true, ['push'])]
          }
        ],
        loose: [episode(0, false, null)]
      })
  }
  db.close()
  service = createWorkbenchService({
    dbPath: file,
    launcher: nodeForkLauncher,
    presets: [],
    author: 'ada'
  })
  watcher = new Database(file, { readonly: true })
})
afterAll(async () => {
  watcher.close()
  await service.close()
  tmp.remove()
})

describe('annotations API', () => {
  it('defines label schemas per experiment and refuses bad or duplicate ones', async () => {
    await call('labels/define', { experimentId: 1, name: 'stuck', type: 'boolean' })
    await call('labels/define', { experimentId: 1, name: 'quality', type: 'score' })
    await call('labels/define', {
      experimentId: 1,
      name: 'failure mode',
      type: 'category',
      options: ['loops', 'wrong object', 'gives up'],
      description: 'why it failed'
    })
    const labels = await call<{ name: string; type: string; options: string[] }[]>('labels/list', {
      experimentId: 1
    })
    expect(labels.map((l) => [l.name, l.type, l.options])).toEqual([
      ['stuck', 'boolean', []],
      ['quality', 'score', []],
      ['failure mode', 'category', ['loops', 'wrong object', 'gives up']]
    ])
    expect(await call('labels/list', { experimentId: 2 })).toEqual([])
    expect(
      (await refused('labels/define', { experimentId: 1, name: 'stuck', type: 'score' })).type
    ).toBe('Conflict')
    const oneOption = await refused('labels/define', {
      experimentId: 2,
      name: 'x',
      type: 'category',
      options: ['a']
    })
    expect(oneOption.message).toMatch(/options: a category needs 2 or more/)
    await refused('labels/define', { experimentId: 2, name: 'x', type: 'score', options: ['a'] })
    await refused('labels/define', { experimentId: 9, name: 'x', type: 'score' })
    await refused('labels/define', { experimentId: 2, name: '<b>', type: 'score' })
  })

  it('labels keep their history; values must fit the schema of the target’s experiment', async () => {
    const target = { type: 'episode', id: 1 } as const
    await call('annotations/add', { target, kind: 'label', label: 'quality', value: '2' })
    await call('annotations/add', {
      target,
      kind: 'label',
      label: 'quality',
      value: '4',
      author: 'grace'
    })
    // The same value again writes nothing.
    const before = counts()
    await call('annotations/add', { target, kind: 'label', label: 'quality', value: '4' })
    expect(counts()).toEqual(before)
    const [quality] = await list(target)
    expect(quality).toMatchObject({ kind: 'label', label: 'quality', value: '4', author: 'grace' })
    expect(quality!.history.map((h) => [h.author, h.value])).toEqual([['ada', '2']])

    expect(
      (await refused('annotations/add', { target, kind: 'label', label: 'quality', value: '6' }))
        .message
    ).toMatch(/score 1–5/)
    await refused('annotations/add', { target, kind: 'label', label: 'stuck', value: 'maybe' })
    await refused('annotations/add', {
      target,
      kind: 'label',
      label: 'failure mode',
      value: 'bored'
    })
    // Experiment 2 has no 'quality' label: episode 7 is in its run.
    expect(
      (
        await refused('annotations/add', {
          target: { type: 'episode', id: 7 },
          kind: 'label',
          label: 'quality',
          value: '3'
        })
      ).type
    ).toBe('NotFound')

    // Clearing appends a null row: the label is gone from the list, its chain stays.
    await call('annotations/add', { target, kind: 'label', label: 'quality', value: null })
    expect(await list(target)).toEqual([])
    await call('annotations/add', { target, kind: 'label', label: 'quality', value: '5' })
    const [again] = await list(target)
    expect(again!.history.map((h) => h.value)).toEqual([null, '4', '2'])
  })

  it('comments on every target type; edits and deletes must name the newest version', async () => {
    const targets: AnnotationTarget[] = [
      { type: 'run', id: 1 },
      { type: 'group', id: 1 },
      { type: 'blueprint', id: 2 },
      { type: 'episode', id: 2 },
      { type: 'step', id: 2, t: 1 }
    ]
    for (const target of targets)
      await call('annotations/add', { target, kind: 'comment', value: `note on ${target.type}` })
    for (const target of targets) {
      const [c] = await list(target)
      expect(c).toMatchObject({
        kind: 'comment',
        label: null,
        value: `note on ${target.type}`,
        runId: 1
      })
      expect(c!.target).toEqual(target)
    }
    // A step's comment is not the episode's.
    expect((await list({ type: 'episode', id: 2 })).map((a) => a.value)).toEqual([
      'note on episode'
    ])

    const step = { type: 'step', id: 2, t: 1 } as const
    const [first] = await list(step)
    await call('annotations/add', {
      target: step,
      kind: 'comment',
      value: 'edited',
      supersedes: first!.id
    })
    const [edited] = await list(step)
    expect(edited!.value).toBe('edited')
    expect(edited!.history.map((h) => h.value)).toEqual(['note on step'])
    expect(
      (
        await refused('annotations/add', {
          target: step,
          kind: 'comment',
          value: 'late',
          supersedes: first!.id
        })
      ).type
    ).toBe('Conflict')
    await refused('annotations/add', {
      target: { type: 'step', id: 2, t: 2 },
      kind: 'comment',
      value: 'other target',
      supersedes: edited!.id
    })
    await call('annotations/add', {
      target: step,
      kind: 'comment',
      value: null,
      supersedes: edited!.id
    })
    expect(await list(step)).toEqual([])

    // Targets that are not there.
    await refused('annotations/add', {
      target: { type: 'step', id: 2, t: 3 },
      kind: 'comment',
      value: 'x'
    })
    await refused('annotations/add', {
      target: { type: 'blueprint', id: 3 },
      kind: 'comment',
      value: 'x'
    })
    await refused('annotations/add', {
      target: { type: 'group', id: 99 },
      kind: 'comment',
      value: 'x'
    })
    await refused('annotations/add', {
      target: { type: 'run', id: 1 },
      kind: 'comment',
      value: '  '
    })
    await refused('annotations/add', {
      target: { type: 'run', id: 1 },
      kind: 'comment',
      value: null
    })
    await refused('annotations/add', {
      target: { type: 'step', id: 2 },
      kind: 'comment',
      value: 'x'
    })
    await refused('annotations/list', { target: { type: 'episode', id: 99 } })
  })

  it('searches live annotations by text, label, value, target and experiment', async () => {
    type Page = {
      total: number
      items: {
        value: string
        experimentName: string
        episodeId: number | null
        groupId: number | null
        task: string | null
      }[]
    }
    const all = await call<Page>('annotations/search', {})
    // quality 5 on episode 1, five comments minus the deleted step comment.
    expect(all.total).toBe(5)
    const notes = await call<Page>('annotations/search', { text: 'NOTE ON', kind: 'comment' })
    expect(notes.items.map((i) => i.value).sort()).toEqual([
      'note on blueprint',
      'note on episode',
      'note on group',
      'note on run'
    ])
    const bp = await call<Page>('annotations/search', { targetType: 'blueprint' })
    expect(bp.items[0]).toMatchObject({
      episodeId: 2,
      groupId: 1,
      task: 'push the box',
      experimentName: 'first'
    })
    const q = await call<Page>('annotations/search', { label: 'quality', value: '5' })
    expect(q.items.map((i) => i.episodeId)).toEqual([1])
    expect((await call<Page>('annotations/search', { text: '100%_' })).total).toBe(0)
    expect((await call<Page>('annotations/search', { experimentId: 2 })).total).toBe(0)
    expect((await call<Page>('annotations/search', { limit: 2, offset: 4 })).items).toHaveLength(1)
  })

  it('the review queue lists episodes without a value of a label', async () => {
    type Page = { total: number; items: { id: number }[] }
    const before = await call<Page>('episodes/page', { runId: 1, unlabeled: 'quality' })
    expect(before.items.map((e) => e.id)).toEqual([2, 3, 4, 5, 6])
    await call('annotations/add', {
      target: { type: 'episode', id: 2 },
      kind: 'label',
      label: 'quality',
      value: '1'
    })
    const after = await call<Page>('episodes/page', { runId: 1, unlabeled: 'quality' })
    expect(after.total).toBe(before.total - 1)
    expect(after.items.map((e) => e.id)).not.toContain(2)
  })

  it('a rewind detaches annotations of the iterations it deletes; ids are never reused', async () => {
    const db = openDatabase(file)
    const writer = new StoreWriter(db)
    const run2Episode = (
      db.prepare('SELECT MIN(id) AS id FROM episodes WHERE run_id = 2 AND iteration = 1').get() as {
        id: number
      }
    ).id
    await call('annotations/add', {
      target: { type: 'episode', id: run2Episode },
      kind: 'comment',
      value: 'doomed'
    })
    await call('annotations/add', {
      target: { type: 'run', id: 2 },
      kind: 'comment',
      value: 'survives'
    })
    writer.rewindRun(2, 1)
    expect(db.prepare('SELECT COUNT(*) AS n FROM episodes WHERE id = ?').get(run2Episode)).toEqual({
      n: 0
    })
    // The same episode id comes back for a new episode: the old comment must not attach to it.
    writer.insertRollouts(2, { iteration: 1, groups: [], loose: [episode(0, true, null)] })
    expect((db.prepare('SELECT MAX(id) AS id FROM episodes').get() as { id: number }).id).toBe(
      run2Episode
    )
    db.close()
    expect(await list({ type: 'episode', id: run2Episode })).toEqual([])
    expect((await list({ type: 'run', id: 2 })).map((a) => a.value)).toEqual(['survives'])
    const search = await call<{ items: { value: string }[] }>('annotations/search', { runId: 2 })
    expect(search.items.map((i) => i.value)).toEqual(['survives'])
  })
})
