// Web mode: the renderer's static files plus the API over HTTP (POST /api/<domain>/<verb>) and
// server-sent events (GET /api/events). Listens on 127.0.0.1 only.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { commandNames, eventNames } from './contract'
import type { ApiError } from './entities'
import type { WorkbenchService } from './service'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm'
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

const STATUS: Record<ApiError['type'], number> = {
  ValidationError: 400,
  NotFound: 404,
  Conflict: 409,
  InternalError: 500
}

const MAX_BODY = 1 << 20

export type WebServer = { url: string; port: number; close(): Promise<void> }

export type WebServerOptions = { service: WorkbenchService; staticDir: string; port?: number }

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(text)
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error('request body over 1 MiB'))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { service } = options
  const root = path.resolve(options.staticDir)
  const sockets = new Set<http.ServerResponse>()

  async function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    name: string
  ): Promise<void> {
    if (req.method !== 'POST') {
      sendJson(res, 405, {
        error: { type: 'ValidationError', message: `use POST for /api/${name}` }
      })
      return
    }
    let input: unknown
    try {
      const text = await readBody(req)
      input = text.trim() === '' ? {} : JSON.parse(text)
    } catch (err) {
      sendJson(res, 400, {
        error: {
          type: 'ValidationError',
          message: `invalid request body: ${(err as Error).message}`
        }
      })
      return
    }
    const result = await service.invoke(name, input)
    sendJson(res, result.error ? STATUS[result.error.type] : 200, result)
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive'
    })
    res.write(': connected\n\n')
    sockets.add(res)
    const unsubscribe = eventNames.map((event) =>
      service.on(event, (payload) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`)
      )
    )
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000)
    req.on('close', () => {
      clearInterval(ping)
      for (const u of unsubscribe) u()
      sockets.delete(res)
    })
  }

  function handleStatic(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pathname: string
  ): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    let file = path.resolve(root, '.' + decodeURIComponent(pathname))
    if (!file.startsWith(root)) {
      res.writeHead(403).end()
      return
    }
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory())
      file = path.join(root, 'index.html')
    if (!fs.existsSync(file)) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('renderer not built: run `npm run build`')
      return
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff'
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(file).pipe(res)
  }

  const server = http.createServer((req, res) => {
    // Refuse other Host names (DNS rebinding): only loopback names reach the API.
    const host = (req.headers.host ?? '').replace(/:\d+$/, '')
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('misdirected request')
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/api/events') return handleEvents(req, res)
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, url.pathname.slice('/api/'.length)).catch((err: unknown) =>
        sendJson(res, 500, { error: { type: 'InternalError', message: String(err) } })
      )
      return
    }
    handleStatic(req, res, url.pathname)
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.end()
            server.close(() => done())
            server.closeAllConnections()
          })
      })
    })
  })
}

export const apiRoutes = commandNames.map((n) => `/api/${n}`)
