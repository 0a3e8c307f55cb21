// Migration 16: a step pack may be compressed against another episode's pack of the same run and
// task, its base (step-pack.ts, codecs 9–12), so that what a group's episodes share is stored once.
// A base has no base itself; the `steps` view hands both packs to `step_pack_rows`, codec 0 for
// none (SQLite compares a table-valued function's arguments with its hidden columns, so a NULL
// argument would drop every row).
export const migration0016 = `
ALTER TABLE step_packs ADD COLUMN base_episode_id INTEGER REFERENCES step_packs(episode_id);
DROP VIEW steps;
CREATE VIEW steps AS
  SELECT p.episode_id, s.t, s.observation, s.admissible_json, s.action, s.reward, s.done,
         s.subgoal_index, s.sub_done, s.log_prob, s.advantage, s.view_json, s.extra_json
  FROM step_packs p
  LEFT JOIN step_packs b ON b.episode_id = p.base_episode_id,
  step_pack_rows(p.codec, p.body, IFNULL(b.codec, 0), IFNULL(b.body, x'')) s;
`
