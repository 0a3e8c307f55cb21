// The searching ALFWorld demonstrator. It knows only the task sentence, the feedback texts and the
// admissible commands: it visits receptacles in the order of a prior learned on the train split
// (prior.ts), opens closed ones, remembers what it saw and then acts. Subgoals are phrased like the
// oracle's (core/envs/alfworld/expert.ts): 'find mug', 'take mug 1', 'go to microwave 1',
// 'heat mug 1', 'put mug 1 in countertop 1', 'find desklamp', 'use desklamp 1'.
import type { EnvObservation, EnvReset } from '../../../envs/env'
import { SubgoalCounter, type DemoChoice, type Demonstrator } from '../types'
import { AlfworldMemory, type Transform } from './memory'
import { parseTask, typeOf, type ParsedTask } from './parse'
import { locationProbability, openableProbability, type AlfworldPrior } from './prior'
import priorJson from './prior.json'

/**
 * How receptacles are ranked while searching for an object type:
 * - 'type': P(receptacle type | object type), ties in canonical order (type, then number);
 * - 'instance': that probability shared among the room's instances of the type;
 * - 'cost' (default): 'instance' divided by the expected steps to look inside (1 here or on a
 *   surface, 2 for a closed one elsewhere; unknown ones weighted by how often the type is openable).
 */
export type SearchOrder = 'type' | 'instance' | 'cost'

export type AlfworldDemonstratorOptions = { prior?: AlfworldPrior; order?: SearchOrder }

const APPLIANCE: Record<Transform, string> = {
  clean: 'sinkbasin',
  heat: 'microwave',
  cool: 'fridge'
}

function transformOf(task: ParsedTask): Transform | null {
  if (task.kind === 'pick_clean_then_place_in_recep') return 'clean'
  if (task.kind === 'pick_heat_then_place_in_recep') return 'heat'
  if (task.kind === 'pick_cool_then_place_in_recep') return 'cool'
  return null
}

export const ALFWORLD_PRIOR = priorJson as AlfworldPrior

export type AlfworldDemonstrator = Demonstrator & {
  /** Actions chosen because the plan's action was not admissible (0 in a healthy run). */
  readonly fallbacks: number
}

