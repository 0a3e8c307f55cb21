// Texts and expert behaviour checked against the original ALFWorld (issue 12, items 1–3).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ALFWORLD_TASK_TYPES,
  AlfworldGame,
  createAlfworldEnv,
  defaultGrammar,
  generateWorld,
  loadAlfworldGameFile,
  parseGameFile,
  solveAlfworld,
  worldToGameFile,
  type World
} from '../../../core/envs/alfworld'
import { FIXTURES_DIR } from './transcript'

const COOL_BOWL =
  'pick_cool_then_place_in_recep-Bowl-None-Cabinet-18__trial_T20190908_144624_086654'
const fixtures = readdirSync(FIXTURES_DIR)
  .filter((d) => d.includes('__trial_'))
  .sort()
const fixtureText = (dir: string): string =>
  readFileSync(path.join(FIXTURES_DIR, dir, 'game.tw-pddl'), 'utf8')

/** A real game file rewritten to the legacy (≤ v0.3) grammar, as scripts/patch_tw-pddl.py undoes. */
function legacyText(dir: string): string {
  return fixtureText(dir)
    .replace('template :: \\"move {o} to {r}\\"', 'template :: \\"put {o} in/on {r}\\"')
    .replace('You move the {o.name} to the {r.name}.', 'You put the {o.name} in/on the {r.name}.')
    .replace('You arrive at {r.name}. ', 'You arrive at {lend.name}. ')
}

/** ALFWorld's Demangler on location ids: sorted, the first gets the highest number. */
function expectedLocNames(world: World): Map<number, string> {
  const sorted = [...world.locations].sort()
  return new Map(world.locations.map((id, i) => [i, `loc ${sorted.length - sorted.indexOf(id)}`]))
}

/** Goes to every receptacle (skipping those at the agent's spot) and collects the arrival text. */
function arrivals(game: AlfworldGame): Map<string, string> {
  const out = new Map<string, string>()
  game.world.receptacles.forEach((r, i) => {
    const res = game.play(game.command('goto', i))
    if (!res.valid) return
    out.set(r.name, /^You arrive at (loc \d+)\. /.exec(res.feedback)?.[1] ?? res.feedback)
  })
  return out
}

const MIDDLE_LOOK = 'You are in the middle of a room. Looking quickly around you, you see nothing.'

describe('ALFWorld legacy grammar: "You arrive at loc N."', () => {
  it('numbers a real game file as the original (values from the Demangler algorithm run in Python)', () => {
    const { world, grammar } = parseGameFile(legacyText(COOL_BOWL))
    expect(grammar.version).toBe('legacy')
    const got = arrivals(new AlfworldGame(world, grammar))
    // 39 location ids: the first in sorted order is loc 39, the last loc 1
    expect(got.get('cabinet 1')).toBe('loc 19')
    expect(got.get('cabinet 16')).toBe('loc 6')
    expect(got.get('cabinet 15')).toBe('loc 39')
    expect(got.get('drawer 5')).toBe('loc 3')
    expect(got.get('fridge 1')).toBe('loc 9')
    expect(got.get('microwave 1')).toBe('loc 30')
    expect(got.get('sinkbasin 1')).toBe('loc 12')
    expect(got.get('countertop 1')).toBe('loc 18')
  })

  it('every loaded legacy fixture and generated legacy world follows the rule', () => {
    const worlds: World[] = fixtures.map((d) => parseGameFile(legacyText(d)).world)
    for (const split of ['train', 'valid_unseen'] as const)
      for (let seed = 0; seed < 12; seed++) worlds.push(generateWorld({ split, seed }))
    for (const world of worlds) {
      const names = expectedLocNames(world)
      const got = arrivals(new AlfworldGame(world, defaultGrammar('legacy')))
      expect(got.size).toBeGreaterThan(0)
      world.receptacles.forEach((r) => {
        if (got.has(r.name)) expect(got.get(r.name), r.name).toBe(names.get(r.loc))
      })
    }
  })

  it('a generated legacy world written as a game file prints the same arrivals', () => {
    for (let seed = 0; seed < 6; seed++) {
      const world = generateWorld({ split: 'valid_seen', seed })
      const legacy = defaultGrammar('legacy')
      const loaded = parseGameFile(worldToGameFile(world, legacy))
      expect(loaded.grammar.version).toBe('legacy')
      const a = arrivals(new AlfworldGame(world, legacy))
      const b = arrivals(new AlfworldGame(loaded.world, loaded.grammar))
      expect(b).toEqual(a)
    }
  })
})

describe('ALFWorld look before the first move', () => {
  it('sees nothing in both grammars; the intro alone lists the receptacles', () => {
    for (const version of ['current', 'legacy'] as const) {
      const world = generateWorld({ split: 'train', seed: 5 })
      const game = new AlfworldGame(world, defaultGrammar(version))
      expect(game.initialObservation()).toContain(`you see a ${world.receptacles[0]?.name}, `)
      expect(game.play('look')).toEqual({ feedback: MIDDLE_LOOK, valid: true })
      game.play(game.command('goto', 0))
      expect(game.play('look').feedback).toMatch(/^You are facing the /)
    }
    const { world, grammar } = loadAlfworldGameFile(
      path.join(FIXTURES_DIR, COOL_BOWL, 'game.tw-pddl')
    )
    const env = createAlfworldEnv({ source: 'files' }, [{ world, grammar }])
    env.reset(0)
    expect(env.step('look').observation).toBe(MIDDLE_LOOK)
  })
})

