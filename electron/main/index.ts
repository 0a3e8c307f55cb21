// Electron main: lifecycle and the window only; everything else lives in Electron-free core/.
import { app, BrowserWindow, dialog, session } from 'electron'
import path from 'node:path'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { APP_NAME } from '../../core/paths'
import { hardenContents, hardenSession } from './harden'
import { registerFileIpc } from './files'
import { registerIpc } from './ipc'
import { utilityProcessLauncher } from './launcher'
import type { TrustedPages } from './trusted-url'

// The user-data folder (workbench.db) is named after the app: the same one the CLI uses (core/paths.ts).
app.setName(APP_NAME)

const dbArg = process.argv.find((a) => a.startsWith('--db='))
const dbPath = dbArg
  ? dbArg.slice('--db='.length)
  : path.join(app.getPath('userData'), 'workbench.db')

let window: BrowserWindow | undefined
let service: WorkbenchService | undefined

// No remote content: the app only ever shows its own bundled renderer (or, under `npm run dev`,
// electron-vite's dev server for it on localhost, for hot reload).
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
const trusted: TrustedPages = {
  indexFile: path.join(import.meta.dirname, '../renderer/index.html'),
  ...(devServerUrl ? { devServerUrl } : {})
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents))

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'HiMAC Workbench',
    show: false,
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    }
  })
  win.once('ready-to-show', () => win.show())
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadFile(trusted.indexFile)
  return win
}

void app.whenReady().then(() => {
  try {
    service = createWorkbenchService({
      dbPath,
      launcher: utilityProcessLauncher,
      presets: loadPresets()
    })
  } catch (err) {
    // A bad database file (not a database, damaged, no permission) is said in one sentence.
    dialog.showErrorBox('HiMAC Workbench cannot start', (err as Error).message)
    app.exit(2)
    return
  }
  hardenSession(session.defaultSession)
  registerIpc(service, () => window?.webContents, trusted)
  registerFileIpc(service, () => window?.webContents, trusted)
  window = createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

// Quit only after trainers have stopped and stored what they sent, and the store is closed.
let closed = false
app.on('will-quit', (event) => {
  if (closed || !service) return
  event.preventDefault()
  void service.close().finally(() => {
    closed = true
    app.quit()
  })
})
