// The one bridge: exposes `window.himac` (a WorkbenchClient) to the sandboxed renderer.
import { contextBridge, ipcRenderer } from 'electron'
import type { WorkbenchClient } from '../../core/api/contract'
import { IPC_EVENT, IPC_INVOKE } from './channels'

const bridge = {
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

contextBridge.exposeInMainWorld('himac', bridge)
