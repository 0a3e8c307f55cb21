// The task type of a group's task, from what its first step's view records: ALFWorld names it
// (`taskType`, e.g. `pick_heat_then_place_in_recep`); other environments' views do not.

export function taskTypeOfView(view: unknown): string | null {
  if (typeof view !== 'object' || view === null) return null
  const type = (view as { taskType?: unknown }).taskType
  return typeof type === 'string' && type !== '' ? type : null
}

export function taskTypeOfViewJson(viewJson: string | null): string | null {
  if (viewJson === null) return null
  try {
    return taskTypeOfView(JSON.parse(viewJson) as unknown)
  } catch {
    return null
  }
}
