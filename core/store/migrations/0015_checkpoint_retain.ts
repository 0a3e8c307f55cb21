// Migration 15: what a checkpoint keeps once a newer one of its run exists. Only the newest
// checkpoint is resumed from, so the trainer marks the parts of each blob worth keeping after that
// (the weights, for evaluation and counterfactual replay) and the writer cuts the older rows down
// to them when it stores the next one (writer.ts `saveCheckpoint`). Null: kept whole.
export const migration0015 = `
ALTER TABLE checkpoints ADD COLUMN retain_json TEXT;
`
