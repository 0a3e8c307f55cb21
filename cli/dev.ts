// `npm run dev` (node --import tsx cli/dev.ts): the development loop with hot reload.
//
// Where Electron can start: `electron-vite dev --watch` (renderer HMR; main and preload rebuilt and the
// app restarted on change). Where it cannot (no runtime binary, no display; the same check as
// `himac start`), or with --web: the web-mode API (`himac serve`, on 127.0.0.1) and the renderer's
// Vite dev server (HMR, 127.0.0.1 only), which proxies /api to it with the API's session token.
// Open the dev server's URL.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Command } from 'commander'
import { createServer, type ViteDevServer } from 'vite'
import { rendererConfig } from '../electron.vite.config'
import { defaultDbPath } from '../core/paths'
import { int } from './options'
import { serveCommand } from './serve'
import { electronUnavailableReason } from './start'

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export type DevOptions = { db: string; port: number; apiPort: number; web: boolean }

/** electron-vite's dev loop; resolves with its exit code. */
function electronDev(o: DevOptions): Promise<number> {
  const pkg = createRequire(import.meta.url).resolve('electron-vite/package.json')
  const cli = path.join(path.dirname(pkg), 'bin', 'electron-vite.js')
  const child = spawn(process.execPath, [cli, 'dev', '--watch', '--', `--db=${o.db}`], {
    cwd: appDir,
    stdio: 'inherit'
  })
  let stopped = false
  const forward = (signal: NodeJS.Signals): void => {
    stopped = true
    child.kill(signal)
  }
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  // Stopped on request (Ctrl+C, SIGTERM) is a clean exit, however electron-vite ends.
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve(stopped ? 0 : (code ?? (signal ? 1 : 0))))
  )
}

/**
 * The web-mode dev loop: the API server in this process (the same `himac serve`, which also handles
 * SIGINT/SIGTERM: it stops taking requests, lets trainers finish storing, closes the store and exits),
 * then the renderer's Vite dev server in front of it.
 */
export async function webDev(o: DevOptions): Promise<ViteDevServer> {
  const api = await serveCommand({ db: o.db, port: o.apiPort })
  const apiOrigin = api.url.replace(/\/$/, '')
  // Vite would close itself and exit (143) on SIGTERM or at the end of stdin, cutting the API's orderly
  // shutdown short: drop the listeners it adds; the process exits when the API has shut down.
  const before = { sigterm: process.listeners('SIGTERM'), end: process.stdin.listeners('end') }
  const vite = await createServer({
    ...rendererConfig,
    root: path.join(appDir, 'renderer'),
    configFile: false,
    clearScreen: false,
    server: {
      host: '127.0.0.1',
      port: o.port,
      strictPort: false,
      // changeOrigin: the API refuses Host headers other than its own, so send its own. The dev
      // server (loopback only; Vite refuses foreign Host headers) holds the API's session token;
      // the API still refuses requests whose Origin is neither its own nor this dev server's.
      proxy: {
        '/api': {
          target: apiOrigin,
          changeOrigin: true,
          headers: { authorization: `Bearer ${api.token}` }
        }
      }
    }
  })
  for (const l of process.listeners('SIGTERM'))
    if (!before.sigterm.includes(l)) process.off('SIGTERM', l)
  for (const l of process.stdin.listeners('end'))
    if (!before.end.includes(l)) process.stdin.off('end', l as () => void)
  // npm forwards the terminal's Ctrl+C to this process, which gets it from the terminal too: one
  // signal shuts down; a duplicate must not kill the process mid-shutdown (the default action once
  // serve's one-shot handlers are spent). A third one forces the exit.
  let signals = 0
  const onSignal = (): void => {
    if (++signals >= 3) process.exit(130)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  await vite.listen()
  const url = vite.resolvedUrls?.local[0] ?? `http://127.0.0.1:${o.port}/`
  const devPort = new URL(url).port
  api.allowOrigin(`http://127.0.0.1:${devPort}`)
  api.allowOrigin(`http://localhost:${devPort}`)
  console.log(`Dev server with hot reload at ${url} — /api goes to ${apiOrigin}`)
  return vite
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
  program
    .name('npm run dev --')
    .description('development loop with hot reload: Electron where it can start, else web mode')
    .option('--db <file>', 'database file', defaultDbPath())
    .option('--port <n>', 'web mode: dev server port (taken if free, else the next one)', int, 5173)
    .option('--api-port <n>', 'web mode: API port (0 = any free port)', int, 0)
    .option('--web', 'web mode even where Electron could start', false)
    .showHelpAfterError()
  program.parse(argv)
  const o = program.opts<DevOptions>()

  const reason = o.web ? null : electronUnavailableReason()
  if (!o.web && reason === null) {
    process.exitCode = await electronDev(o)
    return
  }
  if (reason !== null) {
    console.log(
      `Electron cannot start here because ${reason}; starting the web-mode dev loop instead.`
    )
  }
  await webDev(o)
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main(process.argv)
}
