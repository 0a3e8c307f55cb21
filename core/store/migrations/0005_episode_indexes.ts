// Migration 5: indexes for the episode list's filters and sorts within a run (measured on a
// 10^6-episode fixture by `himac bench --only store-queries`). Eval episodes are few, so a partial
// index finds them without visiting the run's training episodes.
export const migration0005 = `
CREATE INDEX episodes_by_iteration ON episodes(run_id, iteration);
CREATE INDEX episodes_by_return ON episodes(run_id, return);
CREATE INDEX episodes_by_length ON episodes(run_id, length);
CREATE INDEX episodes_eval_by_run ON episodes(run_id, success) WHERE phase = 'eval';
`
