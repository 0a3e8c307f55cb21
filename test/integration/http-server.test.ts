// Web mode over real HTTP on 127.0.0.1: routing, validation, errors as data, SSE, static files.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebServer, type WebServer } from '../../core/api/http-server'
import { loadPresets } from '../../core/api/presets'
import { createWorkbenchService, type WorkbenchService } from '../../core/api/service'
import { nodeForkLauncher } from '../../core/train/node-launcher'
import { tempDir } from '../helpers/tmp'

const tmp = tempDir()
let service: WorkbenchService
let server: WebServer

beforeAll(async () => {
  const staticDir = path.join(tmp.dir, 'static')
  fs.mkdirSync(staticDir)
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>wb</title>')
  fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'secret')
  service = createWorkbenchService({
    dbPath: tmp.file('http.db'),
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

const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` })

const post = async (name: string, body: string) => {
  const res = await fetch(`${server.url}api/${name}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...auth() }
  })
  return {
    status: res.status,
    json: (await res.json()) as { data?: unknown; error?: { type: string; field?: string } }
  }
}

function rawGet(pathname: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port: server.port, path: pathname, headers: { host, ...auth() } },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      }
    )
    req.on('error', reject)
  })
}

describe('web-mode HTTP server', () => {
  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  })

  it('serves commands and returns errors as data with HTTP status', async () => {
    const presets = await post('presets/list', '{}')
    expect(presets.status).toBe(200)
    expect((presets.json.data as { id: string }[]).map((p) => p.id)).toContain('sokoban-smoke')
    const bad = await post(
      'experiments/create',
      JSON.stringify({ name: 'x', config: { groupSize: 1 } })
    )
    expect(bad.status).toBe(400)
    expect(bad.json.error?.field).toBe('config.groupSize')
    expect((await post('experiments/create', '{not json')).status).toBe(400)
    expect((await post('nope/never', '{}')).status).toBe(404)
    expect((await post('runs/get', '{"runId": 5}')).status).toBe(404)
    expect((await fetch(`${server.url}api/presets/list`, { headers: auth() })).status).toBe(405)
    expect(service.reader.countRows('experiments')).toBe(0)
  })

  it('serves the renderer with a CSP, and refuses traversal and foreign hosts', async () => {
    const res = await fetch(server.url, { headers: auth() })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
    expect(await res.text()).toContain('<title>wb</title>')
    // The renderer routes by hash: other paths are files or nothing.
    expect((await fetch(`${server.url}runs/3`, { headers: auth() })).status).toBe(404)
    const host = `127.0.0.1:${server.port}`
    expect((await rawGet('/../secret.txt', host)).body).not.toContain('secret')
    expect((await rawGet('/%2e%2e/secret.txt', host)).body).not.toContain('secret')
    expect((await rawGet('/..%2fsecret.txt', host)).body).not.toContain('secret')
    expect((await rawGet('/', 'evil.example.com')).status).toBe(421)
  })

  it('streams run events over SSE', async () => {
    const controller = new AbortController()
    const res = await fetch(`${server.url}api/events`, {
      signal: controller.signal,
      headers: auth()
    })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const reader = res.body!.getReader()
    const created = await post(
      'experiments/create',
      JSON.stringify({
        name: 'sse',
        config: { iterations: 1, groupsPerIteration: 2, groupSize: 2, evalEvery: 0 }
      })
    )
    await post(
      'experiments/start',
      JSON.stringify({ experimentId: (created.json.data as { id: number }).id })
    )
    let text = ''
    while (!text.includes('event: run/metrics')) {
      const chunk = await reader.read()
      if (chunk.done) break
      text += new TextDecoder().decode(chunk.value)
    }
    controller.abort()
    expect(text).toContain('event: run/status')
    expect(text).toMatch(/event: run\/metrics\ndata: \{"runId":\d+,"point":\{"iteration":0/)
  })
})
