// Migration 17: task texts are stored once per distinct text (`tasks`, content-addressed by a
// hash) instead of on every episode and group: a group's members and every evaluation of a
// held-out task repeat it, and a WebShop instruction (~130 bytes) was a fifth of what a step cost.
// The tables are renamed `episode_rows` and `group_rows` (foreign keys follow them) and `episodes`
// and `rollout_groups` become views with the same columns, so readers are unchanged; the writer
// writes the tables.
import type { Db } from '../open'
import { textHash } from '../text-ids'

// The task is a scalar subquery rather than a join: a view that is a join cannot be flattened
// into a query that LEFT JOINs it (the groups browser does), and materializing it scans every row.
const VIEWS = `
CREATE VIEW episodes AS
  SELECT e.id, e.run_id, e.group_id, e.iteration, e.phase, e.member_index, e.env,
         (SELECT t.body FROM tasks t WHERE t.id = e.task_id) AS task,
         e.seed, e.blueprint_json, e.return, e.success, e.length, e.plan_log_prob,
         e.plan_advantage, e.origin_episode_id, e.counterfactual_json
  FROM episode_rows e;
CREATE VIEW rollout_groups AS
  SELECT g.id, g.run_id, g.iteration, g.level, g.task_seed,
         (SELECT t.body FROM tasks t WHERE t.id = g.task_id) AS task, g.member_count,
         g.chosen_episode_id, g.chosen_blueprint_json, g.parent_group_id, g.task_type, g.pin_id
  FROM group_rows g;
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
  SELECT himac_task_hash(task), task FROM
    (SELECT task, MIN(id) AS first FROM episodes GROUP BY task
     UNION ALL
     SELECT task, NULL AS first FROM rollout_groups WHERE task NOT IN (SELECT task FROM episodes)
     GROUP BY task)
  ORDER BY first IS NULL, first, task;
ALTER TABLE episodes RENAME TO episode_rows;
ALTER TABLE rollout_groups RENAME TO group_rows;
ALTER TABLE episode_rows ADD COLUMN task_id INTEGER REFERENCES tasks(id);
ALTER TABLE group_rows ADD COLUMN task_id INTEGER REFERENCES tasks(id);
UPDATE episode_rows SET task_id = (SELECT t.id FROM tasks t
  WHERE t.hash = himac_task_hash(episode_rows.task) AND t.body = episode_rows.task);
UPDATE group_rows SET task_id = (SELECT t.id FROM tasks t
  WHERE t.hash = himac_task_hash(group_rows.task) AND t.body = group_rows.task);
ALTER TABLE episode_rows DROP COLUMN task;
ALTER TABLE group_rows DROP COLUMN task;
${VIEWS}
`)
}
