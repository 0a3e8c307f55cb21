// Migration 18: the process that writes a run (`owner_pid`). A workbench opening the database marks
// queued and running runs as interrupted; it must leave alone those a live process is still
// training (a `himac train` or `himac repro` in a terminal beside a served or desktop workbench).
// Runs stored before it have no owner and are judged as before.
export const migration0018 = `
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
`
