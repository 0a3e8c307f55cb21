import { describe, expect, it } from 'vitest'
import {
  AlfworldGame,
  alfworldMetricKey,
  alfworldOptionsSchema,
  createAlfworldEnv,
  defaultGrammar,
  generateWorld
} from '../../../core/envs/alfworld'
import { displayList } from '../../../core/envs/alfworld/text'

describe('ALFWorld env wrapper', () => {
  it('has verl-agent defaults', () => {
    const o = alfworldOptionsSchema.parse({})
    expect(o).toMatchObject({
      split: 'train',
      grammar: 'current',
      maxSteps: 50,
      taskTypes: [],
      source: 'generated'
    })
    expect(() => alfworldOptionsSchema.parse({ split: 'test' })).toThrow()
    expect(createAlfworldEnv().kind).toBe('alfworld')
    expect(createAlfworldEnv().maxSteps).toBe(50)
  })

  it('reset is deterministic and the task is the text after "Your task is to: "', () => {
    const a = createAlfworldEnv().reset(42)
    const b = createAlfworldEnv().reset(42)
    expect(b).toEqual(a)
    expect(a.observation.endsWith(`Your task is to: ${a.task}`)).toBe(true)
    expect(a.task.endsWith('.')).toBe(true)
    expect(createAlfworldEnv().reset(43).observation).not.toBe(a.observation)
  })

  it('counts every step, invalid ones too, and forces done at maxSteps', () => {
    const env = createAlfworldEnv({ maxSteps: 5 })
    env.reset(1)
    const r1 = env.step('dance')
    expect(r1).toMatchObject({ observation: 'Nothing happens.', reward: 0, done: false })
    expect(r1.info.actionIsValid).toBe(false)
    expect(env.step('  look  ').info.actionIsValid).toBe(true)
    env.step('LOOK')
    env.step('')
    const r5 = env.step('inventory')
    expect(r5.done).toBe(true)
    expect(r5.info.won).toBe(false)
    expect(r5.view).toMatchObject({ kind: 'alfworld', step: 5 })
    const after = env.step('look')
    expect(after.done).toBe(true)
    expect(after.reward).toBe(0)
  })

  it('rewards 10 on the winning step and labels the task type', () => {
    const env = createAlfworldEnv({ taskTypes: ['pick_cool_then_place_in_recep'] })
    const reset = env.reset(7)
    expect(reset.info).toMatchObject({
      taskType: 'pick_cool_then_place_in_recep',
      taskLabel: 'Cool',
      won: false
    })
    const plan = env.expert?.() ?? []
    const verbs = plan.map((s) => s.subgoal.split(' ')[0])
    expect(verbs).toContain('cool')
    expect(verbs.at(-1)).toBe('put')
    for (const v of verbs) expect(['find', 'take', 'go', 'cool', 'put']).toContain(v)
    const actions = plan.flatMap((s) => s.actions)
    const rewards = actions.map((a) => env.step(a).reward)
    expect(rewards.at(-1)).toBe(10)
    expect(rewards.slice(0, -1).every((r) => r === 0)).toBe(true)
    expect(alfworldMetricKey('pick_and_place_simple')).toBe('pick_and_place')
  })

  it('the expert solves from the middle of an episode, holding the wrong object', () => {
    const env = createAlfworldEnv({ taskTypes: ['pick_heat_then_place_in_recep'] })
    env.reset(3)
    const game = env.game as AlfworldGame
    // take some object that is not the goal object
    const o = game.world.objects.findIndex(
      (x, i) =>
        x.pickupable && x.type !== game.world.goal.object && (game.objIn[i]?.length ?? 0) > 0
    )
    const from = game.objIn[o]?.[0] as number
    env.step(game.command('goto', from))
    if (game.isOpenable(from)) env.step(game.command('open', from))
    expect(env.step(game.command('take', o, from)).info.actionIsValid).toBe(true)
    expect(game.held).toBe(o)
    const plan = env.expert?.() ?? []
    expect(plan[0]?.subgoal.startsWith('put ')).toBe(true)
    let last = null
    for (const a of plan.flatMap((s) => s.actions)) last = env.step(a)
    expect(last?.info.won).toBe(true)
  })

  it('view carries location and inventory', () => {
    const env = createAlfworldEnv({ taskTypes: ['pick_and_place_simple'] })
    const r = env.reset(9)
    expect(r.view).toMatchObject({
      kind: 'alfworld',
      location: 'middle of the room',
      inventory: []
    })
    const plan = env.expert?.() ?? []
    const [goto, take] = plan.flatMap((s) => s.actions)
    const s1 = env.step(goto as string)
    expect(s1.view.kind === 'alfworld' && s1.view.location).toBe(
      (goto as string).slice('go to '.length)
    )
    const s2 = env.step(take as string)
    expect(s2.view.kind === 'alfworld' && s2.view.inventory).toEqual([
      (take as string).split(' from ')[0]?.slice('take '.length)
    ])
  })
})

