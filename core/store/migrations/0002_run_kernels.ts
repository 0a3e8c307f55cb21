// Migration 2: which compute kernels a run used (native BLAS addon or the stock tfjs kernels).
export const migration0002 = `
ALTER TABLE runs ADD COLUMN kernels TEXT;
`
