// Migration 14: what people keep about an experiment besides its config: tags, notes, and whether
// it is archived (hidden from the lists unless asked for; nothing is deleted).
export const migration0014 = `
ALTER TABLE experiments ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE experiments ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE experiments ADD COLUMN archived_at TEXT;
`
