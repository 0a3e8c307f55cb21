// Success report for the generated tasks: the expert's success per task type (the upper bound)
// and a seeded random agent's success over admissible commands (the lower bound).
// Run: node --import tsx -e "import('./core/envs/alfworld/report.ts').then(m => console.log(m.alfworldSuccessReport(1000)))"
import type { ExpertSubgoal } from '../env'
import { ALFWORLD_TASK_LABELS, createAlfworldEnv } from './env'
import { ALFWORLD_TASK_TYPES, type AlfworldSplit } from './generator'
import { createRng } from './rng'
import type { AlfworldTaskType } from './types'

export type AlfworldTypeReport = {
  taskType: AlfworldTaskType
  label: string
  tasks: number
  expertSuccess: number
  expertMeanSteps: number
  randomSuccess: number
}

export function alfworldSuccessReport(
  tasksPerType = 1000,
  split: AlfworldSplit = 'train'
): AlfworldTypeReport[] {
  return ALFWORLD_TASK_TYPES.map((taskType) => {
    const env = createAlfworldEnv({ split, taskTypes: [taskType] })
    const rng = createRng(tasksPerType)
    let expertWins = 0
    let expertSteps = 0
    let randomWins = 0
    for (let seed = 0; seed < tasksPerType; seed++) {
      env.reset(seed)
      const plan: ExpertSubgoal[] = env.expert?.() ?? []
      let won = false
      for (const a of plan.flatMap((s) => s.actions)) {
        const r = env.step(a)
        expertSteps++
        won = r.info.won
        if (r.done) break
      }
      if (won) expertWins++
      let actions = env.reset(seed).admissibleActions
      for (;;) {
        const r = env.step(rng.pick(actions.filter((a) => a !== 'help')))
        if (r.done) {
          if (r.info.won) randomWins++
          break
        }
        actions = r.admissibleActions
      }
    }
    return {
      taskType,
      label: ALFWORLD_TASK_LABELS[taskType],
      tasks: tasksPerType,
      expertSuccess: expertWins / tasksPerType,
      expertMeanSteps: expertSteps / tasksPerType,
      randomSuccess: randomWins / tasksPerType
    }
  })
}
