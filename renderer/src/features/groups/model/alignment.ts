// Blueprints side by side: subgoal k of every member in row k, a cell marked where it differs from
// the row's consensus (no member's text is shared by more of them than any other's), and the
// executions of one blueprint cut into the same rows by subgoal.
import type { GroupMember, SubgoalSegment } from '../../../../../core/api/entities'

export type BlueprintCell = { text: string; differs: boolean } | null
export type BlueprintRow = { index: number; cells: BlueprintCell[] }

export function alignBlueprints(blueprints: readonly (readonly string[])[]): BlueprintRow[] {
  const rows = Math.max(0, ...blueprints.map((b) => b.length))
  return Array.from({ length: rows }, (_, index) => {
    const texts = blueprints.map((b) => b[index] ?? null)
    const counts = new Map<string | null, number>()
    for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1)
    const best = Math.max(...counts.values())
    const modes = [...counts].filter(([, n]) => n === best)
    // One text held by more members than any other is the consensus; anything else differs.
    const consensus = modes.length === 1 && best > 1 ? modes[0]![0] : undefined
    const unanimous = counts.size === 1
    return {
      index,
      cells: texts.map((text) =>
        text === null ? null : { text, differs: !unanimous && text !== consensus }
      )
    }
  })
}

export type ExecutionRow = {
  index: number
  /** The subgoal's text; null for the steps after the plan's last subgoal. */
  subgoal: string | null
  cells: (SubgoalSegment | null)[]
}

/** Rows of the executed blueprint (its subgoals, then "after the plan"), one cell per member. */
export function alignExecutions(
  blueprint: readonly string[],
  members: readonly GroupMember[]
): ExecutionRow[] {
  return Array.from({ length: blueprint.length + 1 }, (_, index): ExecutionRow => ({
    index,
    subgoal: blueprint[index] ?? null,
    cells: members.map((m) => m.segments.find((s) => s.index === index) ?? null)
  }))
}
