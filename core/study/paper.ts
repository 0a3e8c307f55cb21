// The paper's own numbers (../shared/spec/himac.md §7), shown beside a study's for reference only:
// they come from 1.5B–7B language models trained at full scale, not from this workbench's models.
import type { StudyMethod } from './spec'

type Env = 'sokoban' | 'alfworld' | 'webshop'

export type PaperCell = {
  /** Success rate in %, with the paper's ± where it gives one. */
  success: number | null
  successPm?: number
  /** WebShop score (0–100) or Sokoban score (mean return), where reported. */
  score?: number | null
  scorePm?: number
}

export const PAPER_BACKBONE: Record<Env, string> = {
  alfworld: 'Qwen2.5-7B-Instruct',
  webshop: 'Qwen2.5-7B-Instruct',
  sokoban: 'Qwen2.5-VL-7B'
}

export const paperLabel = (env: Env): string =>
  `paper (${PAPER_BACKBONE[env]}, full scale) — different scale`

/**
 * Table 1 rows (7B; GiGPO: ALFWorld "w/ std", WebShop "w/o std", as HiMAC cites them) and Table 3
 * ablations. "w/o hierarchy" equals GRPO. Missing cells: not reported.
 */
export const PAPER_RESULTS: Record<Env, Partial<Record<StudyMethod, PaperCell>>> = {
  alfworld: {
    himac: { success: 92.1 },
    grpo: { success: 77.6, successPm: 5.2 },
    gigpo: { success: 90.8, successPm: 1.3 },
    rloo: { success: 75.5, successPm: 4.6 },
    'himac-simultaneous': { success: 85.3 },
    'himac-fixed-budget': { success: 88.2 },
    'himac-random-blueprint': { success: 89.7 }
  },
  webshop: {
    himac: { success: 84.1, score: 93.8 },
    grpo: { success: 66.1, successPm: 3.7, score: 79.3, scorePm: 2.8 },
    gigpo: { success: 75.2, successPm: 3.8, score: 86.2, scorePm: 2.6 },
    rloo: { success: 65.7, successPm: 4.0, score: 80.3, scorePm: 3.2 },
    'himac-simultaneous': { success: 74.8, score: 86.7 },
    'himac-fixed-budget': { success: 79.8, score: 90.1 },
    'himac-random-blueprint': { success: 81.5, score: 91.6 }
  },
  sokoban: {
    himac: { success: 87.5, score: 6.7 },
    grpo: { success: 83.9, score: 5.39 },
    gigpo: { success: 82.8, score: 5.27 }
  }
}

/** ALFWorld success per task type (%), 7B baselines; HiMAC's per-task numbers were not published. */
export const PAPER_ALFWORLD_TASKS: {
  method: StudyMethod
  cells: Record<string, number>
}[] = [
  {
    method: 'grpo',
    cells: { Pick: 90.8, Look: 66.1, Clean: 89.3, Heat: 74.7, Cool: 72.5, Pick2: 64.7 }
  },
  {
    method: 'rloo',
    cells: { Pick: 87.6, Look: 78.2, Clean: 87.3, Heat: 81.3, Cool: 71.9, Pick2: 48.9 }
  }
]

/** The paper's column name for each ALFWorld task-type metric key (verl-agent's keys). */
export const ALFWORLD_TASK_COLUMNS: Record<string, string> = {
  pick_and_place: 'Pick',
  look_at_obj_in_light: 'Look',
  pick_clean_then_place_in_recep: 'Clean',
  pick_heat_then_place_in_recep: 'Heat',
  pick_cool_then_place_in_recep: 'Cool',
  pick_two_obj_and_place: 'Pick2'
}

/** Table 4: training iterations to reach a target success rate (n/r: not reported). */
export const PAPER_ITERATIONS_TO_TARGET: Record<
  Env,
  { target: number; cells: Partial<Record<StudyMethod, number>> }
> = {
  alfworld: { target: 0.75, cells: { himac: 110, grpo: 150 } },
  webshop: { target: 0.65, cells: { himac: 220, gigpo: 230, grpo: 380 } },
  sokoban: { target: 0.8, cells: { himac: 180, grpo: 210 } }
}
