// Starts `himac serve` on a free port with its own database, and stops it (with its trainers).
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

export type ServerHandle = {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string
  /** The session token the server printed; `url` + `/?token=` + it logs a browser in. */
  token: string
  child: ChildProcess
  output: () => string
  stop(): Promise<void>
}

/** Tokens of the servers started here, by url: `api()` in harness.ts sends them as Bearer headers. */
const tokens = new Map<string, string>()
export const tokenFor = (url: string): string | undefined => tokens.get(url)

/** `token` fixes the session token (a restart on the same port keeps the page's cookie valid). */
export function startServer(
  repoRoot: string,
  dbPath: string,
  port = 0,
  token?: string,
  timeoutMs = 60_000
): Promise<ServerHandle> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/himac.js'), 'serve', '--db', dbPath, '--port', String(port)],
    {
      cwd: repoRoot,
      env: token ? { ...process.env, HIMAC_SERVE_TOKEN: token } : process.env,
      // Its own process group, so stopping it also stops the trainer processes it forks.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let log = ''
  const output = (): string => log
  const stop = async (): Promise<void> => {
    const pid = child.pid
    if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const signal = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-pid, sig)
      } catch {
        // already gone
      }
    }
    signal('SIGTERM')
    const timer = setTimeout(() => signal('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
    // Trainers left in the group after the server exits.
    signal('SIGKILL')
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`server printed no URL within ${timeoutMs} ms; output:\n${log}`))
    }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      log += chunk.toString('utf8')
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(log)
      if (match?.[1] && match[2]) {
        clearTimeout(timer)
        tokens.set(match[1], match[2])
        resolve({ url: match[1], token: match[2], child, output, stop })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (c: Buffer) => {
      log += c.toString('utf8')
    })
    child.once('exit', (code, sig) => {
      clearTimeout(timer)
      reject(
        new Error(`server exited (code ${code}, signal ${sig}) before listening; output:\n${log}`)
      )
    })
  })
}
