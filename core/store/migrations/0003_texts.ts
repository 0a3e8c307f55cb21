// Migration 3: texts stored once (content-addressed) and referenced from steps. `steps` becomes a
// view with the old columns, so readers are unchanged; the writer inserts into `step_records`.
import type { Db } from '../open'
import { TextInterner } from '../text-ids'

const create = `
CREATE TABLE texts (
  id INTEGER PRIMARY KEY,
  hash INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX texts_by_hash ON texts(hash);

CREATE TABLE step_records (
  episode_id INTEGER NOT NULL REFERENCES episodes(id),
  t INTEGER NOT NULL,
  observation_id INTEGER NOT NULL REFERENCES texts(id),
  admissible_id INTEGER NOT NULL REFERENCES texts(id),
  action TEXT NOT NULL,
  reward REAL NOT NULL,
  done INTEGER NOT NULL CHECK (done IN (0, 1)),
  subgoal_index INTEGER,
  sub_done INTEGER NOT NULL DEFAULT 0 CHECK (sub_done IN (0, 1)),
  log_prob REAL,
  advantage REAL,
  view_id INTEGER REFERENCES texts(id),
  PRIMARY KEY (episode_id, t)
) WITHOUT ROWID;
`

const replace = `
DROP TABLE steps;
CREATE VIEW steps AS
  SELECT s.episode_id, s.t, o.body AS observation, a.body AS admissible_json, s.action, s.reward,
         s.done, s.subgoal_index, s.sub_done, s.log_prob, s.advantage, v.body AS view_json
  FROM step_records s
  JOIN texts o ON o.id = s.observation_id
  JOIN texts a ON a.id = s.admissible_id
  LEFT JOIN texts v ON v.id = s.view_id;
`

export function migration0003(db: Db): void {
  db.exec(create)
  const texts = new TextInterner(db)
  const insert = db.prepare(
    `INSERT INTO step_records (episode_id, t, observation_id, admissible_id, action, reward, done,
       subgoal_index, sub_done, log_prob, advantage, view_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  type Row = {
    episode_id: number
    t: number
    observation: string
    admissible_json: string
    action: string
    reward: number
    done: number
    subgoal_index: number | null
    sub_done: number
    log_prob: number | null
    advantage: number | null
    view_json: string | null
  }
  // In pages (a statement cannot write while another one is being iterated).
  const page = db.prepare(
    'SELECT * FROM steps WHERE (episode_id, t) > (?, ?) ORDER BY episode_id, t LIMIT 10000'
  )
  let after = [-1, -1]
  for (;;) {
    const rows = page.all(...after) as Row[]
    if (rows.length === 0) break
    for (const r of rows) copy(r)
    const last = rows[rows.length - 1]!
    after = [last.episode_id, last.t]
  }
  db.exec(replace)

  function copy(r: Row): void {
    insert.run(
      r.episode_id,
      r.t,
      texts.id(r.observation),
      texts.id(r.admissible_json),
      r.action,
      r.reward,
      r.done,
      r.subgoal_index,
      r.sub_done,
      r.log_prob,
      r.advantage,
      r.view_json === null ? null : texts.id(r.view_json)
    )
  }
}
