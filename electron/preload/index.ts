// The one bridge: exposes `window.himac` (a WorkbenchClient, plus `files`: the native save and open
// dialogs for exports and imports, see electron/main/files.ts) to the sandboxed renderer.
import { contextBridge, ipcRenderer } from 'electron'
import type { WorkbenchClient } from '../../core/api/contract'
import { IPC_EVENT, IPC_EXPORT_FILE, IPC_IMPORT_FILE, IPC_INVOKE } from './channels'

const client = {
  invoke: (name, input) => ipcRenderer.invoke(IPC_INVOKE, name, input),
  on: (event, listener) => {
    const handler = (_e: unknown, name: string, payload: unknown): void => {
      if (name === event) (listener as (p: unknown) => void)(payload)
    }
    ipcRenderer.on(IPC_EVENT, handler)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler)
    }
  }
} satisfies WorkbenchClient

contextBridge.exposeInMainWorld('himac', {
  ...client,
  files: {
    saveExport: (path: string): Promise<unknown> => ipcRenderer.invoke(IPC_EXPORT_FILE, path),
    importFile: (options: { skipBad?: boolean; file?: string }): Promise<unknown> =>
      ipcRenderer.invoke(IPC_IMPORT_FILE, options)
  }
})