/** Plays a plan and returns the index of the first winning action (-1: never won). */
function firstWin(game: AlfworldGame, actions: readonly string[]): number {
  for (let i = 0; i < actions.length; i++) {
    expect(game.play(actions[i] as string).valid, actions[i]).toBe(true)
    if (game.won()) return i
  }
  return -1
}

describe('ALFWorld expert stops at the win', () => {
  it('on every bundled real game the last planned action is the winning one', () => {
    for (const dir of fixtures) {
      const { world, grammar } = parseGameFile(fixtureText(dir))
      const game = new AlfworldGame(world, grammar)
      const actions = (solveAlfworld(game) ?? []).flatMap((s) => s.actions)
      expect(firstWin(game, actions), dir).toBe(actions.length - 1)
    }
  })

  // Real games record some objects in two receptacles: here mug 2 is in coffeemachine 1 and in
  // countertop 2. With the goal "clean a mug, put it in a <receptacle>" where one of the two is of
  // that type, taking the mug from the other leaves it "in" the goal one, so cleaning wins.
  // CounterTop: the plan used to clean (winning) and then still go and put the mug down;
  // CoffeeMachine: it used to take the mug from the coffeemachine and carry it back.
  it.each(['CounterTop', 'CoffeeMachine'])(
    'on an object recorded in two receptacles (goal: %s), the clean step wins and ends the plan',
    (receptacle) => {
      const dir = 'pick_clean_then_place_in_recep-Bowl-None-Shelf-7__trial_T20190908_152949_169018'
      const parsed = parseGameFile(fixtureText(dir)).world
      const mug = parsed.objects.find((o) => o.name === 'mug 2')
      expect(mug?.inReceptacles.map((r) => parsed.receptacles[r]?.name)).toEqual([
        'coffeemachine 1',
        'countertop 2'
      ])
      const world: World = {
        ...parsed,
        goal: { kind: 'pick_clean_then_place_in_recep', object: 'Mug', receptacle }
      }
      const game = new AlfworldGame(world, defaultGrammar('current'))
      expect(game.won()).toBe(false)
      const actions = (solveAlfworld(game) ?? []).flatMap((s) => s.actions)
      expect(actions.at(-1)).toBe('clean mug 2 with sinkbasin 1')
      expect(firstWin(game, actions)).toBe(actions.length - 1)
    }
  )

  it('on generated games of every type and split the last planned action wins', () => {
    for (const split of ['train', 'valid_seen', 'valid_unseen'] as const) {
      for (const taskType of ALFWORLD_TASK_TYPES) {
        for (let seed = 0; seed < 25; seed++) {
          const world = generateWorld({ split, seed, taskTypes: [taskType] })
          const game = new AlfworldGame(world, defaultGrammar('current'))
          const actions = (solveAlfworld(game) ?? []).flatMap((s) => s.actions)
          expect(firstWin(game, actions), `${split} ${taskType} ${seed}`).toBe(actions.length - 1)
        }
      }
    }
  })
})

/** Every state-changing command sequence, breadth first: the length of the shortest winning one. */
function shortestWin(start: AlfworldGame, maxDepth: number): number {
  const key = (g: AlfworldGame): string =>
    [g.agentLoc, g.held, g.opened.join(''), g.objIn.join(';'), g.isHot.join(''), g.isCool.join('')]
      .concat([g.isClean.join(''), g.isToggled.join('')])
      .join('|')
  // look, inventory, help and examine change nothing; closing never enables a command
  const inert = /^(look|inventory|help|examine |close )/
  let frontier = [start.clone()]
  const seen = new Set([key(start)])
  for (let depth = 1; depth <= maxDepth; depth++) {
    const next: AlfworldGame[] = []
    for (const g of frontier) {
      for (const c of g.admissible()) {
        if (inert.test(c)) continue
        const h = g.clone()
        h.play(c)
        if (h.won()) return depth
        const k = key(h)
        if (!seen.has(k)) {
          seen.add(k)
          next.push(h)
        }
      }
    }
    frontier = next
  }
  return Infinity
}

describe('ALFWorld expert plan length', () => {
  // The real games whose search space is small enough for a unit test (the others take minutes).
  it.each([
    'look_at_obj_in_light-Book-None-DeskLamp-302__trial_T20190909_085137_911990',
    'look_at_obj_in_light-Book-None-DeskLamp-317__trial_T20190909_201225_052100',
    'pick_and_place_simple-AlarmClock-None-Desk-307__trial_T20190907_072317_014092',
    'pick_clean_then_place_in_recep-Cloth-None-Cart-401__trial_T20190907_045451_101032'
  ])('equals the breadth-first optimum on %s', (dir) => {
    const { world, grammar } = parseGameFile(fixtureText(dir))
    const game = new AlfworldGame(world, grammar)
    const plan = (solveAlfworld(game) ?? []).flatMap((s) => s.actions)
    expect(plan.length).toBeGreaterThan(0)
    expect(shortestWin(game, plan.length)).toBe(plan.length)
  })
})
