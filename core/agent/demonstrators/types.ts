// The demonstrator contract: scripted agents that act only on what an agent observes (task text,
// observation, admissible actions) and name the subgoal each action serves, phrased like the
// environment's oracle subgoals, so that a planner and an executor can be cloned from them.
import type { EnvKind, EnvObservation, EnvReset, EnvStep } from '../../envs/env'

export type DemoChoice = {
  action: string
  /** The subgoal this action serves (e.g. 'find mug', 'take mug 1'). */
  subgoal: string
  /** 0-based; grows by one whenever a new subgoal starts. */
  subgoalIndex: number
}

export type Demonstrator = {
  readonly kind: EnvKind
  /** Forgets the last episode and reads the new task and first observation. */
  begin(reset: EnvReset): void
  /** The next action for the observation just received (the reset itself for the first one). */
  act(obs: EnvObservation | EnvStep): DemoChoice
}

/** Numbers subgoals as they are emitted online: a new index whenever the subgoal text changes. */
export class SubgoalCounter {
  private index = -1
  private last: string | null = null

  reset(): void {
    this.index = -1
    this.last = null
  }

  choice(subgoal: string, action: string): DemoChoice {
    if (subgoal !== this.last) {
      this.index++
      this.last = subgoal
    }
    return { action, subgoal, subgoalIndex: this.index }
  }
}
