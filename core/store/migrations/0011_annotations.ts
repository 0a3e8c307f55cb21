// Migration 11: annotations as the workbench uses them. Label types are defined per experiment
// (`label_schemas`); an annotation names its run and, for groups, blueprints, episodes and steps,
// its iteration, so a resume that deletes the target's iteration can detach it (episode and group
// ids are reused after such deletes; the annotations' own ids never are: AUTOINCREMENT).
// Rows stay append-only. Rows of the first schema are carried over: comments as comments, the
// free-text 'label' and 'score' rows as labels of those names, with a category schema listing the
// values found; rows whose target no longer exists are dropped.
const RUN_OF = `CASE a.target_type
    WHEN 'run' THEN (SELECT id FROM runs WHERE id = a.target_id)
    WHEN 'group' THEN (SELECT run_id FROM rollout_groups WHERE id = a.target_id)
    ELSE (SELECT run_id FROM episodes WHERE id = a.target_id) END`
const ITERATION_OF = `CASE a.target_type
    WHEN 'run' THEN NULL
    WHEN 'group' THEN (SELECT iteration FROM rollout_groups WHERE id = a.target_id)
    ELSE (SELECT iteration FROM episodes WHERE id = a.target_id) END`

export const migration0011 = `
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

CREATE TABLE annotations_v2 (
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
  supersedes INTEGER UNIQUE REFERENCES annotations_v2(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((kind = 'label') = (label IS NOT NULL)),
  CHECK ((target_type = 'step') = (step_t IS NOT NULL)),
  CHECK ((target_type = 'run') = (iteration IS NULL))
);

CREATE TEMP TABLE annotations_carried AS
  SELECT a.id, ${RUN_OF} AS run_id, ${ITERATION_OF} AS iteration, a.target_type, a.target_id,
         a.step_t, a.author, a.kind, a.value, a.supersedes, a.created_at
  FROM annotations a;
DELETE FROM temp.annotations_carried WHERE run_id IS NULL OR (target_type = 'step' AND step_t IS NULL);

INSERT INTO label_schemas (experiment_id, name, type, options_json, description)
  SELECT r.experiment_id, c.kind, 'category', json_group_array(DISTINCT c.value),
         'carried over from the first annotation schema'
  FROM temp.annotations_carried c JOIN runs r ON r.id = c.run_id
  WHERE c.kind IN ('label', 'score')
  GROUP BY r.experiment_id, c.kind;

INSERT INTO annotations_v2 (id, run_id, target_type, target_id, step_t, iteration, author, kind,
                            label, value, supersedes, created_at)
  SELECT c.id, c.run_id, c.target_type, c.target_id, c.step_t, c.iteration, c.author,
         CASE c.kind WHEN 'comment' THEN 'comment' ELSE 'label' END,
         CASE c.kind WHEN 'comment' THEN NULL ELSE c.kind END,
         c.value,
         CASE WHEN c.supersedes IN (SELECT id FROM temp.annotations_carried) THEN c.supersedes END,
         c.created_at
  FROM temp.annotations_carried c ORDER BY c.id;
DROP TABLE temp.annotations_carried;

DROP TABLE annotations;
ALTER TABLE annotations_v2 RENAME TO annotations;
CREATE INDEX annotations_by_target ON annotations(target_type, target_id, step_t);
CREATE INDEX annotations_by_run ON annotations(run_id, iteration);
CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
  BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;
CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
  BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;

CREATE TABLE annotation_detachments (
  annotation_id INTEGER PRIMARY KEY REFERENCES annotations(id),
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
`
