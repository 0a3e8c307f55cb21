// `himac serve`: the workbench UI and API in web mode on 127.0.0.1.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWebServer, type WebServer } from '../core/api/http-server'
import { loadPresets } from '../core/api/presets'
import { createWorkbenchService } from '../core/api/service'
import { nodeForkLauncher } from '../core/train/node-launcher'
import { sessionTokenSchema, TOKEN_ENV } from '../core/api/web-auth'
import { UsageError } from './errors'

export const rendererDir = (): string =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../out/renderer')

/** A token fixed by the environment (kept across restarts on one port), else undefined: a fresh one. */
function tokenFromEnv(): string | undefined {
  const value = process.env[TOKEN_ENV]
  if (value === undefined || value === '') return undefined
  const parsed = sessionTokenSchema.safeParse(value)
  if (!parsed.success) throw new UsageError(`${TOKEN_ENV}: ${parsed.error.issues[0]?.message}`)
  return parsed.data
}

export async function serveCommand(o: { db: string; port: number }): Promise<WebServer> {
  const token = tokenFromEnv()
  const service = createWorkbenchService({
    dbPath: o.db,
    launcher: nodeForkLauncher,
    presets: loadPresets()
  })
  let server: WebServer
  try {
    server = await startWebServer({
      service,
      staticDir: rendererDir(),
      port: o.port,
      ...(token ? { token } : {})
    })
  } catch (err) {
    await service.close()
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(
        `port ${o.port} on 127.0.0.1 is already in use; choose another with --port <n> (0 picks any free port)`
      )
    throw err
  }
  // The token is the key to this server: it is printed here, for the user who started it, only.
  console.log(`HiMAC Workbench (web mode) at ${server.loginUrl} — database ${o.db}`)
  // Ordered: stop taking requests, let trainers stop and store what they sent, then close the store.
  // A second Ctrl+C (npm forwards the terminal's signal too) must not cut the shutdown short.
  let stopping = false
  const shutdown = (): void => {
    if (stopping) return
    stopping = true
    void server
      .close()
      .then(() => service.close())
      .then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  return server
}
