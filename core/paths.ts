// Where the workbench keeps its data by default: Electron's userData directory for this app.
import os from 'node:os'
import path from 'node:path'

export const APP_NAME = 'HiMAC Workbench'

export function defaultUserDataDir(): string {
  const home = os.homedir()
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_NAME)
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME)
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME)
  }
}

export function defaultDbPath(): string {
  return path.join(defaultUserDataDir(), 'workbench.db')
}

/** The repository / app root (two levels above this file's folder in both source and bundle). */
export function appRoot(): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
}
