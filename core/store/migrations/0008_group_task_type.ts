// Migration 8: for the group browser (group-queries.ts). A rollout group's task type (ALFWorld's
// `pick_and_place_simple`, …), so that groups filter by it without unpacking steps: the writer
// takes it from the first member's first step view (group-task-type.ts), existing groups are
// filled the same way here. Episodes are indexed by (group, return), which answers "did every
// member get the same return" with two seeks (MIN and MAX) and replaces the group-only index.
import type { Db } from '../open'
import { unpackSteps } from '../step-pack'
import { taskTypeOfViewJson } from '../group-task-type'

const create = `
ALTER TABLE rollout_groups ADD COLUMN task_type TEXT;
CREATE INDEX groups_by_task_type ON rollout_groups(run_id, task_type) WHERE task_type IS NOT NULL;
CREATE INDEX episodes_by_group_return ON episodes(group_id, return);
DROP INDEX episodes_by_group;
`

export function migration0008(db: Db): void {
  db.exec(create)
  // The first member (member order) of each group that has steps, in pages of groups.
  const firstPacks = db.prepare(
    `SELECT g.id AS group_id, p.codec, p.body FROM rollout_groups g
       JOIN step_packs p ON p.episode_id = (
         SELECT e.id FROM episodes e WHERE e.group_id = g.id ORDER BY e.member_index, e.id LIMIT 1)
     WHERE g.id > ? ORDER BY g.id LIMIT 500`
  )
  const update = db.prepare('UPDATE rollout_groups SET task_type = ? WHERE id = ?')
  let after = 0
  for (;;) {
    const rows = firstPacks.all(after) as { group_id: number; codec: number; body: Buffer }[]
    if (rows.length === 0) break
    for (const r of rows) {
      const first = unpackSteps(r.codec, r.body)[0]
      const type = first ? taskTypeOfViewJson(first.view_json) : null
      if (type !== null) update.run(type, r.group_id)
    }
    after = rows[rows.length - 1]!.group_id
  }
}
