// Commands that change state, called from event handlers (never during render).
import type { CommandInput, CommandOutputs, Result } from '../../../core/api/contract'
import { getClient } from './client'

export function createExperiment(
  input: CommandInput<'experiments/create'>
): Promise<Result<CommandOutputs['experiments/create']>> {
  return getClient().invoke('experiments/create', input)
}

export function startExperiment(
  experimentId: number
): Promise<Result<CommandOutputs['experiments/start']>> {
  return getClient().invoke('experiments/start', { experimentId })
}

export function stopRun(runId: number): Promise<Result<CommandOutputs['experiments/stop']>> {
  return getClient().invoke('experiments/stop', { runId })
}

export function resumeRun(runId: number): Promise<Result<CommandOutputs['runs/resume']>> {
  return getClient().invoke('runs/resume', { runId })
}
