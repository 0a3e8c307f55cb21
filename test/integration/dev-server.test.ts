// `npm run dev` in web mode as a developer runs it: the renderer's Vite dev server in front of the API.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
let dev: ChildProcess | undefined

afterAll(() => {
  // Whatever happened above: no process of this test outlives it (the dev loop has its own group).
  if (dev?.pid !== undefined && dev.exitCode === null && dev.signalCode === null) {
    try {
      process.kill(-dev.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  tmp.remove()
})

/** The `dev` script's command line from package.json, so the test runs what `npm run dev` runs. */
function devCommand(): string[] {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
    scripts: Record<string, string>
  }
  const [node, ...args] = pkg.scripts['dev']!.split(' ')
  expect(node).toBe('node')
  return args
}

function waitFor(
  child: ChildProcess,
  output: () => string,
  pattern: RegExp,
  ms: number
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll)
      reject(new Error(`no ${pattern} within ${ms} ms; output:\n${output()}`))
    }, ms)
    const poll = setInterval(() => {
      const match = output().match(pattern)
      if (match || child.exitCode !== null) {
        clearInterval(poll)
        clearTimeout(timer)
        if (match) resolve(match)
        else reject(new Error(`dev exited with ${child.exitCode}; output:\n${output()}`))
      }
    }, 100)
  })
}

function exited(child: ChildProcess, ms: number): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode)
    const timer = setTimeout(() => resolve('still running'), ms)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(code ?? String(signal))
    })
  })
}

describe('npm run dev (web mode)', () => {
  it('serves the renderer with HMR, proxies /api to the API, and stops cleanly', async () => {
    let output = ''
    dev = spawn(
      process.execPath,
      [...devCommand(), '--web', '--port', '0', '--db', tmp.file('dev.db')],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true }
    )
    dev.stdout!.on('data', (d: Buffer) => (output += d.toString()))
    dev.stderr!.on('data', (d: Buffer) => (output += d.toString()))

    const [, devUrl, apiOrigin] = await waitFor(
      dev,
      () => output,
      /Dev server with hot reload at (http:\/\/127\.0\.0\.1:\d+\/) — \/api goes to (http:\/\/127\.0\.0\.1:\d+)/,
      60_000
    )

    // The dev server's index page: the renderer's HTML with Vite's HMR client injected.
    const page = await fetch(devUrl!)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<div id="root"></div>')
    expect(html).toContain('/@vite/client')

    // A command through the dev server's proxy reaches the API (which refuses non-loopback Hosts).
    const res = await fetch(new URL('api/presets/list', devUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { data?: { id: string }[] }
    expect(body.data?.length).toBeGreaterThan(0)
    expect(body.data?.map((p) => p.id)).toContain('sokoban-smoke')
    // The proxy adds the API's token, so the API itself checks the page's origin: the dev server's
    // own pages may call it, another site's may not; and the API refuses callers with no token.
    const from = (origin: string): Promise<Response> =>
      fetch(new URL('api/presets/list', devUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: '{}'
      })
    expect((await from(new URL(devUrl!).origin)).status).toBe(200)
    expect((await from('http://evil.example.com')).status).toBe(403)
    const direct = await fetch(`${apiOrigin}/api/presets/list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    })
    expect(direct.status).toBe(401)

    // SIGTERM: the API shuts down in order, the process exits 0, and both ports are closed.
    dev.kill('SIGTERM')
    expect(await exited(dev, 20_000)).toBe(0)
    await expect(fetch(devUrl!)).rejects.toThrow()
    await expect(fetch(`${apiOrigin}/api/presets/list`, { method: 'POST' })).rejects.toThrow()
    expect(output).not.toMatch(/error/i)
  }, 90_000)
})
