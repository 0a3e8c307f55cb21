CREATE INDEX annotations_by_run ON annotations(run_id, iteration);

CREATE INDEX annotations_by_target ON annotations(target_type, target_id, step_t);

CREATE INDEX blueprint_pins_by_run ON blueprint_pins(run_id);

CREATE INDEX checkpoints_by_run ON checkpoints(run_id, iteration);

CREATE INDEX episodes_by_group_return ON "episode_rows"(group_id, return);

CREATE INDEX episodes_by_iteration ON "episode_rows"(run_id, iteration);

CREATE INDEX episodes_by_length ON "episode_rows"(run_id, length);

CREATE INDEX episodes_by_origin ON "episode_rows"(origin_episode_id) WHERE origin_episode_id IS NOT NULL;

CREATE INDEX episodes_by_return ON "episode_rows"(run_id, return);

CREATE INDEX episodes_by_run ON "episode_rows"(run_id, id);

CREATE INDEX episodes_eval_by_run ON "episode_rows"(run_id, success) WHERE phase = 'eval';

CREATE INDEX groups_by_parent ON "group_rows"(parent_group_id) WHERE parent_group_id IS NOT NULL;

CREATE INDEX groups_by_run ON "group_rows"(run_id, iteration);

CREATE INDEX groups_by_task_type ON "group_rows"(run_id, task_type) WHERE task_type IS NOT NULL;

CREATE INDEX runs_by_experiment ON runs(experiment_id);

CREATE INDEX runs_by_study ON runs(study_id, study_method, seed) WHERE study_id IS NOT NULL;

CREATE INDEX tasks_by_hash ON tasks(hash);

CREATE TABLE annotation_detachments (
  annotation_id INTEGER PRIMARY KEY REFERENCES annotations(id),
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE "annotations" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  target_type TEXT NOT NULL CHECK (target_type IN ('run', 'group', 'blueprint', 'episode', 'step')),
  target_id INTEGER NOT NULL,
  step_t INTEGER,
  iteration INTEGER,
  author TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('comment', 'label')),
  label TEXT,
  value TEXT,
  supersedes INTEGER UNIQUE REFERENCES "annotations"(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((kind = 'label') = (label IS NOT NULL)),
  CHECK ((target_type = 'step') = (step_t IS NOT NULL)),
  CHECK ((target_type = 'run') = (iteration IS NULL))
);

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

CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  iteration INTEGER NOT NULL,
  format TEXT NOT NULL,
  weights BLOB NOT NULL,
  meta_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
, retain_json TEXT);

CREATE TABLE "episode_rows" (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  group_id INTEGER REFERENCES "group_rows"(id),
  iteration INTEGER NOT NULL,
  phase TEXT NOT NULL CHECK (phase IN ('train', 'eval')),
  member_index INTEGER NOT NULL,
  env TEXT NOT NULL,
  seed INTEGER NOT NULL,
  blueprint_json TEXT,
  return REAL NOT NULL,
  success INTEGER NOT NULL CHECK (success IN (0, 1)),
  length INTEGER NOT NULL
, plan_log_prob REAL, plan_advantage REAL, origin_episode_id INTEGER REFERENCES "episode_rows"(id), counterfactual_json TEXT, task_id INTEGER REFERENCES tasks(id));

CREATE TABLE experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  preset TEXT,
  config_json TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
, tags_json TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '', archived_at TEXT);

CREATE TABLE "group_rows" (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  iteration INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('flat', 'macro', 'micro')),
  task_seed INTEGER NOT NULL,
  member_count INTEGER NOT NULL,
  chosen_episode_id INTEGER,
  chosen_blueprint_json TEXT
, parent_group_id INTEGER REFERENCES "group_rows"(id), task_type TEXT, pin_id INTEGER REFERENCES blueprint_pins(id), task_id INTEGER REFERENCES tasks(id));

CREATE TABLE label_schemas (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('boolean', 'category', 'score')),
  options_json TEXT NOT NULL DEFAULT '[]',
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (experiment_id, name)
);

CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  iteration INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, iteration, key)
) WITHOUT ROWID;

CREATE TABLE run_last_metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  iteration INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'stopped', 'failed')),
  seed INTEGER NOT NULL,
  config_json TEXT NOT NULL,
  backend TEXT,
  backend_notes_json TEXT NOT NULL DEFAULT '[]',
  iterations INTEGER NOT NULL,
  iterations_done INTEGER NOT NULL DEFAULT 0,
  started_at TEXT,
  ended_at TEXT,
  error TEXT
, kernels TEXT, backend_device TEXT, backend_versions_json TEXT NOT NULL DEFAULT '{}', study_id INTEGER REFERENCES studies(id), study_method TEXT, owner_pid INTEGER);

CREATE TABLE sqlite_sequence(name,seq);

CREATE TABLE step_packs (
  episode_id INTEGER PRIMARY KEY REFERENCES "episode_rows"(id),
  steps INTEGER NOT NULL,
  codec INTEGER NOT NULL,
  body BLOB NOT NULL
, base_episode_id INTEGER REFERENCES step_packs(episode_id));

CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  env TEXT NOT NULL,
  spec_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'completed', 'failed')),
  owner_pid INTEGER,
  error TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ended_at TEXT
);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  hash INTEGER NOT NULL,
  body TEXT NOT NULL
);

CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
  BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;

CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
  BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;

CREATE TRIGGER metrics_last_delete AFTER DELETE ON metrics
WHEN EXISTS (SELECT 1 FROM run_last_metrics l
             WHERE l.run_id = OLD.run_id AND l.key = OLD.key AND l.iteration = OLD.iteration)
BEGIN
  DELETE FROM run_last_metrics WHERE run_id = OLD.run_id AND key = OLD.key;
  INSERT INTO run_last_metrics (run_id, key, iteration, value)
    SELECT run_id, key, iteration, value FROM metrics
    WHERE run_id = OLD.run_id AND key = OLD.key ORDER BY iteration DESC LIMIT 1;
END;

CREATE TRIGGER metrics_last_insert AFTER INSERT ON metrics BEGIN
  INSERT INTO run_last_metrics (run_id, key, iteration, value)
    VALUES (NEW.run_id, NEW.key, NEW.iteration, NEW.value)
    ON CONFLICT (run_id, key) DO UPDATE SET iteration = excluded.iteration, value = excluded.value
    WHERE excluded.iteration >= run_last_metrics.iteration;
END;

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

CREATE VIEW steps AS
  SELECT p.episode_id, s.t, s.observation, s.admissible_json, s.action, s.reward, s.done,
         s.subgoal_index, s.sub_done, s.log_prob, s.advantage, s.view_json, s.extra_json
  FROM step_packs p
  LEFT JOIN step_packs b ON b.episode_id = p.base_episode_id,
  step_pack_rows(p.codec, p.body, IFNULL(b.codec, 0), IFNULL(b.body, x'')) s;
