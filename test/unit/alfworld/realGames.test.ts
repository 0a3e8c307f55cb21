import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  AlfworldGame,
  createAlfworldEnv,
  createAlfworldEnvFromData,
  createAlfworldEnvFromGameFile,
  findAlfworldGameFiles,
  loadAlfworldGameFile,
  loadAlfworldGames,
  parseGameFile,
  solveAlfworld,
  writeGeneratedAlfworldGames
} from '../../../core/envs/alfworld'
import { FIXTURES_DIR, GOLDEN_DIR } from './transcript'

const fixtures = readdirSync(FIXTURES_DIR)
  .filter((d) => d.includes('__trial_'))
  .sort()

describe('real ALFWorld game files', () => {
  it('finds the twelve fixtures, two per task type', () => {
    expect(fixtures).toHaveLength(12)
  })

  for (const dir of fixtures) {
    const file = path.join(FIXTURES_DIR, dir, 'game.tw-pddl')
    const taskType = dir.split('-')[0] as string
    it(`${dir.slice(0, 60)}: initial observation, admissible commands, expert`, () => {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { grammar: string }
      const taskSentence = /Your task is to: ([^"]*)"/.exec(raw.grammar)?.[1] ?? ''
      const { world, grammar } = loadAlfworldGameFile(file)
      expect(grammar.version).toBe('current')
      expect(world.taskType).toBe(taskType)
      const game = new AlfworldGame(world, grammar)
      const obs = game.initialObservation()
      const receptacles = world.receptacles.map((r) => r.name)
      expect(obs).toBe(
        '-= Welcome to TextWorld, ALFRED! =-\n\nYou are in the middle of a room. Looking quickly around you, you see ' +
          receptacles
            .slice(0, -1)
            .map((n) => `a ${n}`)
            .join(', ') +
          `, and a ${receptacles.at(-1)}.\n\nYour task is to: ${taskSentence}`
      )
      // names are numbered per class, highest number first (ids sorted)
      const cabinets = receptacles.filter((n) => n.startsWith('cabinet '))
      expect(cabinets).toEqual(cabinets.map((_, i) => `cabinet ${cabinets.length - i}`))
      // at the start: a go-to per receptacle plus help / inventory / look, in code-unit order
      const expected = [...receptacles.map((n) => `go to ${n}`), 'help', 'inventory', 'look'].sort()
      expect(game.admissible()).toEqual(expected)
      const plan = solveAlfworld(game)
      expect(plan).not.toBeNull()
      for (const sg of plan ?? []) for (const a of sg.actions) expect(game.play(a).valid).toBe(true)
      expect(game.won()).toBe(true)
    })
  }

  it('replays a published Python-ALFWorld episode on a fixture exactly', () => {
    const golden = JSON.parse(
      readFileSync(path.join(GOLDEN_DIR, 'real-cool-bowl-cabinet-18.json'), 'utf8')
    ) as {
      fixture: string
      initialObservation: string
      steps: { action: string; observation: string }[]
    }
    const env = createAlfworldEnvFromGameFile(
      path.join(FIXTURES_DIR, golden.fixture, 'game.tw-pddl')
    )
    const reset = env.reset(0)
    expect(reset.observation).toBe(golden.initialObservation)
    expect(reset.task).toBe('put a cool bowl in cabinet.')
    for (const s of golden.steps) {
      const r = env.step(s.action)
      expect(r.observation, s.action).toBe(s.observation)
      expect(r.info.actionIsValid).toBe(true)
    }
  })

  it('parses goals into the six forms', () => {
    const goals = fixtures.map(
      (d) =>
        parseGameFile(readFileSync(path.join(FIXTURES_DIR, d, 'game.tw-pddl'), 'utf8')).world.goal
    )
    expect(goals).toContainEqual({
      kind: 'look_at_obj_in_light',
      object: 'Book',
      toggle: 'DeskLamp'
    })
    expect(goals).toContainEqual({
      kind: 'pick_heat_then_place_in_recep',
      object: 'Apple',
      receptacle: 'Fridge'
    })
    expect(goals).toContainEqual({
      kind: 'pick_two_obj_and_place',
      object: 'Book',
      receptacle: 'Desk'
    })
    expect(goals).toContainEqual({
      kind: 'pick_clean_then_place_in_recep',
      object: 'Cloth',
      receptacle: 'Cart'
    })
  })

  it('env over a game file: reward 10 on the winning step, per-type labels', () => {
    const dir = fixtures.find((d) => d.startsWith('pick_two_obj_and_place')) as string
    const env = createAlfworldEnvFromGameFile(path.join(FIXTURES_DIR, dir, 'game.tw-pddl'))
    const reset = env.reset(123)
    expect(reset.info.taskType).toBe('pick_two_obj_and_place')
    expect(reset.info.taskLabel).toBe('Pick2')
    const actions = (env.expert?.() ?? []).flatMap((s) => s.actions)
    let last = null
    for (const a of actions) last = env.step(a)
    expect(last?.reward).toBe(10)
    expect(last?.done).toBe(true)
    expect(last?.info.won).toBe(true)
  })

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'alfworld-data-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('writes generated tasks as a data tree that the loader plays like the generator', () => {
    const out = path.join(tmp, 'generated')
    const files = writeGeneratedAlfworldGames(out, 'valid_unseen', [0, 1, 2, 3, 4, 5])
    expect(files.every((f) => f.endsWith('game.tw-pddl') && f.includes('valid_unseen'))).toBe(true)
    const games = loadAlfworldGames(out, 'valid_unseen')
    expect(games).toHaveLength(6)
    const env = createAlfworldEnvFromData({ source: 'files', dataDir: out, split: 'valid_unseen' })
    const original = createAlfworldEnv({ split: 'valid_unseen' })
    const bySource = new Map(games.map((g, i) => [g.world.source, i]))
    files.forEach((file, seed) => {
      const index = bySource.get(file) as number
      const a = env.reset(index)
      const b = original.reset(seed)
      expect(a.observation).toBe(b.observation)
      expect(a.admissibleActions).toEqual(b.admissibleActions)
      let last = null
      for (const act of (env.expert?.() ?? []).flatMap((sg) => sg.actions)) last = env.step(act)
      expect(last?.reward).toBe(10)
    })
  })

  it('loads a json_2.1.x data folder with ALFWorld filters; reset seed picks a game (seed mod count)', () => {
    const split = path.join(tmp, 'json_2.1.1', 'valid_seen')
    for (const dir of fixtures) {
      const [task, trial] = dir.split('__') as [string, string]
      mkdirSync(path.join(split, task, trial), { recursive: true })
      cpSync(
        path.join(FIXTURES_DIR, dir, 'game.tw-pddl'),
        path.join(split, task, trial, 'game.tw-pddl')
      )
    }
    // filtered: movable / Sliced paths, a missing solvable key, a folder without a game file
    const extra = (name: string, body?: string): void => {
      mkdirSync(path.join(split, name, 'trial_X'), { recursive: true })
      if (body !== undefined) writeFileSync(path.join(split, name, 'trial_X', 'game.tw-pddl'), body)
    }
    const sample = readFileSync(
      path.join(FIXTURES_DIR, fixtures[0] as string, 'game.tw-pddl'),
      'utf8'
    )
    extra('pick_and_place_with_movable_recep-Apple-Bowl-Fridge-1', sample)
    extra('pick_heat_then_place_in_recep-AppleSliced-None-Fridge-1', sample)
    const noSolvable = JSON.parse(sample) as Record<string, unknown>
    delete noSolvable.solvable
    extra('pick_and_place_simple-Zzz-None-Desk-1', JSON.stringify(noSolvable))
    extra('pick_and_place_simple-Yyy-None-Desk-1')
    expect(findAlfworldGameFiles(tmp, 'valid_seen')).toHaveLength(13)
    const games = loadAlfworldGames(tmp, 'valid_seen')
    expect(games).toHaveLength(12)
    expect(existsSync(path.join(split, 'pick_and_place_simple-Zzz-None-Desk-1'))).toBe(true)

    const env = createAlfworldEnvFromData({ source: 'files', dataDir: tmp, split: 'valid_seen' })
    const a = env.reset(5)
    const b = env.reset(5 + 12)
    expect(b.observation).toBe(a.observation)
    expect(a.info.gamefile).toBe(games[5]?.world.source)
    const looks = createAlfworldEnvFromData({
      source: 'files',
      dataDir: tmp,
      split: 'valid_seen',
      taskTypes: ['look_at_obj_in_light']
    })
    for (let s = 0; s < 4; s++) expect(looks.reset(s).info.taskType).toBe('look_at_obj_in_light')
  })
})
