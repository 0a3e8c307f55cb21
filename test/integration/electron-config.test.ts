// The Electron app's security settings, read from a fresh electron-vite build (the code that ships) and
// from the sources: isolated sandboxed renderer without Node, a strict CSP, navigation and new windows
// denied, and IPC only from the app's own page.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isTrustedPage } from '../../electron/main/trusted-url'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir('himac-electron-build-')
let main = ''
let preload = ''
let html = ''

beforeAll(async () => {
  const cli = path.resolve('node_modules/electron-vite/bin/electron-vite.js')
  await promisify(execFile)(
    process.execPath,
    [cli, 'build', '--outDir', tmp.dir, '--logLevel', 'error'],
    { timeout: 120_000 }
  )
  main = fs.readFileSync(path.join(tmp.dir, 'main/index.js'), 'utf8')
  preload = fs.readFileSync(path.join(tmp.dir, 'preload/index.cjs'), 'utf8')
  html = fs.readFileSync(path.join(tmp.dir, 'renderer/index.html'), 'utf8')
}, 120_000)
afterAll(() => tmp.remove())

/** The object literal passed as `webPreferences` (the built code keeps it as written). */
function webPreferences(code: string): string {
  const start = code.indexOf('webPreferences:')
  expect(start, 'webPreferences in the main bundle').toBeGreaterThan(0)
  return code.slice(start, code.indexOf('}', start) + 1)
}

const sources = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))

/** CSP directives of the renderer's <meta http-equiv="Content-Security-Policy">. */
function metaCsp(page: string): Map<string, string[]> {
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(page)
  expect(match, 'a CSP <meta> in index.html').not.toBeNull()
  return new Map(
    (match?.[1] ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values])
  )
}

describe('Electron security settings', () => {
  it('the window: context isolation, sandbox, no Node integration, web security, no <webview>', () => {
    for (const code of [main, fs.readFileSync('electron/main/index.ts', 'utf8')]) {
      const prefs = webPreferences(code)
      for (const setting of [
        /contextIsolation: true/,
        /sandbox: true/,
        /nodeIntegration: false/,
        /nodeIntegrationInWorker: false/,
        /nodeIntegrationInSubFrames: false/,
        /webSecurity: true/,
        /allowRunningInsecureContent: false/,
        /webviewTag: false/
      ])
        expect(prefs).toMatch(setting)
    }
    // One window, nowhere else a weaker setting.
    const all = [main, ...sources('electron')].join('\n')
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1)
    expect(all).not.toMatch(
      /contextIsolation: false|sandbox: false|nodeIntegration\w*: true|webSecurity: false|allowRunningInsecureContent: true|webviewTag: true/
    )
  })

  it('navigation, redirects, <webview>, new windows and permissions are denied for every web contents', () => {
    expect(main).toMatch(
      /app\.on\("web-contents-created", \(_event, contents\) => hardenContents\(contents\)\)/
    )
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview'])
      expect(main).toContain(`contents.on("${event}", (event) => event.preventDefault())`)
    const opener = main.slice(main.indexOf('setWindowOpenHandler('))
    expect(opener.slice(0, opener.indexOf('});'))).toMatch(/return \{ action: "deny" \};\s*$/)
    expect(main).not.toMatch(/action: "allow"/)
    expect(main).toMatch(/setPermissionRequestHandler\([^)]*\) => callback\(false\)\)/)
    expect(main).toMatch(/hardenSession\(session\.defaultSession\)/)
  })

  it('IPC answers only the app window top frame showing the app page', () => {
    // Every handler (commands, and the two file dialogs) checks its sender first.
    const handlers = main.split('ipcMain.handle(').slice(1)
    expect(handlers).toHaveLength(3)
    for (const handler of handlers)
      expect(handler.slice(0, 300)).toMatch(/if \(!trustedSender\(e, target\(\), pages\)\)/)
    const check = main.slice(main.indexOf('function trustedSender('))
    expect(check.slice(0, 400)).toMatch(
      /e\.sender\.id === window\.id && frame !== null && frame\.parent === null && isTrustedPage\(frame\.url, pages\)/
    )
    // The preload exposes one bridge object (never ipcRenderer itself) that uses its four channels only.
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1)
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\("himac", \{/)
    const uses = [...preload.matchAll(/ipcRenderer\.(\w+)\(([^,)]*)/g)].map(
      (m) => `${m[1]}(${m[2]})`
    )
    expect(uses.sort()).toEqual([
      'invoke(IPC_EXPORT_FILE)',
      'invoke(IPC_IMPORT_FILE)',
      'invoke(IPC_INVOKE)',
      'on(IPC_EVENT)',
      'removeListener(IPC_EVENT)'
    ])
    expect(preload).toMatch(
      /var IPC_INVOKE = "himac:invoke";\s+var IPC_EVENT = "himac:event";\s+var IPC_EXPORT_FILE = "himac:export-file";\s+var IPC_IMPORT_FILE = "himac:import-file";/
    )
  })

  it('isTrustedPage accepts the renderer file (and the dev server only when given)', () => {
    const indexFile = path.resolve('out/renderer/index.html')
    const file = pathToFileURL(indexFile).href
    const pages = { indexFile }
    expect(isTrustedPage(file, pages)).toBe(true)
    expect(isTrustedPage(`${file}#/experiments/3`, pages)).toBe(true)
    expect(isTrustedPage(pathToFileURL(path.resolve('out/renderer/other.html')).href, pages)).toBe(
      false
    )
    expect(isTrustedPage('file:///etc/passwd', pages)).toBe(false)
    expect(isTrustedPage('https://evil.example.com/', pages)).toBe(false)
    expect(isTrustedPage('http://localhost:5173/', pages)).toBe(false)
    expect(isTrustedPage('about:blank', pages)).toBe(false)
    expect(isTrustedPage('not a url', pages)).toBe(false)
    const dev = { indexFile, devServerUrl: 'http://localhost:5173' }
    expect(isTrustedPage('http://localhost:5173/#/runs/1/episodes', dev)).toBe(true)
    expect(isTrustedPage('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedPage('http://localhost.evil.example.com:5173/', dev)).toBe(false)
  })

  it('the built renderer has a strict CSP: own files only, no eval, no remote origins', () => {
    for (const page of [html, fs.readFileSync('renderer/index.html', 'utf8')]) {
      const csp = metaCsp(page)
      expect(csp.get('default-src')).toEqual(["'self'"])
      expect(csp.get('script-src')).toEqual(["'self'"])
      expect(csp.get('connect-src')).toEqual(["'self'"])
      expect(csp.get('object-src')).toEqual(["'none'"])
      expect(csp.get('base-uri')).toEqual(["'none'"])
      for (const [name, values] of csp) {
        for (const v of values) {
          expect(v, name).not.toMatch(/unsafe-eval|^\*|^https?:|^wss?:|^blob:|^\w+:\/\//)
          expect(v === "'unsafe-inline'" && name !== 'style-src', name).toBe(false)
        }
      }
    }
    // Every script and stylesheet of the built page is a local file (the icon: none).
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g))
      expect(url).toMatch(/^(\.\/assets\/|data:,$)/)
  })
})
