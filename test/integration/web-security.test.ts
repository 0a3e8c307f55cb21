// Web mode's defences over real HTTP and raw sockets: loopback only, the session token (cookie or
// Bearer), Host and Origin checks, path traversal and symbolic links, body size and type limits.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES, startWebServer, type WebServer } from '../../core/api/http-server'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { sessionCookieName } from '../../core/api/web-auth'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
let service: WorkbenchService
let server: WebServer

beforeAll(async () => {
  const staticDir = path.join(tmp.dir, 'static')
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>wb</title>')
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)')
  fs.mkdirSync(path.join(tmp.dir, 'outside'))
  fs.writeFileSync(path.join(tmp.dir, 'outside', 'secret.txt'), 'TOPSECRET')
  fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'TOPSECRET')
  fs.symlinkSync(path.join(tmp.dir, 'secret.txt'), path.join(staticDir, 'link.txt'))
  fs.symlinkSync(path.join(tmp.dir, 'outside'), path.join(staticDir, 'out'))
  service = createWorkbenchService({
    dbPath: tmp.file('web.db'),
    launcher: nodeForkLauncher,
    presets: loadPresets()
  })
  server = await startWebServer({ service, staticDir, port: 0 })
})
afterAll(async () => {
  await server.close()
  await service.close()
  tmp.remove()
})

const host = (): string => `127.0.0.1:${server.port}`
const bearer = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` })
const json = { 'content-type': 'application/json' }
const experiments = (): number => service.reader.countRows('experiments')
const validCreate = JSON.stringify({ name: 'ok', preset: 'sokoban-smoke', config: {} })

/** One request written byte for byte on a socket: the status code and the whole response. */
function raw(lines: string[], body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1')
    let text = ''
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')))
    socket.on('end', () => resolve({ status: Number(text.slice(9, 12)), text }))
    socket.on('error', reject)
    socket.write(`${lines.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`, 'latin1')
  })
}

const get = (
  target: string,
  headers: string[] = [`Host: ${host()}`, `Authorization: Bearer ${server.token}`]
) => raw([`GET ${target} HTTP/1.1`, ...headers])

describe('web mode: loopback and the session token', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)
    const address = external?.address ?? '127.0.0.2'
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(server.port, address)
      s.once('connect', () => {
        s.destroy()
        resolve(false)
      })
      s.once('error', () => resolve(true))
    })
    expect(refused, `port ${server.port} answered on ${address}`).toBe(true)
  })

  it('makes a fresh 256-bit token per launch and prints it in the login URL', async () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(server.loginUrl).toBe(`${server.url}?token=${server.token}`)
    const other = await startWebServer({ service, staticDir: tmp.dir, port: 0 })
    await other.close()
    expect(other.token).not.toBe(server.token)
  })

  it('refuses the API, the event stream and the page without the token (401, JSON for the API)', async () => {
    const api = await fetch(`${server.url}api/presets/list`, {
      method: 'POST',
      headers: json,
      body: '{}'
    })
    expect(api.status).toBe(401)
    expect(((await api.json()) as { error: { type: string } }).error.type).toBe('Unauthorized')
    const wrong = await fetch(`${server.url}api/experiments/create`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${server.token.slice(1)}x` },
      body: validCreate
    })
    expect(wrong.status).toBe(401)
    const cookieWrong = await fetch(`${server.url}api/events`, {
      headers: { cookie: `${sessionCookieName(server.port)}=${'A'.repeat(43)}` }
    })
    expect(cookieWrong.status).toBe(401)
    expect((await fetch(server.url)).status).toBe(401)
    expect((await fetch(`${server.url}assets/app.js`)).status).toBe(401)
    expect(experiments()).toBe(0)
  })

  it('trades the token URL for an HttpOnly SameSite=Strict cookie and a redirect to the clean URL', async () => {
    const bad = await fetch(`${server.url}?token=nope`, { redirect: 'manual' })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('set-cookie')).toBeNull()

    const login = await fetch(`${server.url}?token=${server.token}&x=1`, { redirect: 'manual' })
    expect(login.status).toBe(303)
    expect(login.headers.get('location')).toBe('/?x=1')
    const setCookie = login.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(new RegExp(`^${sessionCookieName(server.port)}=${server.token};`))
    expect(setCookie).toMatch(/; HttpOnly/)
    expect(setCookie).toMatch(/; SameSite=Strict/)
    const cookie = setCookie.split(';')[0]!

    const page = await fetch(server.url, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>wb</title>')
    const api = await fetch(`${server.url}api/presets/list`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: '{}'
    })
    expect(api.status).toBe(200)
    const controller = new AbortController()
    const events = await fetch(`${server.url}api/events`, {
      headers: { cookie },
      signal: controller.signal
    })
    expect(events.status).toBe(200)
    expect(events.headers.get('content-type')).toBe('text/event-stream')
    controller.abort()
  })
})

