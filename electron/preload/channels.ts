// Every IPC channel name; no other string channels exist. Commands and events go through the
// contract (invoke / event); the two file channels open the native save and open dialogs, which a
// sandboxed page cannot.
export const IPC_INVOKE = 'himac:invoke'
export const IPC_EVENT = 'himac:event'
export const IPC_EXPORT_FILE = 'himac:export-file'
export const IPC_IMPORT_FILE = 'himac:import-file'
