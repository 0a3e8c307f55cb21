// IPC wiring: the channel pair through which the preload bridge reaches the workbench service
// (files.ts adds the two file-dialog channels).
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { eventNames } from '../../core/api/contract'
import type { WorkbenchService } from '../../core/api/service'
import { IPC_EVENT, IPC_INVOKE } from '../preload/channels'
import { isTrustedPage, type TrustedPages } from './trusted-url'

/** Only the app window's top frame, showing the app's own renderer, may invoke commands. */
export function trustedSender(
  e: IpcMainInvokeEvent,
  window: WebContents | undefined,
  pages: TrustedPages
): boolean {
  const frame = e.senderFrame
  return (
    window !== undefined &&
    e.sender.id === window.id &&
    frame !== null &&
    frame.parent === null &&
    isTrustedPage(frame.url, pages)
  )
}

export function registerIpc(
  service: WorkbenchService,
  target: () => WebContents | undefined,
  pages: TrustedPages
): () => void {
  ipcMain.handle(IPC_INVOKE, (e, name: unknown, input: unknown) => {
    if (!trustedSender(e, target(), pages))
      return { error: { type: 'Forbidden', message: 'IPC from a page that is not the app' } }
    return typeof name === 'string'
      ? service.invoke(name, input)
      : { error: { type: 'ValidationError', message: 'command name must be a string' } }
  })
  const unsubscribe = eventNames.map((event) =>
    service.on(event, (payload) => target()?.send(IPC_EVENT, event, payload))
  )
  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    for (const u of unsubscribe) u()
  }
}
