import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  ALFWORLD_PRIOR,
  buildAlfworldPrior,
  createAlfworldDemonstrator,
  locationProbability,
  openableProbability,
  parseTask,
  runDemonstrator,
  runOracle,
  serializeAlfworldPrior
} from '../../../core/agent/demonstrators'
import { parseRoom, typeOf } from '../../../core/agent/demonstrators/alfworld/parse'
import {
  ALFWORLD_TASK_TYPES,
  createAlfworldEnv,
  defaultGrammar,
  generateWorld,
  type World
} from '../../../core/envs/alfworld'
import { createRng } from '../../../core/rng'
import { play } from './helpers'

const PRIOR_FILE = fileURLToPath(
  new URL('../../../core/agent/demonstrators/alfworld/prior.json', import.meta.url)
)

describe('ALFWorld location prior', () => {
  it('prior.json is what the train split gives (regenerate with alfworld/make-prior.ts)', () => {
    expect(serializeAlfworldPrior(buildAlfworldPrior())).toBe(readFileSync(PRIOR_FILE, 'utf8'))
  })

  it('is a smoothed distribution over receptacle types', () => {
    const types = Object.keys(ALFWORLD_PRIOR.receptacles)
    for (const object of ['apple', 'pillow', 'no-such-object']) {
      const total = types.reduce((s, t) => s + locationProbability(ALFWORLD_PRIOR, object, t), 0)
      expect(total).toBeCloseTo(1, 9)
      for (const t of types)
        expect(locationProbability(ALFWORLD_PRIOR, object, t)).toBeGreaterThan(0)
    }
    // generated pillows lie only on seats, never in a fridge
    expect(locationProbability(ALFWORLD_PRIOR, 'pillow', 'sofa')).toBeGreaterThan(
      100 * locationProbability(ALFWORLD_PRIOR, 'pillow', 'fridge')
    )
    expect(openableProbability(ALFWORLD_PRIOR, 'fridge')).toBeGreaterThan(0.99)
    expect(openableProbability(ALFWORLD_PRIOR, 'countertop')).toBeLessThan(0.01)
  })
})

