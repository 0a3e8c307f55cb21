// The only two IPC channel names; no other string channels exist.
export const IPC_INVOKE = 'himac:invoke'
export const IPC_EVENT = 'himac:event'
