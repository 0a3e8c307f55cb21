// Oracle expert: searches the plan choices (which object instance, which receptacle to take it
// from, which appliance, which target receptacle, which lamp) on copies of the true state, plays
// each candidate through the engine up to its first winning command and keeps the shortest one.
// Shortest among these candidates, not a proven optimum. Output: subgoals (find / take / go to /
// clean / heat / cool / use / put) with the commands of each.
import type { ExpertSubgoal } from '../env'
import type { AlfworldGame } from './engine'

const APPLIANCE = { clean: 'SinkBasin', heat: 'Microwave', cool: 'Fridge' } as const
type Transform = keyof typeof APPLIANCE

class Plan {
  readonly g: AlfworldGame
  readonly subgoals: ExpertSubgoal[] = []
  ok = true
  /** Set by the first winning command; later commands are not played or listed. */
  won = false
  steps = 0

  constructor(game: AlfworldGame) {
    this.g = game.clone()
  }

  begin(subgoal: string): void {
    this.subgoals.push({ subgoal, actions: [] })
  }

  run(command: string): void {
    if (!this.ok || this.won) return
    const r = this.g.play(command)
    if (!r.valid) {
      this.ok = false
      return
    }
    this.steps++
    this.subgoals[this.subgoals.length - 1]?.actions.push(command)
    // an object recorded in two receptacles can satisfy the goal before the plan's last step
    this.won = this.g.won()
  }

  goTo(r: number): void {
    if (this.g.agentLoc !== this.g.locationOf(r)) this.run(this.g.command('goto', r))
  }

  openIfNeeded(r: number): void {
    if (this.g.isOpenable(r) && !this.g.opened[r]) this.run(this.g.command('open', r))
  }

  /** Puts the held object down where it fits, preferring receptacles at hand. */
  stash(): void {
    const g = this.g
    const o = g.held
    if (o < 0) return
    const R = g.world.receptacles.length
    let best = -1
    let bestCost = Infinity
    for (let r = 0; r < R; r++) {
      if (!g.canContainPair(r, o)) continue
      const cost = (g.agentLoc === g.locationOf(r) ? 0 : 1) + (g.accessible(r) ? 0 : 1)
      if (cost < bestCost) {
        best = r
        bestCost = cost
      }
    }
    if (best < 0) {
      this.ok = false
      return
    }
    this.begin(`put ${g.objName(o)} in ${g.recName(best)}`)
    this.goTo(best)
    this.openIfNeeded(best)
    this.run(g.command('put', o, best))
  }

  /** Takes o from receptacle `from` (ignored when o is already held). */
  fetch(o: number, from: number): void {
    const g = this.g
    if (g.held === o) return
    if (g.held >= 0) this.stash()
    if (!g.objIn[o]?.includes(from)) {
      this.ok = false
      return
    }
    const type = g.world.objects[o]?.type.toLowerCase() ?? ''
    if (g.agentLoc !== g.locationOf(from) || !g.accessible(from)) {
      this.begin(`find ${type}`)
      this.goTo(from)
      this.openIfNeeded(from)
    }
    this.begin(`take ${g.objName(o)}`)
    this.run(g.command('take', o, from))
  }

  transform(o: number, kind: Transform, appliance: number): void {
    const g = this.g
    if (g.agentLoc !== g.locationOf(appliance)) {
      this.begin(`go to ${g.recName(appliance)}`)
      this.goTo(appliance)
    }
    this.begin(`${kind} ${g.objName(o)}`)
    this.run(g.command(kind, o, appliance))
  }

  place(o: number, r: number): void {
    const g = this.g
    if (g.agentLoc !== g.locationOf(r) || !g.accessible(r)) {
      this.begin(`go to ${g.recName(r)}`)
      this.goTo(r)
      this.openIfNeeded(r)
    }
    this.begin(`put ${g.objName(o)} in ${g.recName(r)}`)
    this.run(g.command('put', o, r))
  }
}

function transformOf(kind: string): Transform | null {
  if (kind === 'pick_clean_then_place_in_recep') return 'clean'
  if (kind === 'pick_heat_then_place_in_recep') return 'heat'
  if (kind === 'pick_cool_then_place_in_recep') return 'cool'
  return null
}

function done(o: number, kind: Transform, g: AlfworldGame): boolean {
  if (kind === 'clean') return g.isClean[o] === 1
  if (kind === 'heat') return g.isHot[o] === 1
  return g.isCool[o] === 1
}

