// Migration 4: each episode's steps in one compressed record (see step-pack.ts), replacing the
// per-step rows and the texts table. `steps` stays a view with the same columns and rows, read
// through the `step_pack_rows` table-valued function every connection registers (functions.ts).
import type { Db } from '../open'
import { packSteps, type StepRow } from '../step-pack'

const create = `
CREATE TABLE step_packs (
  episode_id INTEGER PRIMARY KEY REFERENCES episodes(id),
  steps INTEGER NOT NULL,
  codec INTEGER NOT NULL,
  body BLOB NOT NULL
);
`

export const STEPS_VIEW = `
CREATE VIEW steps AS
  SELECT p.episode_id, s.t, s.observation, s.admissible_json, s.action, s.reward, s.done,
         s.subgoal_index, s.sub_done, s.log_prob, s.advantage, s.view_json
  FROM step_packs p, step_pack_rows(p.codec, p.body) s;
`

const replace = `
DROP VIEW steps;
DROP TABLE step_records;
DROP TABLE texts;
${STEPS_VIEW}
`

export function migration0004(db: Db): void {
  db.exec(create)
  const insert = db.prepare(
    'INSERT INTO step_packs (episode_id, steps, codec, body) VALUES (?, ?, ?, ?)'
  )
  const env = db.prepare('SELECT env FROM episodes WHERE id = ?').pluck()
  // In pages of episodes (a statement cannot write while another one is being iterated).
  const episodeIds = db.prepare(
    'SELECT DISTINCT episode_id FROM step_records WHERE episode_id > ? ORDER BY episode_id LIMIT 500'
  )
  const steps = db.prepare('SELECT * FROM steps WHERE episode_id = ? ORDER BY t')
  let after = -1
  for (;;) {
    const ids = episodeIds.pluck().all(after) as number[]
    if (ids.length === 0) break
    for (const id of ids) {
      const rows = steps.all(id) as (StepRow & { episode_id: number })[]
      const pack = packSteps(
        env.get(id) as string,
        rows.map(({ episode_id: _e, ...row }) => row)
      )
      insert.run(id, rows.length, pack.codec, pack.body)
    }
    after = ids[ids.length - 1]!
  }
  db.exec(replace)
}
