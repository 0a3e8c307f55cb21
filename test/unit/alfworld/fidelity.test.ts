// Texts and expert behaviour checked against the original ALFWorld (issue 12, items 1–3).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  AlfworldGame,
  createAlfworldEnv,
  defaultGrammar,
  generateWorld,
  loadAlfworldGameFile,
  parseGameFile,
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
    .replace('template :: "move {o} to {r}"', 'template :: "put {o} in/on {r}"')
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
  it('numbers a real game file as the original (values from its Demangler, by hand)', () => {
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
