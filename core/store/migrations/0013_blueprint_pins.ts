// Migration 13: blueprint pins. A person pins a Phase-A blueprint of a HiMAC run as the Phase-B plan
// of its task; the trainer takes a pin at the start of an iteration and records that iteration
// (from_iteration), and a removal likewise (until_iteration), so a resumed run applies each pin at
// the iterations it did before. The Phase-B groups that executed a pinned plan name the pin.
export const migration0013 = `
CREATE TABLE blueprint_pins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  source_episode_id INTEGER NOT NULL,
  task_seed INTEGER NOT NULL,
  task TEXT NOT NULL,
  blueprint_json TEXT NOT NULL,
  plan_log_prob REAL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  from_iteration INTEGER,
  removed_at TEXT,
  until_iteration INTEGER
);
CREATE INDEX blueprint_pins_by_run ON blueprint_pins(run_id);
ALTER TABLE rollout_groups ADD COLUMN pin_id INTEGER REFERENCES blueprint_pins(id);
`
