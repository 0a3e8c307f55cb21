// Migration 6: the device a run computed on (WebGPU adapter, CPU model) and the versions of what
// computed (tfjs-core, the backend package, node, Dawn's binding), issue 18.
export const migration0006 = `
ALTER TABLE runs ADD COLUMN backend_device TEXT;
ALTER TABLE runs ADD COLUMN backend_versions_json TEXT NOT NULL DEFAULT '{}';
`
