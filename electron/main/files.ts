// The desktop app's exports and imports: the renderer names an export by its web-mode path (the
// same resolveExport as the download routes) or asks to import; main shows the native dialog and
// writes or reads the file. Only the app's own page may ask.
import { BrowserWindow, dialog, ipcMain, type WebContents } from 'electron'
import { writeExportFile } from '../../core/api/export-file'
import { resolveExport } from '../../core/api/export-routes'
import { toApiError } from '../../core/api/errors'
import type { WorkbenchService } from '../../core/api/service'
import { IPC_EXPORT_FILE, IPC_IMPORT_FILE } from '../preload/channels'
import { trustedSender } from './ipc'
import type { TrustedPages } from './trusted-url'

const forbidden = { error: { type: 'Forbidden', message: 'IPC from a page that is not the app' } }

export function registerFileIpc(
  service: WorkbenchService,
  target: () => WebContents | undefined,
  pages: TrustedPages
): () => void {
  const owner = (): BrowserWindow | undefined => {
    const contents = target()
    return contents ? (BrowserWindow.fromWebContents(contents) ?? undefined) : undefined
  }
  ipcMain.handle(IPC_EXPORT_FILE, async (e, url: unknown) => {
    if (!trustedSender(e, target(), pages)) return forbidden
    if (typeof url !== 'string' || url.length > 4096)
      return { error: { type: 'ValidationError', message: 'an export path is a string' } }
    const at = url.indexOf('?')
    const plan = resolveExport(at < 0 ? url : url.slice(0, at), at < 0 ? '' : url.slice(at + 1), {
      reader: service.reader,
      dbPath: service.dbPath
    })
    if (!('lines' in plan)) return { error: { type: 'ValidationError', message: plan.message } }
    const win = owner()
    const options = { defaultPath: plan.filename }
    const chosen = await (win
      ? dialog.showSaveDialog(win, options)
      : dialog.showSaveDialog(options))
    if (chosen.canceled || !chosen.filePath) {
      plan.close()
      return { data: null }
    }
    try {
      const { bytes } = await writeExportFile(plan, chosen.filePath)
      return { data: { file: chosen.filePath, bytes } }
    } catch (err) {
      return { error: toApiError(err) }
    }
  })
  ipcMain.handle(IPC_IMPORT_FILE, async (e, options: unknown) => {
    if (!trustedSender(e, target(), pages)) return forbidden
    const skipBad =
      typeof options === 'object' &&
      options !== null &&
      (options as { skipBad?: unknown }).skipBad === true
    const previous =
      typeof options === 'object' && options !== null
        ? (options as { file?: unknown }).file
        : undefined
    let file = typeof previous === 'string' ? previous : undefined
    if (file === undefined) {
      const win = owner()
      const dialogOptions = {
        properties: ['openFile' as const],
        filters: [{ name: 'Episodes (JSONL)', extensions: ['jsonl', 'ndjson'] }]
      }
      const chosen = await (win
        ? dialog.showOpenDialog(win, dialogOptions)
        : dialog.showOpenDialog(dialogOptions))
      file = chosen.canceled ? undefined : chosen.filePaths[0]
      if (file === undefined) return { data: null }
    }
    try {
      const report = await service.importEpisodes(file, { skipBad, sourceName: file })
      return { data: { ...report, file } }
    } catch (err) {
      return { error: toApiError(err) }
    }
  })
  return () => {
    ipcMain.removeHandler(IPC_EXPORT_FILE)
    ipcMain.removeHandler(IPC_IMPORT_FILE)
  }
}
