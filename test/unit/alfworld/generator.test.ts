import { describe, expect, it } from 'vitest'
import {
  ALFWORLD_TASK_TYPES,
  AlfworldGame,
  SEEN_SCENES,
  UNSEEN_SCENES,
  createAlfworldEnv,
  defaultGrammar,
  generateScene,
  generateWorld,
  parseGameFile,
  solveAlfworld,
  worldToGameFile
} from '../../../core/envs/alfworld'
import { createRng } from '../../../core/envs/alfworld/rng'

const TEMPLATES: Record<string, RegExp[]> = {
  pick_and_place_simple: [/^put a \w+ in \w+\.$/, /^put some \w+ on \w+\.$/],
  look_at_obj_in_light: [
    /^look at \w+ under the desklamp\.$/,
    /^examine the \w+ with the desklamp\.$/
  ],
  pick_clean_then_place_in_recep: [
    /^put a clean \w+ in \w+\.$/,
    /^clean some \w+ and put it in \w+\.$/
  ],
  pick_heat_then_place_in_recep: [
    /^put a hot \w+ in \w+\.$/,
    /^heat some \w+ and put it in \w+\.$/
  ],
  pick_cool_then_place_in_recep: [
    /^put a cool \w+ in \w+\.$/,
    /^cool some \w+ and put it in \w+\.$/
  ],
  pick_two_obj_and_place: [/^put two \w+ in \w+\.$/, /^find two \w+ and put them in \w+\.$/]
}

describe('ALFWorld world generator', () => {
  it('is deterministic per (split, seed)', () => {
    expect(generateWorld({ split: 'train', seed: 99 })).toEqual(
      generateWorld({ split: 'train', seed: 99 })
    )
    expect(generateWorld({ split: 'train', seed: 99 })).not.toEqual(
      generateWorld({ split: 'valid_seen', seed: 99 })
    )
  })

  it('keeps the held-out scenes out of train and valid_seen', () => {
    const seen = new Set<number>()
    for (let s = 0; s < 300; s++) {
      const train = generateWorld({ split: 'train', seed: s }).scene as number
      const vs = generateWorld({ split: 'valid_seen', seed: s }).scene as number
      const vu = generateWorld({ split: 'valid_unseen', seed: s }).scene as number
      expect(UNSEEN_SCENES).not.toContain(train)
      expect(UNSEEN_SCENES).not.toContain(vs)
      expect(UNSEEN_SCENES).toContain(vu)
      seen.add(train)
    }
    expect(seen.size).toBeGreaterThan(60)
    expect(SEEN_SCENES).toHaveLength(116)
  })

  it('builds rooms of the four kinds with ALFRED receptacles and per-instance affordances', () => {
    expect(generateScene(5).kind).toBe('kitchen')
    expect(generateScene(205).kind).toBe('livingroom')
    expect(generateScene(305).kind).toBe('bedroom')
    expect(generateScene(405).kind).toBe('bathroom')
    const kitchen = generateScene(5)
    const types = new Set(kitchen.receptacles.map((r) => r.type))
    for (const t of ['Fridge', 'Microwave', 'SinkBasin', 'CounterTop', 'Cabinet'])
      expect(types.has(t)).toBe(true)
    expect(kitchen.receptacles.find((r) => r.type === 'Fridge')?.openable).toBe(true)
    const world = generateWorld({
      split: 'train',
      seed: 4,
      taskTypes: ['pick_heat_then_place_in_recep']
    })
    const apple = world.objects.find((o) => o.type === world.goal.object)
    expect(apple?.heatable).toBe(true)
    expect(world.receptacles.some((r) => r.name === 'sinkbasin 1')).toBe(true)
  })

  // 1,000 per type is the benchmark (report.ts); tests run 100 per type
  for (const type of ALFWORLD_TASK_TYPES) {
    it(`${type}: 100 generated tasks, goal false at start, both templates, expert solves all`, () => {
      const texts = new Set<number>()
      for (let seed = 0; seed < 100; seed++) {
        const world = generateWorld({
          split: seed % 3 === 0 ? 'valid_unseen' : 'train',
          seed,
          taskTypes: [type]
        })
        expect(world.taskType).toBe(type)
        const matched = (TEMPLATES[type] ?? []).findIndex((re) => re.test(world.task))
        expect(matched, world.task).toBeGreaterThanOrEqual(0)
        texts.add(matched)
        const game = new AlfworldGame(world, defaultGrammar('current'))
        expect(game.won()).toBe(false)
        const plan = solveAlfworld(game)
        expect(plan, `${type} seed ${seed}`).not.toBeNull()
        for (const sg of plan ?? [])
          for (const a of sg.actions) expect(game.play(a).valid).toBe(true)
        expect(game.won()).toBe(true)
      }
      expect(texts.size).toBe(2)
    })
  }

  it('random agent rarely wins (measured, 60 episodes)', () => {
    const env = createAlfworldEnv()
    const rng = createRng(7)
    let wins = 0
    for (let ep = 0; ep < 60; ep++) {
      let actions = env.reset(ep).admissibleActions
      for (;;) {
        const s = env.step(rng.pick(actions.filter((a) => a !== 'help')))
        actions = s.admissibleActions
        if (s.done) {
          if (s.info.won) wins++
          break
        }
      }
    }
    expect(wins).toBeLessThan(30)
  })

  for (const grammar of ['current', 'legacy'] as const) {
    it(`writes generated worlds as game.tw-pddl that the real-file loader plays identically (${grammar})`, () => {
      for (let seed = 0; seed < 12; seed++) {
        const world = generateWorld({ split: 'train', seed })
        const g = defaultGrammar(grammar)
        const file = worldToGameFile(world, g)
        const parsed = parseGameFile(JSON.stringify(file), 'generated.tw-pddl')
        expect(parsed.solvable).toBe(true)
        expect(parsed.grammar.version).toBe(grammar)
        expect(parsed.world.goal).toEqual(world.goal)
        expect(parsed.world.receptacles.map((r) => r.name)).toEqual(
          world.receptacles.map((r) => r.name)
        )
        expect(parsed.world.objects.map((o) => o.name)).toEqual(world.objects.map((o) => o.name))
        const a = new AlfworldGame(world, g)
        const b = new AlfworldGame(parsed.world, parsed.grammar)
        expect(b.initialObservation()).toBe(a.initialObservation())
        const plan = solveAlfworld(a) ?? []
        for (const sg of plan) {
          for (const cmd of sg.actions) {
            expect(b.admissible()).toEqual(a.admissible())
            const fa = a.play(cmd)
            const fb = b.play(cmd)
            if (grammar === 'current') expect(fb).toEqual(fa)
            else expect(fb.valid).toBe(fa.valid)
          }
        }
        expect(b.won()).toBe(true)
      }
    })
  }
})
