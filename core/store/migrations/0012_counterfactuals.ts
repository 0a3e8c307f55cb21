// Migration 12: counterfactual episodes. A counterfactual is stored as an episode of its origin's
// run and iteration (so a resume's rewind removes it with its origin), linked to the origin, with
// what was changed, from which step, and which run's policy continued it.
export const migration0012 = `
ALTER TABLE episodes ADD COLUMN origin_episode_id INTEGER REFERENCES episodes(id);
ALTER TABLE episodes ADD COLUMN counterfactual_json TEXT;
CREATE INDEX episodes_by_origin ON episodes(origin_episode_id) WHERE origin_episode_id IS NOT NULL;
`
