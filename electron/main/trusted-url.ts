// Which page may use the IPC bridge: the app's own renderer (its index.html file) or, under
// `npm run dev` only, electron-vite's dev server for it. Electron-free, so tests can call it.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type TrustedPages = { indexFile: string; devServerUrl?: string }

export function isTrustedPage(url: string, trusted: TrustedPages): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'file:') {
    parsed.hash = ''
    parsed.search = ''
    const norm = (p: string): string => {
      const abs = path.resolve(p)
      return process.platform === 'win32' ? abs.toLowerCase() : abs
    }
    return norm(fileURLToPath(parsed)) === norm(trusted.indexFile)
  }
  if (trusted.devServerUrl === undefined) return false
  const dev = new URL(trusted.devServerUrl)
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === dev.origin
  )
}
