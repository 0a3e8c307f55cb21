// IPC wiring: the one channel pair through which the preload bridge reaches the workbench service.
import { ipcMain, type WebContents } from 'electron'
import { eventNames } from '../../core/api/contract'
import type { WorkbenchService } from '../../core/api/service'
import { IPC_EVENT, IPC_INVOKE } from '../preload/channels'

export function registerIpc(
  service: WorkbenchService,
  target: () => WebContents | undefined
): () => void {
  ipcMain.handle(IPC_INVOKE, (_e, name: unknown, input: unknown) =>
    typeof name === 'string'
      ? service.invoke(name, input)
      : { error: { type: 'ValidationError', message: 'command name must be a string' } }
  )
  const unsubscribe = eventNames.map((event) =>
    service.on(event, (payload) => target()?.send(IPC_EVENT, event, payload))
  )
  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    for (const u of unsubscribe) u()
  }
}
