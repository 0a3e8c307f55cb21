// The LM options `himac train` and `himac warmstart` share: the model's shape and how it reads its
// observations (what a saved warm start fixes), as commander options and as the config's `lm` input.
import { Option, type Command } from 'commander'
import {
  sokobanViewSchema,
  webshopClickSchema,
  type ExperimentConfigInput
} from '../core/api/config'
import { int } from './options'

export type LmShapeCliOptions = {
  dModel?: number
  layers?: number
  heads?: number
  tiedHead?: boolean
  markTaskWords?: boolean
  markSubgoalWords?: boolean
  markActionWords?: boolean
  history?: number
  sokobanView?: string
  webshopClick?: string
}

type LmInput = NonNullable<NonNullable<ExperimentConfigInput['policy']>['lm']>

export function addLmShapeOptions(command: Command): Command {
  return command
    .option('--d-model <n>', 'LM width', int)
    .option('--layers <n>', 'LM layers', int)
    .option('--heads <n>', 'LM attention heads', int)
    .option('--tied-head', 'LM output head = the token embedding (helps copying prompt words)')
    .option('--mark-task-words', "LM observations mark the task's content words with <task>")
    .option(
      '--mark-subgoal-words',
      "HiMAC: the executor's observations mark the active subgoal's words with <task>"
    )
    .option(
      '--mark-action-words',
      'LM actions mark the same words (with --mark-task-words or --mark-subgoal-words)'
    )
    .option('--history <n>', 'history steps the LM context keeps at least', int)
    .addOption(
      new Option('--sokoban-view <view>', 'how the LM reads Sokoban').choices(
        sokobanViewSchema.options
      )
    )
    .addOption(
      new Option('--webshop-click <mode>', 'how the LM names a WebShop result').choices(
        webshopClickSchema.options
      )
    )
}

/** The given options as the config's `lm` fields (commander checked the choices). */
export function lmShapeInput(o: LmShapeCliOptions): LmInput {
  return {
    ...(o.dModel !== undefined ? { dModel: o.dModel } : {}),
    ...(o.layers !== undefined ? { layers: o.layers } : {}),
    ...(o.heads !== undefined ? { heads: o.heads } : {}),
    ...(o.tiedHead ? { tiedHead: true } : {}),
    ...(o.markTaskWords ? { markTaskWords: true } : {}),
    ...(o.markSubgoalWords ? { markSubgoalWords: true } : {}),
    ...(o.markActionWords ? { markActionWords: true } : {}),
    ...(o.history !== undefined ? { historyLength: o.history } : {}),
    ...(o.sokobanView !== undefined ? { sokobanView: sokobanViewSchema.parse(o.sokobanView) } : {}),
    ...(o.webshopClick !== undefined
      ? { webshopClick: webshopClickSchema.parse(o.webshopClick) }
      : {})
  }
}
