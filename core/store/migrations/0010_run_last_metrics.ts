// Migration 10: each run's last value of every metric, kept by triggers on `metrics`, so the runs
// table reads one row per run and key instead of grouping every metric row of every run (10^4 runs
// × 50 iterations × 25 keys took 13–15 s; see test/unit/store/run-last-metrics.test.ts). Triggers
// rather than writer code keep it right for every write: REPLACE, later iterations, and the
// deletes of a resume's rewind (the previous last value comes back).
export const migration0010 = `
CREATE TABLE run_last_metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  iteration INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
INSERT INTO run_last_metrics (run_id, key, iteration, value)
  SELECT run_id, key, MAX(iteration), value FROM metrics GROUP BY run_id, key;
CREATE TRIGGER metrics_last_insert AFTER INSERT ON metrics BEGIN
  INSERT INTO run_last_metrics (run_id, key, iteration, value)
    VALUES (NEW.run_id, NEW.key, NEW.iteration, NEW.value)
    ON CONFLICT (run_id, key) DO UPDATE SET iteration = excluded.iteration, value = excluded.value
    WHERE excluded.iteration >= run_last_metrics.iteration;
END;
CREATE TRIGGER metrics_last_delete AFTER DELETE ON metrics
WHEN EXISTS (SELECT 1 FROM run_last_metrics l
             WHERE l.run_id = OLD.run_id AND l.key = OLD.key AND l.iteration = OLD.iteration)
BEGIN
  DELETE FROM run_last_metrics WHERE run_id = OLD.run_id AND key = OLD.key;
  INSERT INTO run_last_metrics (run_id, key, iteration, value)
    SELECT run_id, key, iteration, value FROM metrics
    WHERE run_id = OLD.run_id AND key = OLD.key ORDER BY iteration DESC LIMIT 1;
END;
`
