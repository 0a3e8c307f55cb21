// Migration 17: an episode's task text is stored once per distinct text (`tasks`, content-addressed
// by a hash) instead of on every episode: a group's members and every evaluation of a held-out task
// repeat it, and a WebShop instruction (~130 bytes) was a fifth of what a step cost. The table is
// renamed `episode_rows` (foreign keys follow it) and `episodes` becomes a view with the same
// columns, so readers are unchanged; the writer inserts into `episode_rows`.
import type { Db } from '../open'
import { textHash } from '../text-ids'

export const EPISODES_VIEW = `
CREATE VIEW episodes AS
  SELECT e.id, e.run_id, e.group_id, e.iteration, e.phase, e.member_index, e.env, t.body AS task,
         e.seed, e.blueprint_json, e.return, e.success, e.length, e.plan_log_prob,
         e.plan_advantage, e.origin_episode_id, e.counterfactual_json
  FROM episode_rows e LEFT JOIN tasks t ON t.id = e.task_id;
`

export function migration0017(db: Db): void {
  db.function('himac_task_hash', { deterministic: true }, (text: unknown) => textHash(String(text)))
  db.exec(`
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  hash INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX tasks_by_hash ON tasks(hash);
INSERT INTO tasks (hash, body)
  SELECT himac_task_hash(task), task FROM episodes GROUP BY task ORDER BY MIN(id);
ALTER TABLE episodes RENAME TO episode_rows;
ALTER TABLE episode_rows ADD COLUMN task_id INTEGER REFERENCES tasks(id);
UPDATE episode_rows SET task_id = (SELECT t.id FROM tasks t
  WHERE t.hash = himac_task_hash(episode_rows.task) AND t.body = episode_rows.task);
ALTER TABLE episode_rows DROP COLUMN task;
${EPISODES_VIEW}
`)
}