describe('web mode: Host and Origin', () => {
  it('answers only to 127.0.0.1:PORT and localhost:PORT (DNS rebinding)', async () => {
    expect(
      (await get('/', [`Host: localhost:${server.port}`, `Authorization: Bearer ${server.token}`]))
        .status
    ).toBe(200)
    for (const h of [
      `evil.example.com:${server.port}`,
      'evil.example.com',
      '127.0.0.1',
      `127.0.0.1:${server.port + 1}`,
      `[::1]:${server.port}`,
      `127.0.0.1.evil.example.com:${server.port}`
    ]) {
      const r = await get('/', [`Host: ${h}`, `Authorization: Bearer ${server.token}`])
      expect(r.status, h).toBe(421)
      expect(r.text).not.toContain('<title>wb</title>')
    }
    // HTTP/1.0 may omit Host.
    expect((await raw(['GET / HTTP/1.0', `Authorization: Bearer ${server.token}`])).status).toBe(
      421
    )
  })

  it('refuses requests from other origins (cross-site POST, a foreign EventSource) and writes nothing', async () => {
    for (const origin of [
      'http://evil.example.com',
      'null',
      `http://127.0.0.1:${server.port + 1}`
    ]) {
      const post = await fetch(`${server.url}api/experiments/create`, {
        method: 'POST',
        headers: { ...json, ...bearer(), origin },
        body: validCreate
      })
      expect(post.status, origin).toBe(403)
      expect(((await post.json()) as { error: { type: string } }).error.type).toBe('Forbidden')
      const events = await fetch(`${server.url}api/events`, { headers: { ...bearer(), origin } })
      expect(events.status, origin).toBe(403)
    }
    expect(experiments()).toBe(0)
    // A form can post text/plain across sites without preflight: only JSON is taken.
    const form = await fetch(`${server.url}api/experiments/create`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'text/plain' },
      body: validCreate
    })
    expect(form.status).toBe(415)
    expect(experiments()).toBe(0)
    const own = await fetch(`${server.url}api/experiments/create`, {
      method: 'POST',
      headers: { ...json, ...bearer(), origin: `http://127.0.0.1:${server.port}` },
      body: validCreate
    })
    expect(own.status).toBe(200)
    expect(experiments()).toBe(1)
  })
})

describe('web mode: static files and bodies', () => {
  it('serves files from the build folder only (traversal, encodings, NUL, symbolic links)', async () => {
    expect((await get('/assets/app.js')).status).toBe(200)
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/.%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '/index.html%00.js',
      '/%00',
      '//etc/passwd',
      `/${tmp.dir.slice(1)}/secret.txt`,
      '/C:/secret.txt',
      '/link.txt',
      '/out/secret.txt',
      '/%252e%252e/secret.txt',
      '/nope.js',
      `http://127.0.0.1:${server.port}/../secret.txt`,
      '*'
    ]
    for (const target of attempts) {
      const r = await get(target)
      expect([400, 404], target).toContain(r.status)
      expect(r.text, target).not.toContain('TOPSECRET')
    }
  })

  it(`limits request bodies to ${MAX_BODY_BYTES} bytes (413) and stores nothing`, async () => {
    const before = experiments()
    const big = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), config: {} })
    const declared = await fetch(`${server.url}api/experiments/create`, {
      method: 'POST',
      headers: { ...json, ...bearer() },
      body: big
    })
    expect(declared.status).toBe(413)
    // Chunked, with no Content-Length: cut off while it is read.
    const chunk = 'x'.repeat(64 * 1024)
    const chunks = Math.ceil(MAX_BODY_BYTES / chunk.length) + 2
    const body =
      '9\r\n{"name":"\r\n' +
      `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(chunks) +
      '0\r\n\r\n'
    const chunked = await raw(
      [
        'POST /api/experiments/create HTTP/1.1',
        `Host: ${host()}`,
        `Authorization: Bearer ${server.token}`,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked'
      ],
      body
    )
    expect(chunked.status).toBe(413)
    // Just under the limit: read, then refused by validation.
    const under = await fetch(`${server.url}api/experiments/create`, {
      method: 'POST',
      headers: { ...json, ...bearer() },
      body: JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES - 100), config: {} })
    })
    expect(under.status).toBe(400)
    expect(experiments()).toBe(before)
  })
})

describe('himac serve', () => {
  const serve = (token: string): ChildProcessWithoutNullStreams =>
    spawn(
      process.execPath,
      ['bin/himac.js', 'serve', '--db', tmp.file('serve.db'), '--port', '0'],
      {
        env: { ...process.env, HIMAC_SERVE_TOKEN: token }
      }
    )

  it('prints the token URL; a token fixed by HIMAC_SERVE_TOKEN must be long enough', async () => {
    // Both at once: each start-up takes seconds on a busy machine.
    const short = serve('short')
    const refused = new Promise<{ code: number | null; stderr: string }>((resolve) => {
      let stderr = ''
      short.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      short.on('exit', (code) => resolve({ code, stderr }))
    })
    const token = 'T'.repeat(30)
    const child = serve(token)
    const exited = new Promise((resolve) => child.on('exit', resolve))
    try {
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (out += d.toString()))
      const deadline = Date.now() + 30_000
      let match: RegExpExecArray | null = null
      while (!match && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 100))
        match = /at (http:\/\/127\.0\.0\.1:\d+\/)\?token=([A-Za-z0-9_-]+) /.exec(out)
      }
      expect(match, out).not.toBeNull()
      const [, url = '', printed] = match ?? []
      expect(printed).toBe(token)
      const login = await fetch(`${url}?token=${token}`, { redirect: 'manual' })
      expect(login.status).toBe(303)
      expect((await fetch(url)).status).toBe(401)
    } finally {
      child.kill('SIGTERM')
      await exited
    }
    const { code, stderr } = await refused
    expect(code).toBe(2)
    expect(stderr).toMatch(/HIMAC_SERVE_TOKEN: a session token is 22 to 256 base64url/)
  })
})