describe('ALFWorld text and rules', () => {
  it('renders lists as TextWorld does', () => {
    expect(displayList([])).toBe('nothing')
    expect(displayList(['a apple 1'])).toBe('a apple 1')
    expect(displayList(['a apple 1', 'a egg 2'])).toBe('a apple 1, and a egg 2')
    expect(displayList(['a a 1', 'a b 1', 'a c 1'])).toBe('a a 1, a b 1, and a c 1')
  })

  it('sorts admissible commands by code unit and follows the rules', () => {
    const world = generateWorld({
      split: 'train',
      seed: 5,
      taskTypes: ['pick_clean_then_place_in_recep']
    })
    const game = new AlfworldGame(world, defaultGrammar('current'))
    const adm = game.admissible()
    expect([...adm].sort()).toEqual(adm)
    expect(
      adm.includes('go to cabinet 10')
        ? adm.indexOf('go to cabinet 10') < adm.indexOf('go to cabinet 2')
        : true
    ).toBe(true)
    // receptacles at the agent's own location get no go-to
    const r = world.receptacles.findIndex((x) => x.openable)
    game.play(`go to ${world.receptacles[r]?.name}`)
    const here = game.receptaclesAt(game.agentLoc).map((i) => world.receptacles[i]?.name)
    for (const name of here) expect(game.admissible()).not.toContain(`go to ${name}`)
    expect(game.play(`go to ${here[0]}`)).toEqual({ feedback: 'Nothing happens.', valid: false })
    // closed: no take; open it, then close
    const name = world.receptacles[r]?.name as string
    expect(game.admissible()).toContain(`open ${name}`)
    expect(
      game
        .play(`open ${name}`)
        .feedback.startsWith(`You open the ${name}. The ${name} is open. In it, you see `)
    ).toBe(true)
    expect(game.play(`close ${name}`).feedback).toBe(`You close the ${name}.`)
    expect(game.play(`close ${name}`).valid).toBe(false)
    expect(game.play('inventory').feedback).toBe('You are not carrying anything.')
  })

  it('one object in hand; heat/cool flip each other; examine texts', () => {
    const world = generateWorld({
      split: 'train',
      seed: 21,
      taskTypes: ['pick_heat_then_place_in_recep']
    })
    const game = new AlfworldGame(world, defaultGrammar('current'))
    const o = game.world.objects.findIndex((x) => x.type === world.goal.object)
    const from = game.objIn[o]?.[0] as number
    const oName = game.objName(o)
    game.play(game.command('goto', from))
    if (game.isOpenable(from)) game.play(game.command('open', from))
    expect(game.play(game.command('take', o, from)).feedback).toBe(
      `You pick up the ${oName} from the ${game.recName(from)}.`
    )
    expect(game.play('inventory').feedback).toBe(`You are carrying: a ${oName}.`)
    expect(game.admissible().some((a) => a.startsWith('take '))).toBe(false)
    const micro = world.receptacles.findIndex((x) => x.type === 'Microwave')
    const fridge = world.receptacles.findIndex((x) => x.type === 'Fridge')
    expect(game.play(game.command('heat', o, micro)).valid).toBe(false)
    game.play(game.command('goto', micro))
    expect(game.play(game.command('heat', o, micro)).feedback).toBe(
      `You heat the ${oName} using the ${game.recName(micro)}.`
    )
    expect(game.play(`examine ${oName}`).feedback).toMatch(/^This is a (hot|normal) /)
    game.play(game.command('goto', fridge))
    game.play(game.command('cool', o, fridge))
    expect(game.isHot[o]).toBe(0)
    expect(game.isCool[o]).toBe(1)
    if (!world.objects[o]?.receptacleObject)
      expect(game.play(`examine ${oName}`).feedback).toBe(`This is a cold ${oName}.`)
  })

  it('legacy grammar: put … in/on …, loc feedback, no help', () => {
    const world = generateWorld({ split: 'train', seed: 2, taskTypes: ['pick_and_place_simple'] })
    const legacy = new AlfworldGame(world, defaultGrammar('legacy'))
    expect(legacy.admissible()).not.toContain('help')
    expect(legacy.play('help').valid).toBe(false)
    const o = world.objects.findIndex((x) => x.type === world.goal.object)
    const from = legacy.objIn[o]?.[0] as number
    expect(legacy.play(legacy.command('goto', from)).feedback).toMatch(/^You arrive at loc \d+\. /)
    if (legacy.isOpenable(from)) legacy.play(legacy.command('open', from))
    legacy.play(legacy.command('take', o, from))
    const put = legacy.admissible().find((a) => a.startsWith('put '))
    expect(put).toMatch(/^put .+ in\/on .+$/)
    expect(legacy.play(put as string).feedback).toMatch(/^You put the .+ in\/on the .+\.$/)
    expect(
      legacy.play(legacy.command('put', o, from).replace('put', 'move').replace('in/on', 'to'))
        .valid
    ).toBe(false)
  })
})
