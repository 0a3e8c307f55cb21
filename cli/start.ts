// `himac start` (npm start): the Electron app where its runtime can start, else web mode.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveCommand } from './serve'

/** Why Electron cannot start here (a clause that follows "because"), or null when it can. */
export function electronUnavailableReason(): string | null {
  let electronDir: string
  try {
    electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return 'the electron package is not installed'
  }
  const pathFile = path.join(electronDir, 'path.txt')
  if (!fs.existsSync(pathFile)) return 'its runtime binary was not downloaded'
  const binary = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim())
  if (!fs.existsSync(binary)) return `its runtime binary is missing at ${binary}`
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'there is no display: DISPLAY and WAYLAND_DISPLAY are not set'
  }
  return null
}

export async function startCommand(o: { db: string; port: number }): Promise<void> {
  const reason = electronUnavailableReason()
  if (reason === null) {
    const electronDir = path.dirname(
      createRequire(import.meta.url).resolve('electron/package.json')
    )
    const binary = path.join(
      electronDir,
      'dist',
      fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim()
    )
    const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
    const child = spawn(binary, [appDir, `--db=${o.db}`], { stdio: 'inherit' })
    child.on('exit', (code) => process.exit(code ?? 0))
    return
  }
  // One plain sentence, then serve's own line with the URL once the server listens.
  console.log(
    `Electron cannot start here because ${reason}; serving the same UI in web mode instead.`
  )
  await serveCommand(o)
}
