// Migration 9: reproduction studies (`himac repro`). A study is a named set of runs (methods ×
// seeds on one environment, one budget); each of its runs points at it and names its method
// (`himac`, `grpo`, `himac-simultaneous` …). `spec_json` holds what the study was asked to run
// (core/study/spec.ts); `owner_pid` is the process running it, so that a resume can tell a study
// whose process is gone from one still running.
export const migration0009 = `
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
ALTER TABLE runs ADD COLUMN study_id INTEGER REFERENCES studies(id);
ALTER TABLE runs ADD COLUMN study_method TEXT;
CREATE INDEX runs_by_study ON runs(study_id, study_method, seed) WHERE study_id IS NOT NULL;
`