/**
 * The shortest winning plan among the candidates from the game's current state (its last command is
 * the first that wins), or null when none of them wins.
 */
export function solveAlfworld(game: AlfworldGame): ExpertSubgoal[] | null {
  if (game.won()) return []
  const world = game.world
  const goal = world.goal
  const objs = world.objects
  const recs = world.receptacles
  const reachable = (o: number): boolean =>
    game.held === o || (objs[o]?.pickupable === true && (game.objIn[o]?.length ?? 0) > 0)
  const candidates = objs
    .map((obj, i) => ({ obj, i }))
    .filter(({ obj, i }) => obj.type === goal.object && reachable(i))
    .map(({ i }) => i)
  /** Receptacles o can be taken from (-1: already in hand). */
  const sources = (o: number): readonly number[] => (game.held === o ? [-1] : (game.objIn[o] ?? []))
  let best: Plan | null = null
  const consider = (plan: Plan): void => {
    if (plan.ok && plan.g.won() && (!best || plan.steps < best.steps)) best = plan
  }

  if (goal.kind === 'look_at_obj_in_light') {
    const lamps = objs
      .map((obj, i) => ({ obj, i }))
      .filter(
        ({ obj, i }) =>
          obj.type === goal.toggle && obj.toggleable && (game.objIn[i]?.length ?? 0) > 0
      )
      .map(({ i }) => i)
    for (const o of candidates) {
      for (const from of sources(o)) {
        for (const lamp of lamps) {
          for (const r of game.objIn[lamp] ?? []) {
            const plan = new Plan(game)
            plan.fetch(o, from)
            if (plan.g.agentLoc !== plan.g.locationOf(r)) {
              plan.begin(`find ${goal.toggle.toLowerCase()}`)
              plan.goTo(r)
            }
            if (!plan.won) {
              plan.begin(`use ${plan.g.objName(lamp)}`)
              plan.run(plan.g.command('use', lamp))
            }
            consider(plan)
          }
        }
      }
    }
    return best ? (best as Plan).subgoals.filter((s) => s.actions.length > 0) : null
  }

  const targets = recs.map((r, i) => ({ r, i })).filter(({ r }) => r.type === goal.receptacle)
  const transform = transformOf(goal.kind)

  if (goal.kind === 'pick_two_obj_and_place') {
    for (const { i: r } of targets) {
      const inside = candidates.filter((o) => game.objIn[o]?.includes(r))
      const outside = candidates.filter(
        (o) => !game.objIn[o]?.includes(r) && game.canContainPair(r, o)
      )
      if (inside.length + outside.length < 2 || outside.length === 0) continue
      if (inside.length >= 1) {
        for (const o of outside) {
          for (const from of sources(o)) {
            const plan = new Plan(game)
            plan.fetch(o, from)
            plan.place(o, r)
            consider(plan)
          }
        }
        continue
      }
      for (const a of outside) {
        for (const b of outside) {
          if (a === b) continue
          for (const fromA of sources(a)) {
            for (const fromB of sources(b)) {
              const plan = new Plan(game)
              plan.fetch(a, fromA)
              plan.place(a, r)
              plan.fetch(b, fromB)
              plan.place(b, r)
              consider(plan)
            }
          }
        }
      }
    }
    return best ? (best as Plan).subgoals.filter((s) => s.actions.length > 0) : null
  }

  const appliances = transform
    ? recs.map((r, i) => ({ r, i })).filter(({ r }) => r.type === APPLIANCE[transform])
    : [{ i: -1 }]
  for (const o of candidates) {
    const obj = objs[o]
    if (
      transform &&
      !obj?.[transform === 'clean' ? 'cleanable' : transform === 'heat' ? 'heatable' : 'coolable']
    ) {
      continue
    }
    for (const { i: r } of targets) {
      if (!game.canContainPair(r, o)) continue
      for (const { i: a } of appliances) {
        for (const from of sources(o)) {
          const plan = new Plan(game)
          plan.fetch(o, from)
          if (transform && a >= 0 && !done(o, transform, plan.g)) plan.transform(o, transform, a)
          plan.place(o, r)
          consider(plan)
        }
      }
    }
  }
  return best ? (best as Plan).subgoals.filter((s) => s.actions.length > 0) : null
}
