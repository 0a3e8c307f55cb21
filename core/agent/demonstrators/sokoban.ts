// The Sokoban demonstrator: the grid is fully observed, so it runs the BFS solver on the room the
// observation shows (the view's room codes, the same grid the text renders) and plays the moves.
// Sokoban is deterministic, so one plan from the first observation holds; it replans only when the
// plan runs out. One subgoal, as the Sokoban expert's.
import type { EnvObservation, EnvReset } from '../../envs/env'
import { EXPERT_SUBGOAL } from '../../envs/sokoban/env'
import { solveSokoban } from '../../envs/sokoban/solver'
import { SubgoalCounter, type DemoChoice, type Demonstrator } from './types'

/** The admissible name of a push-or-walk direction ('up' in push4, 'push up' in full9). */
function actionName(direction: string, admissible: readonly string[]): string {
  if (admissible.includes(direction)) return direction
  return admissible.find((a) => a === `push ${direction}`) ?? direction
}

export function createSokobanDemonstrator(): Demonstrator {
  const counter = new SubgoalCounter()
  let plan: string[] = []

  return {
    kind: 'sokoban',
    begin(_reset: EnvReset): void {
      plan = []
      counter.reset()
    },
    act(obs: EnvObservation): DemoChoice {
      if (plan.length === 0 && obs.view.kind === 'sokoban') {
        plan = solveSokoban(obs.view.room) ?? []
      }
      const next = plan.shift()
      const action =
        next === undefined
          ? (obs.admissibleActions[0] ?? 'up')
          : actionName(next, obs.admissibleActions)
      return counter.choice(EXPERT_SUBGOAL, action)
    }
  }
}
