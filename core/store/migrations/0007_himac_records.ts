// Migration 7: what the LM agent and HiMAC record (issue 14, issue 13 item 9). Step packs gain a
// per-step extras element (step-pack.ts; older packs read back without it) and the `steps` view
// its `extra_json` column; a Phase-B micro group points at its Phase-A macro group; a Phase-A
// member keeps its blueprint's log-prob and advantage.
export const migration0007 = `
ALTER TABLE rollout_groups ADD COLUMN parent_group_id INTEGER REFERENCES rollout_groups(id);
CREATE INDEX groups_by_parent ON rollout_groups(parent_group_id) WHERE parent_group_id IS NOT NULL;
ALTER TABLE episodes ADD COLUMN plan_log_prob REAL;
ALTER TABLE episodes ADD COLUMN plan_advantage REAL;
DROP VIEW steps;
CREATE VIEW steps AS
  SELECT p.episode_id, s.t, s.observation, s.admissible_json, s.action, s.reward, s.done,
         s.subgoal_index, s.sub_done, s.log_prob, s.advantage, s.view_json, s.extra_json
  FROM step_packs p, step_pack_rows(p.codec, p.body) s;
`
