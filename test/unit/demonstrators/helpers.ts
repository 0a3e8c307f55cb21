// Shared by the demonstrator tests: play an episode while checking every action against the
// admissible list, optionally with the view and info blanked out (what only the text shows).
import type { Env, EnvObservation, EnvReset, EnvView } from '../../../core/envs/env'
import type { Demonstrator } from '../../../core/agent/demonstrators'

export type Played = {
  actions: string[]
  subgoals: string[]
  /** Actions that were not admissible when chosen. */
  inadmissible: string[]
  won: boolean
}

/** The view reduced to what the text observation already says (Sokoban: its grid), or nothing. */
function blankView(view: EnvView): EnvView {
  if (view.kind === 'sokoban') return view
  if (view.kind === 'alfworld') return { kind: 'alfworld', location: '', inventory: [] }
  return { kind: 'webshop', page: '' }
}

function blank<T extends EnvObservation>(obs: T): T {
  return { ...obs, view: blankView(obs.view), info: { won: false, actionIsValid: true } }
}

/** In the list, or a WebShop search where the list offers the search box ('search[<your query>]'). */
export function admissible(action: string, list: readonly string[]): boolean {
  if (list.includes(action)) return true
  return /^search\[.+\]$/.test(action) && list.includes('search[<your query>]')
}

export function play(env: Env, demo: Demonstrator, seed: number, blind = false): Played {
  const reset: EnvReset = env.reset(seed)
  demo.begin(blind ? blank(reset) : reset)
  let obs: EnvObservation = blind ? blank(reset) : reset
  const out: Played = { actions: [], subgoals: [], inadmissible: [], won: false }
  for (let t = 0; t < env.maxSteps; t++) {
    const choice = demo.act(obs)
    if (!admissible(choice.action, obs.admissibleActions)) out.inadmissible.push(choice.action)
    out.actions.push(choice.action)
    out.subgoals.push(choice.subgoal)
    const res = env.step(choice.action)
    out.won = res.info.won
    if (res.done) break
    obs = blind ? blank(res) : res
  }
  return out
}
