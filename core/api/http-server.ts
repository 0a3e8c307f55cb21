// Web mode: the renderer's static files plus the API over HTTP (POST /api/<domain>/<verb>) and
// server-sent events (GET /api/events). Listens on 127.0.0.1 only. Every request must name this
// server in its Host header, come from no other origin, and carry the per-launch session token (a
// cookie set when the browser first opens the printed `?token=` URL, or an `Authorization: Bearer`
// header for scripts).
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { commandNames, eventNames } from './contract'
import type { ApiError } from './entities'
import type { WorkbenchService } from './service'
import { checkRequestPath, resolveStaticFile } from './static-files'
import { createRequestGuard, newSessionToken } from './web-auth'
import { EXPORT_PREFIX, handleExport } from './export-routes'
import { handleImportUpload, IMPORT_PATH } from './import-route'

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
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  InternalError: 500
}

/** The largest request body taken (the biggest command, an experiment config, is a few KiB). */
export const MAX_BODY_BYTES = 1 << 20

export type WebServer = {
  /** http://127.0.0.1:PORT/ */
  url: string
  port: number
  /** The session token every request must carry. */
  token: string
  /** The URL to open in a browser: `url` with `?token=…` (sets the session cookie). */
  loginUrl: string
  /** Also accept requests from this origin (a dev server that proxies /api here). */
  allowOrigin(origin: string): void
  close(): Promise<void>
}

export type WebServerOptions = {
  service: WorkbenchService
  staticDir: string
  port?: number
  /** The session token; a fresh random one (256 bits) when absent. */
  token?: string
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store'
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json', ...headers })
  res.end(text)
}

const sendError = (
  res: http.ServerResponse,
  status: number,
  type: ApiError['type'],
  message: string
): void => sendJson(res, status, { error: { type, message } })

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
  res.end(text)
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    let over = false
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) {
        if (!over) reject(new BodyTooLarge())
        over = true
        chunks.length = 0
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const UNAUTHORIZED =
  'missing or wrong session token: open the URL that `himac serve` printed (it ends in ?token=…), ' +
  'or send the token as `Authorization: Bearer <token>`'

export function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { service } = options
  const token = options.token ?? newSessionToken()
  const root = path.resolve(options.staticDir)
  const sockets = new Set<http.ServerResponse>()
  // Set once listening (the port is part of the allowed Host and Origin values).
  let guard = createRequestGuard(token, 0)

  async function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    name: string
  ): Promise<void> {
    if (req.method !== 'POST') {
      sendError(res, 405, 'ValidationError', `use POST for /api/${name}`)
      return
    }
    const tooLarge = (): void => {
      res.setHeader('connection', 'close')
      sendError(res, 413, 'ValidationError', `request body over ${MAX_BODY_BYTES} bytes`)
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge()
    // JSON only: a cross-site HTML form can send text/plain or form data, never application/json.
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
    if (type !== 'application/json') {
      sendError(res, 415, 'ValidationError', 'send the command input as application/json')
      return
    }
    let input: unknown
    try {
      const text = await readBody(req)
      input = text.trim() === '' ? {} : JSON.parse(text)
    } catch (err) {
      if (err instanceof BodyTooLarge) return tooLarge()
      sendError(res, 400, 'ValidationError', `invalid request body: ${(err as Error).message}`)
      return
    }
    const result = await service.invoke(name, input)
    sendJson(res, result.error ? STATUS[result.error.type] : 200, result)
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream',
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
    pathname: string,
    query: string
  ): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'method not allowed')
      return
    }
    const params = new URLSearchParams(query)
    const offered = params.get('token')
    if (offered !== null) {
      // The printed URL: keep the token in an HttpOnly cookie and drop it from the address bar.
      if (!guard.tokenMatches(offered)) return sendText(res, 401, UNAUTHORIZED)
      params.delete('token')
      const rest = params.toString()
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'set-cookie': guard.sessionCookie(),
        location: `${pathname}${rest ? `?${rest}` : ''}`
      })
      res.end()
      return
    }
    if (!guard.authorized(req.headers)) return sendText(res, 401, UNAUTHORIZED)
    let rootReal: string
    try {
      rootReal = fs.realpathSync(root)
    } catch {
      return sendText(res, 404, 'renderer not built: run `npm run build`')
    }
    const found = resolveStaticFile(rootReal, pathname)
    if (!found.ok) return sendText(res, found.status, 'not found')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[path.extname(found.file)] ?? 'application/octet-stream',
      'content-security-policy': CSP
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(found.file).pipe(res)
  }

  const server = http.createServer((req, res) => {
    const target = req.url ?? '/'
    const api = target.startsWith('/api/')
    // The API answers in JSON whatever goes wrong; pages get plain text.
    const refuse = (status: number, type: ApiError['type'], message: string): void =>
      api ? sendError(res, status, type, message) : sendText(res, status, message)
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends that name.
    if (!guard.hostAllowed(req.headers))
      return refuse(421, 'Forbidden', `misdirected request: Host ${req.headers.host ?? '(none)'}`)
    const checked = checkRequestPath(target)
    if (!checked.ok) return refuse(400, 'ValidationError', `bad request path (${checked.reason})`)
    // Cross-site requests (a form POST, fetch or EventSource from another page) carry its Origin.
    if (!guard.originAllowed(req.headers))
      return refuse(403, 'Forbidden', `requests from origin ${req.headers.origin} are refused`)
    if (!api) return handleStatic(req, res, checked.path, checked.query)
    if (!guard.authorized(req.headers)) return refuse(401, 'Unauthorized', UNAUTHORIZED)
    if (checked.path === '/api/events') return handleEvents(req, res)
    if (checked.path === IMPORT_PATH) {
      // An answer before the whole body was read closes the connection (as for a too-large body).
      const send = (status: number, body: unknown): void =>
        sendJson(res, status, body, status === 200 ? {} : { connection: 'close' })
      handleImportUpload(req, checked.query, service, send).catch((err: unknown) =>
        sendError(res, 500, 'InternalError', String(err))
      )
      return
    }
    if (checked.path.startsWith(EXPORT_PREFIX)) {
      const ctx = {
        reader: service.reader,
        dbPath: service.dbPath,
        securityHeaders: SECURITY_HEADERS
      }
      const send = (status: number, message: string): void =>
        sendError(res, status, status === 404 ? 'NotFound' : 'ValidationError', message)
      handleExport(req, res, checked.path, checked.query, ctx, send).catch((err: unknown) =>
        res.headersSent ? res.destroy() : sendError(res, 500, 'InternalError', String(err))
      )
      return
    }
    handleApi(req, res, checked.path.slice('/api/'.length)).catch((err: unknown) =>
      sendError(res, 500, 'InternalError', String(err))
    )
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      guard = createRequestGuard(token, port)
      const url = `http://127.0.0.1:${port}/`
      resolve({
        url,
        port,
        token,
        loginUrl: `${url}?token=${token}`,
        allowOrigin: (origin) => guard.allowOrigin(origin),
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