describe('searching ALFWorld demonstrator', () => {
  for (const split of ['valid_seen', 'valid_unseen'] as const) {
    it(`${split}: admissible actions only, succeeds on ≥ 90 % of 100 tasks, longer than the oracle`, () => {
      const env = createAlfworldEnv({ split })
      const demo = createAlfworldDemonstrator()
      let wins = 0
      let steps = 0
      let oracleSteps = 0
      for (let seed = 0; seed < 100; seed++) {
        const p = play(env, demo, seed)
        expect(p.inadmissible).toEqual([])
        expect(demo.fallbacks).toBe(0)
        wins += p.won ? 1 : 0
        steps += p.actions.length
        oracleSteps += runOracle(env, seed).length
      }
      expect(wins).toBeGreaterThanOrEqual(90)
      expect(steps / 100).toBeGreaterThan(oracleSteps / 100 + 3)
    })
  }

  it('solves each of the six task types (≥ 85 % of 30 tasks each)', () => {
    for (const taskType of ALFWORLD_TASK_TYPES) {
      const env = createAlfworldEnv({ split: 'valid_seen', taskTypes: [taskType] })
      let wins = 0
      for (let seed = 0; seed < 30; seed++) {
        wins += runDemonstrator(env, createAlfworldDemonstrator(), seed).success ? 1 : 0
      }
      expect(wins, taskType).toBeGreaterThanOrEqual(26)
    }
  })

  it('names subgoals like the oracle and does the same take / clean / heat / cool / put / use steps', () => {
    const env = createAlfworldEnv({ split: 'valid_seen' })
    const phrase =
      /^(find \S+|take \S+ \d+|go to \S+ \d+|(clean|heat|cool) \S+ \d+|put \S+ \d+ in \S+ \d+|use \S+ \d+)$/
    const doings = (subgoals: string[]): string[] =>
      subgoals.map((s) => s.split(' ')[0] as string).filter((v) => v !== 'find' && v !== 'go')
    for (let seed = 0; seed < 40; seed++) {
      const ep = runDemonstrator(env, createAlfworldDemonstrator(), seed)
      const oracle = runOracle(env, seed)
      for (const s of ep.subgoals) expect(s.subgoal).toMatch(phrase)
      expect(ep.success).toBe(true)
      expect(doings(ep.subgoals.map((s) => s.subgoal))).toEqual(
        doings(oracle.subgoals.map((s) => s.subgoal))
      )
      // subDone closes each subgoal exactly once, on its last step
      const steps = ep.steps.slice(0, -1)
      expect(steps.filter((s) => s.subDone).length).toBe(ep.subgoals.length)
    }
  })

  it('is deterministic for a seed', () => {
    const env = createAlfworldEnv({ split: 'valid_unseen' })
    for (const seed of [3, 17, 29]) {
      expect(play(env, createAlfworldDemonstrator(), seed)).toEqual(
        play(env, createAlfworldDemonstrator(), seed)
      )
    }
  })

  it('acts on the text alone: blanking the view and info changes nothing', () => {
    const env = createAlfworldEnv({ split: 'valid_seen' })
    for (let seed = 0; seed < 30; seed++) {
      const seen = play(env, createAlfworldDemonstrator(), seed)
      expect(play(env, createAlfworldDemonstrator(), seed, true)).toEqual(seen)
    }
  })

  it('does the same when objects it never saw are placed elsewhere', () => {
    const rng = createRng(7)
    let changed = 0
    for (let seed = 0; seed < 30; seed++) {
      const world = generateWorld({ split: 'valid_seen', seed })
      const asGame = (w: World) =>
        createAlfworldEnv({}, [{ world: w, grammar: defaultGrammar('current') }])
      const seen = play(asGame(world), createAlfworldDemonstrator(), 0)
      const visited = new Set(
        seen.actions
          .filter((a) => a.startsWith('go to '))
          .map((a) => world.receptacles.find((r) => r.name === a.slice(6))?.loc)
      )
      const hidden = world.receptacles
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => !visited.has(r.loc))
      const goal = world.goal
      const objects = world.objects.map((o) => {
        const from = world.receptacles[o.inReceptacles[0] ?? -1]
        if (!from || visited.has(from.loc) || o.toggleable) return o
        const to = hidden.filter(
          ({ r }) =>
            world.canContain.includes(`${r.type}/${o.type}`) &&
            !('receptacle' in goal && o.type === goal.object && r.type === goal.receptacle)
        )
        if (to.length === 0) return o
        const pick = rng.pick(to)
        if (pick.i !== o.inReceptacles[0]) changed++
        return { ...o, inReceptacles: [pick.i], locations: [pick.r.loc] }
      })
      const moved = play(asGame({ ...world, objects }), createAlfworldDemonstrator(), 0)
      expect(moved).toEqual(seen)
    }
    expect(changed).toBeGreaterThan(30)
  })

  it('searches in the order of the prior (per instance, by expected steps)', () => {
    const env = createAlfworldEnv({ split: 'valid_seen' })
    let checked = 0
    for (let seed = 0; seed < 40; seed++) {
      const reset = env.reset(seed)
      const task = parseTask(reset.task)
      if (!task) throw new Error(`unparsed task ${reset.task}`)
      const room = parseRoom(reset.observation)
      const score = (r: string): number => {
        const type = typeOf(r)
        let p = locationProbability(ALFWORLD_PRIOR, task.object, type)
        if (task.kind === 'pick_and_place_simple' && type === task.receptacle) p *= 1e-6
        const n = room.filter((x) => typeOf(x) === type).length
        return p / n / (1 + openableProbability(ALFWORLD_PRIOR, type))
      }
      const best = Math.max(...room.map(score))
      const first = runDemonstrator(env, createAlfworldDemonstrator(), seed).steps[0]?.action ?? ''
      const firstBest = room
        .filter((r) => score(r) === best)
        .sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]))[0]
      expect(first).toBe(`go to ${firstBest}`)
      checked++
    }
    expect(checked).toBe(40)
  })

  it("'type' order visits the most likely receptacle type first, lowest number first", () => {
    const env = createAlfworldEnv({
      split: 'valid_unseen',
      taskTypes: ['pick_heat_then_place_in_recep']
    })
    for (let seed = 0; seed < 20; seed++) {
      const reset = env.reset(seed)
      const task = parseTask(reset.task)
      const room = parseRoom(reset.observation)
      const counts = ALFWORLD_PRIOR.located[task?.object ?? ''] ?? {}
      const types = [...new Set(room.map(typeOf))]
      const top = types.reduce((a, b) => ((counts[b] ?? 0) > (counts[a] ?? 0) ? b : a))
      const lowest = room
        .filter((r) => typeOf(r) === top)
        .map((r) => Number(r.split(' ')[1]))
        .sort((a, b) => a - b)[0]
      const ep = runDemonstrator(env, createAlfworldDemonstrator({ order: 'type' }), seed)
      expect(ep.steps[0]?.action).toBe(`go to ${top} ${lowest}`)
    }
  })
})