export function createAlfworldDemonstrator(
  options: AlfworldDemonstratorOptions = {}
): AlfworldDemonstrator {
  const prior = options.prior ?? ALFWORLD_PRIOR
  const order = options.order ?? 'cost'
  const counter = new SubgoalCounter()
  let task: ParsedTask | null = null
  let memory = new AlfworldMemory('')
  let admissible = new Set<string>()
  /** pick_two: the receptacle both objects go to, once chosen. */
  let anchor: string | null = null
  let fallbacks = 0
  let lastSubgoal = 'look'

  const here = (r: string): boolean => admissible.has(`examine ${r}`)

  /** The next command that makes r's inside reachable from here, or null when it already is. */
  const approach = (r: string): string | null => {
    if (!here(r)) return `go to ${r}`
    if (memory.accessible(r)) return null
    return admissible.has(`open ${r}`) ? `open ${r}` : `examine ${r}`
  }

  const searchScore = (object: string, r: string): number => {
    const type = typeOf(r)
    let p = locationProbability(prior, object, type)
    // a pick-and-place task would already be won if one were in a receptacle of the goal type
    if (task?.kind === 'pick_and_place_simple' && type === task.receptacle) p *= 1e-6
    if (order === 'type') return p
    p /= memory.room.filter((x) => typeOf(x) === type).length
    if (order === 'instance') return p
    const cost = here(r) ? 1 : memory.closed.has(r) ? 2 : 1 + openableProbability(prior, type)
    return p / cost
  }

  /** The next search command for an object type: look into the best unexplored receptacle. */
  const search = (object: string): string | null => {
    let best: string | null = null
    let bestScore = -1
    for (const r of memory.room) {
      if (memory.accessible(r)) continue
      const s = searchScore(object, r)
      if (s > bestScore) {
        best = r
        bestScore = s
      }
    }
    return best === null ? null : approach(best)
  }

  /** The instance of a receptacle type to bring an object to: nearest and known open first. */
  const pickReceptacle = (type: string): string | null => {
    const rank = (r: string): number =>
      (here(r) ? 0 : 2) + (memory.accessible(r) ? 0 : memory.closed.has(r) ? 1.5 : 1)
    let best: string | null = null
    for (const r of memory.room) {
      if (typeOf(r) !== type) continue
      if (best === null || rank(r) < rank(best)) best = r
    }
    return best
  }

  /** Find and take an object of the task's type (not one already in the pick_two receptacle). */
  const fetch = (t: ParsedTask): [string, string | null] => {
    if (t.kind === 'pick_two_obj_and_place' && anchor === null && t.receptacle) {
      anchor = memory.room.find((r) => typeOf(r) === t.receptacle && seenIn(r, t.object)) ?? null
    }
    const candidates = memory.seen(t.object).filter((c) => c.receptacle !== anchor)
    const at = candidates.find((c) => here(c.receptacle)) ?? candidates[0]
    if (at) {
      const step = approach(at.receptacle)
      if (step) return [`find ${t.object}`, step]
      return [`take ${at.object}`, `take ${at.object} from ${at.receptacle}`]
    }
    return [`find ${t.object}`, search(t.object)]
  }

  const seenIn = (r: string, type: string): boolean =>
    (memory.contents.get(r) ?? []).some((o) => typeOf(o) === type)

  const putCommand = (o: string, r: string): string | null =>
    [`move ${o} to ${r}`, `put ${o} in/on ${r}`].find((c) => admissible.has(c)) ?? null

  const decide = (t: ParsedTask): [string, string | null] => {
    const held = memory.held
    const holding = held !== null && typeOf(held) === t.object
    if (!holding) return fetch(t)

    if (t.kind === 'look_at_obj_in_light') {
      const toggle = t.toggle ?? 'desklamp'
      const lamp = memory.seen(toggle)[0]
      if (!lamp) return [`find ${toggle}`, search(toggle)]
      if (!here(lamp.receptacle)) return [`find ${toggle}`, `go to ${lamp.receptacle}`]
      return [`use ${lamp.object}`, `use ${lamp.object}`]
    }

    const transform = transformOf(t)
    if (transform && !memory.transforms.has(transform)) {
      const appliance = pickReceptacle(APPLIANCE[transform])
      if (appliance === null) return [`${transform} ${held}`, null]
      if (!here(appliance)) return [`go to ${appliance}`, `go to ${appliance}`]
      return [`${transform} ${held}`, `${transform} ${held} with ${appliance}`]
    }

    const type = t.receptacle ?? ''
    const target =
      t.kind === 'pick_two_obj_and_place' ? (anchor ??= pickReceptacle(type)) : pickReceptacle(type)
    if (target === null) return [`put ${held} in ${type}`, null]
    const step = approach(target)
    if (step) return [`go to ${target}`, step]
    return [`put ${held} in ${target}`, putCommand(held, target)]
  }

  return {
    kind: 'alfworld',
    get fallbacks() {
      return fallbacks
    },
    begin(reset: EnvReset): void {
      task = parseTask(reset.task || reset.observation)
      memory = new AlfworldMemory(reset.observation)
      anchor = null
      fallbacks = 0
      lastSubgoal = 'look'
      counter.reset()
    },
    act(obs: EnvObservation): DemoChoice {
      admissible = new Set(obs.admissibleActions)
      memory.observe(obs.observation)
      const [subgoal, action] = task ? decide(task) : [lastSubgoal, null]
      lastSubgoal = subgoal
      if (action !== null && admissible.has(action)) return counter.choice(subgoal, action)
      fallbacks++
      return counter.choice(subgoal, 'look')
    }
  }
}
